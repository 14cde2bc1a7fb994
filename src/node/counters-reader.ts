import type { ChangeSerials } from '~/server/cache/changes.ts';

/**
 * The Node entry's one reader of the change counters (src/server/cache/changes.ts), shared by
 * the page cache and the router of prerendered item pages, so a request that both route and
 * cache may check reads them once. Each caller says how fresh a read must be by the time it
 * must have started at or after (`performance.now()`'s clock): a read started then sees every
 * change committed before. The page cache asks for a read started after its request arrived
 * (its guarantee is unchanged: a change committed before a request shows in its answer); the
 * router accepts one started up to COUNTERS_REUSE_MS ago. A read in flight serves every
 * caller it is fresh enough for; a failed read serves no one after it.
 */
export interface CountersReader {
  /** Counters from a read started at or after `startedAfter`: the last one, the one in flight, or a new one. */
  read(startedAfter: number): Promise<ChangeSerials>;
  /** The last finished read's counters if it started at or after `startedAfter`, else undefined (no read made). */
  latest(startedAfter: number): ChangeSerials | undefined;
}

export function countersReader(readCounters: () => Promise<ChangeSerials>): CountersReader {
  let last: { startedAt: number; serials: ChangeSerials } | null = null;
  let inFlight: { startedAt: number; serials: Promise<ChangeSerials> } | null = null;
  return {
    read(startedAfter) {
      if (last && last.startedAt >= startedAfter) return Promise.resolve(last.serials);
      if (inFlight && inFlight.startedAt >= startedAfter) return inFlight.serials;
      const startedAt = performance.now();
      const flight = {
        startedAt,
        serials: readCounters().then((serials) => {
          if (!last || last.startedAt < startedAt) last = { startedAt, serials };
          return serials;
        }),
      };
      inFlight = flight;
      const done = () => {
        if (inFlight === flight) inFlight = null;
      };
      flight.serials.then(done, done);
      return flight.serials;
    },
    latest(startedAfter) {
      return last && last.startedAt >= startedAfter ? last.serials : undefined;
    },
  };
}
