/**
 * The freshness bar of shared reads of the change counters (src/server/cache/changes.ts,
 * `sharedSerials`): no read of the counters started before it may serve a kept read after
 * it. Moved to "now" by each request's arrival (the Node entry: a request must see every
 * change committed before it) and by every commit in this process (it may have bumped a
 * counter, and what it changed must show at once, to its own request first). On
 * globalThis, because the Node entry and Astro's server bundle each carry a copy of this
 * module and must share one bar. Its own module so that the database drivers can move it
 * without importing the kept reads.
 */
const FRESHNESS = Symbol.for('qala.changes.freshness');
const freshness: { since: number } = ((globalThis as { [FRESHNESS]?: { since: number } })[FRESHNESS] ??= { since: 0 });

/** From now on, no read of the counters started before serves. */
export function readsFreshFromNow(): void {
  freshness.since = performance.now();
}

/** When the bar was last moved (`performance.now()`'s clock). */
export function freshSince(): number {
  return freshness.since;
}
