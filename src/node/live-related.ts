import type { IncomingMessage } from 'node:http';
import type { Kysely } from 'kysely';
import { LANGUAGES } from '~/i18n/languages.ts';
import { SECTIONS } from '~/lib/knowledge/sections.ts';
import { changeSerials, stampOf } from '~/server/cache/changes.ts';
import type { Database } from '~/server/db/schema.ts';
import { errorFields, log } from '~/server/log.ts';
import { LIVE_RELATED_AREAS, type LiveRelatedPages, type OfferLiveRelatedPages } from '~/server/knowledge/live-related-pages.ts';
import { countersReader, type CountersReader } from './counters-reader.ts';
import { pathnameOf } from './static-files.ts';

/**
 * The longest the Node entry goes on using one read of the change counters for
 * prerendered item pages: a portal item published or a member case approved shows in the
 * related items of the file pages it joins within this (plus the read itself), on every
 * process and instance.
 */
export const COUNTERS_REUSE_MS = 250;

/** What a request for a prerendered item page gets. */
export type ItemPageRoute =
  /** The prerendered file, from memory: its related items are the build's. */
  | 'static'
  /** Rendered on demand (kept by the page cache): the database adds to its related items. */
  | 'render'
  /** Rendered on demand, asking the page to compute the current set of such pages in the background. */
  | 'ask';

/** Routes requests for prerendered item pages by whether the database changes their related items; see `liveRelatedRouter`. */
export interface LiveRelatedRouter {
  /** The canonical address (`/<lang>/<section>/<slug>/`) of the prerendered item page a GET or HEAD names, else undefined. */
  pageOf(request: IncomingMessage): string | undefined;
  /** Where a request for `page` goes: at once while the counters read is fresh, else after one shared read. */
  route(page: string): ItemPageRoute | Promise<ItemPageRoute>;
  /** What an item page calls (through `locals`) with the set it computed. */
  offer: OfferLiveRelatedPages;
}

/**
 * Prerendered item pages stay answered from memory unless items from the database (portal
 * items, member towns' cases) now rank among their related items. The set of such pages is
 * computed inside Astro once per change (src/server/knowledge/live-related.ts), started
 * by the first item page rendered after a start or a change, in the background (seconds of
 * CPU at 10,000 file items, in slices between which requests are answered), and handed
 * back through `locals.offerLiveRelatedPages` when done; until this process holds the set
 * for the current counters, every prerendered item page is rendered on demand (and asks),
 * which is always right: none is served as built before it is known to be unaffected.
 * The counters come from the Node entry's one reader (src/node/counters-reader.ts, shared
 * with the page cache): a read started at most COUNTERS_REUSE_MS ago serves, else one read
 * serves all concurrent requests; only requests for item pages need them, and a failed
 * read serves the files as built.
 */
export function liveRelatedRouter(options: { db: Kysely<Database>; addresses: Iterable<readonly [string, string]>; reuseMs?: number; counters?: CountersReader }): LiveRelatedRouter {
  const reuseMs = options.reuseMs ?? COUNTERS_REUSE_MS;
  const pages = itemPageAddresses(options.addresses);
  const counters = options.counters ?? countersReader(() => changeSerials(options.db));
  let held: LiveRelatedPages | null = null;
  let warnedAt = -Infinity;

  const decide = (stamp: string | null, page: string): ItemPageRoute => {
    if (stamp === null) return 'static';
    if (!held || held.stamp !== stamp) return 'ask';
    return held.affected.has(page) ? 'render' : 'static';
  };

  const readCounters = (startedAfter: number): Promise<string | null> => {
    return counters.read(startedAfter).then(
      (serials) => stampOf(serials, LIVE_RELATED_AREAS),
      (error: unknown) => {
        if (performance.now() - warnedAt > 60_000) {
          warnedAt = performance.now();
          log.warn('prerendered item pages: change counters unreadable, serving the files as built', errorFields(error));
        }
        return null;
      },
    );
  };

  return {
    pageOf(request) {
      if (pages.size === 0 || (request.method !== 'GET' && request.method !== 'HEAD')) return undefined;
      return pages.get(pathnameOf(request.url ?? '/'));
    },
    route(page) {
      const startedAfter = performance.now() - reuseMs;
      const fresh = counters.latest(startedAfter);
      if (fresh) return decide(stampOf(fresh, LIVE_RELATED_AREAS), page);
      return readCounters(startedAfter).then((stamp) => decide(stamp, page));
    },
    offer(answer) {
      held = answer;
    },
  };
}

/**
 * The addresses (as the static files answer them) of prerendered item pages, each to its
 * canonical form: `<lang>/<section>/<slug>/index.html` under a knowledge-centre section.
 */
export function itemPageAddresses(addresses: Iterable<readonly [string, string]>): Map<string, string> {
  const sections = Object.values(SECTIONS).map((section) => section.path).join('|');
  const pattern = new RegExp(`^/(${LANGUAGES.join('|')})/(${sections})/([a-z0-9-]+)/index\\.html$`);
  const pages = new Map<string, string>();
  for (const [address, file] of addresses) {
    const match = pattern.exec(file);
    if (match) pages.set(address, `/${match[1]}/${match[2]}/${match[3]}/`);
  }
  return pages;
}
