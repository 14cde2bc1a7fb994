import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import type { Kysely } from 'kysely';
import { BoundedCache } from '~/lib/bounded-cache.ts';
import { SIGNED_IN_HINT } from '~/lib/signed-in-hint.ts';
import { sessionCookieName } from '~/server/auth/session-policy.ts';
import { changeSerials, stampOf, type ChangeArea } from '~/server/cache/changes.ts';
import { countersReader, type CountersReader } from './counters-reader.ts';
import type { Database } from '~/server/db/schema.ts';
import { errorFields, log } from '~/server/log.ts';
import { preferredCoding } from './static-files.ts';
import type { WholeAnswer } from './whole-body.ts';

/**
 * The longest a kept page is sent again: what no change counter tracks (the time of day
 * for "upcoming" lists, groups' members and meetings, the dialogue and positions) shows
 * within this; what one does (portal items, member cases, towns, figures, groups
 * themselves) shows at the next request.
 */
export const PAGE_CACHE_MAX_AGE_MS = 10_000;

/** What a kept page costs besides its body (its key, headers and bookkeeping), counted against the bound. */
const ENTRY_OVERHEAD_BYTES = 2048;

interface KeptPage {
  areas: readonly ChangeArea[];
  stamp: string;
  at: number;
  status: number;
  headers: OutgoingHttpHeaders;
  body: Buffer;
}

/** Keeps a rendered answer: what the Node entry calls once the page is rendered whole and compressed. */
export type KeepAnswer = (locals: App.Locals, answer: WholeAnswer) => void;

/** The anonymous page cache of one process; see `pageCache`. */
export interface PageCache {
  /** The cache key of a request that may be answered from the cache, or null (signed in, not a GET). */
  keyOf(request: IncomingMessage): string | null;
  /**
   * Answers `request` from the cache when a fresh page is kept under `key`; otherwise
   * calls `render` with the function that keeps what it renders, if the page allows.
   */
  answer(request: IncomingMessage, response: ServerResponse, key: string, render: (keep: KeepAnswer) => void): Promise<void>;
}

/**
 * Whole answers of on-demand pages to readers who are not signed in, compressed as they
 * were sent, kept in this process's memory up to `maxBytes` (least recently used go
 * first). Only what a page marked as the same for every anonymous reader
 * (src/server/cache/shared-pages.ts) is kept, and only a 200 without cookies; a request
 * with a session cookie or the signed-in hint never reads it. The key is the host, the
 * address with its query and the encoding sent (br, gzip or none); the address carries
 * the language. Each request reads the change counters once (one small query, or a read
 * in flight that started after it arrived: src/node/counters-reader.ts) and a
 * kept page is sent only while the counters of the areas it named are where they were
 * before it was rendered, and for at most PAGE_CACHE_MAX_AGE_MS: a change made by any
 * instance or worker shows at once. The headers sent are the page's own, security
 * headers included, with this request's X-Request-Id.
 */
export function pageCache(options: { db: Kysely<Database>; maxBytes: number; maxAgeMs?: number; counters?: CountersReader }): PageCache {
  const maxAgeMs = options.maxAgeMs ?? PAGE_CACHE_MAX_AGE_MS;
  const counters = options.counters ?? countersReader(() => changeSerials(options.db));
  // A page counts its body, key and overhead; none larger than a quarter of the bound is kept.
  const kept = new BoundedCache<string, KeptPage>(options.maxBytes, (key, page) => page.body.length + key.length + ENTRY_OVERHEAD_BYTES, {
    largestEntry: options.maxBytes / 4,
  });
  const sessionCookies = [sessionCookieName(true), sessionCookieName(false)];

  return {
    keyOf(request) {
      if (request.method !== 'GET') return null;
      if (signedIn(request.headers.cookie, sessionCookies)) return null;
      const accepted = request.headers['accept-encoding'];
      // The host too (ORIGIN pins it): should a page ever reflect the Host header, a forged
      // one would only fill its own entries, never another reader's page.
      return `${accepted ? preferredCoding(accepted) : 'identity'} ${request.headers.host ?? ''} ${request.url ?? '/'}`;
    },

    async answer(request, response, key, render) {
      // A read started after this request arrived: it sees every change committed before.
      const arrivedAt = performance.now();
      let stampNow: (areas: readonly ChangeArea[]) => string;
      try {
        const serials = await counters.read(arrivedAt);
        stampNow = (areas) => stampOf(serials, areas);
      } catch (error) {
        // The page itself will say what is wrong with the database; nothing is kept from it.
        log.warn('page cache: change counters unreadable', errorFields(error));
        render(() => undefined);
        return;
      }
      const page = kept.find(key);
      const now = Date.now();
      if (page && now - page.at <= maxAgeMs && page.stamp === stampNow(page.areas)) {
        response.statusCode = page.status;
        for (const [name, value] of Object.entries(page.headers)) if (value !== undefined) response.setHeader(name, value);
        response.end(page.body);
        return;
      }
      if (page) kept.delete(key);
      if (request.destroyed) return;
      render((locals, answer) => {
        const shared = locals.sharedPage;
        if (!shared || locals.user || answer.status !== 200 || answer.headers['set-cookie'] !== undefined) return;
        const { 'x-request-id': _requestId, ...headers } = answer.headers;
        // Stamped with the counters read before the page read anything: a change committed
        // while it rendered only makes the next request render it again.
        kept.set(key, { areas: shared.areas, stamp: stampNow(shared.areas), at: now, status: answer.status, headers, body: answer.body });
      });
    },
  };
}

/** Whether a Cookie header holds a session cookie or the signed-in hint (whatever their values). */
function signedIn(cookie: string | undefined, sessionCookies: readonly string[]): boolean {
  if (!cookie) return false;
  for (const pair of cookie.split(';')) {
    const at = pair.indexOf('=');
    const name = (at === -1 ? pair : pair.slice(0, at)).trim();
    if (name === SIGNED_IN_HINT || sessionCookies.includes(name)) return true;
  }
  return false;
}
