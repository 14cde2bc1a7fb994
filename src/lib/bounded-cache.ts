/**
 * Values kept by key, least recently used dropped first, bounded by the total size of
 * what is kept (`sizeOf`, e.g. a string's length), so a process holds at most `limit` of
 * it however many distinct keys it meets. A value larger than `largestEntry` (by default
 * the whole limit) is not kept. The one bounded map of the app: rendered markdown (a
 * pure function's results, through `get`), the anonymous page cache (pages checked
 * for freshness by their caller, through `find`, `set` and `delete`) and the exchange's
 * prefix terms (kept per FTS5 index version, through `find` and `set`).
 */
export class BoundedCache<Key, Value> {
  readonly #entries = new Map<Key, { value: Value; size: number }>();
  readonly #limit: number;
  readonly #largestEntry: number;
  readonly #sizeOf: (key: Key, value: Value) => number;
  #size = 0;

  constructor(limit: number, sizeOf: (key: Key, value: Value) => number, options: { largestEntry?: number } = {}) {
    this.#limit = limit;
    this.#largestEntry = Math.min(options.largestEntry ?? limit, limit);
    this.#sizeOf = sizeOf;
  }

  /**
   * The kept value for `key`, or `compute(key)` kept now. Only for pure functions: what is
   * kept never goes stale, so every process (QALA_WORKERS) may keep its own.
   */
  get(key: Key, compute: (key: Key) => Value): Value {
    const entry = this.#touch(key);
    if (entry) return entry.value;
    const value = compute(key);
    this.set(key, value);
    return value;
  }

  /** The kept value for `key` (now the most recently used), or undefined. */
  find(key: Key): Value | undefined {
    return this.#touch(key)?.value;
  }

  /**
   * Keeps `value` under `key` in place of what was kept, dropping the least recently used
   * past the limit. A value too large to keep leaves what is kept as it was.
   */
  set(key: Key, value: Value): void {
    const size = this.#sizeOf(key, value);
    if (size > this.#largestEntry) return;
    this.delete(key);
    this.#entries.set(key, { value, size });
    this.#size += size;
    for (const [oldest, kept] of this.#entries) {
      if (this.#size <= this.#limit) break;
      this.#entries.delete(oldest);
      this.#size -= kept.size;
    }
  }

  /** Drops what is kept under `key`, if anything. */
  delete(key: Key): void {
    const entry = this.#entries.get(key);
    if (!entry) return;
    this.#entries.delete(key);
    this.#size -= entry.size;
  }

  /** The total size of what is kept. */
  get size(): number {
    return this.#size;
  }

  /** How many values are kept. */
  get count(): number {
    return this.#entries.size;
  }

  /** The entry for `key`, marked most recently used. */
  #touch(key: Key): { value: Value; size: number } | undefined {
    const entry = this.#entries.get(key);
    if (entry) {
      // Map keeps insertion order: moving the entry to the end marks it most recently used.
      this.#entries.delete(key);
      this.#entries.set(key, entry);
    }
    return entry;
  }
}
