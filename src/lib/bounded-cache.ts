/**
 * Results of a pure function kept by key, least recently used dropped first, bounded by
 * the total size of what is kept (`sizeOf`, e.g. a string's length), so a process holds
 * at most `limit` of it however many distinct keys it meets. Only for pure functions:
 * what is kept never goes stale, so every process (QALA_WORKERS) may keep its own.
 */
export class BoundedCache<Key, Value> {
  readonly #entries = new Map<Key, { value: Value; size: number }>();
  readonly #limit: number;
  readonly #sizeOf: (key: Key, value: Value) => number;
  #size = 0;

  constructor(limit: number, sizeOf: (key: Key, value: Value) => number) {
    this.#limit = limit;
    this.#sizeOf = sizeOf;
  }

  /** The kept value for `key`, or `compute(key)` kept now (unless larger than the whole limit). */
  get(key: Key, compute: (key: Key) => Value): Value {
    const entry = this.#entries.get(key);
    if (entry) {
      // Map keeps insertion order: moving the entry to the end marks it most recently used.
      this.#entries.delete(key);
      this.#entries.set(key, entry);
      return entry.value;
    }
    const value = compute(key);
    const size = this.#sizeOf(key, value);
    if (size > this.#limit) return value;
    this.#entries.set(key, { value, size });
    this.#size += size;
    for (const [oldest, kept] of this.#entries) {
      if (this.#size <= this.#limit) break;
      this.#entries.delete(oldest);
      this.#size -= kept.size;
    }
    return value;
  }

  /** The total size of what is kept. */
  get size(): number {
    return this.#size;
  }

  /** How many values are kept. */
  get count(): number {
    return this.#entries.size;
  }
}
