import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pageCache } from '../../src/node/page-cache.ts';
import { recordChange } from '~/server/cache/changes.ts';
import type { Database } from '~/server/db/schema.ts';
import { createTestDatabase } from '../helpers/database.ts';

/** src/node/page-cache.ts on its own: what it keeps, for whom, and how much. */
let db: Kysely<Database>;
let cleanup: () => Promise<void>;
beforeAll(async () => {
  ({ db, cleanup } = await createTestDatabase());
});
afterAll(() => cleanup());

const requestFor = (url: string, headers: Record<string, string> = {}) => ({ method: 'GET', url, headers: { host: 'qala.test', ...headers }, destroyed: false }) as unknown as IncomingMessage;

/** Asks the cache for `url`; says whether it rendered (a miss) or sent a kept page (a hit). */
async function view(cache: ReturnType<typeof pageCache>, url: string, page: { areas?: Array<'towns' | 'editorial'>; body?: Buffer } = {}): Promise<'rendered' | 'kept'> {
  const request = requestFor(url);
  let rendered = false;
  const response = { statusCode: 0, setHeader: () => undefined, end: () => undefined } as unknown as ServerResponse;
  await cache.answer(request, response, cache.keyOf(request)!, (keep) => {
    rendered = true;
    keep({ user: null, sharedPage: { areas: page.areas ?? [] } } as unknown as App.Locals, { status: 200, headers: { 'content-type': 'text/html' }, body: page.body ?? Buffer.alloc(1000) });
  });
  return rendered ? 'rendered' : 'kept';
}

describe('the page cache', () => {
  it('has no key for a signed-in request (session cookie or hint) nor for anything but GET', () => {
    const cache = pageCache({ db, maxBytes: 1_000_000 });
    expect(cache.keyOf(requestFor('/en/'))).not.toBeNull();
    expect(cache.keyOf(requestFor('/en/', { cookie: 'theme=dark; qala_session=abc' }))).toBeNull();
    expect(cache.keyOf(requestFor('/en/', { cookie: '__Host-qala_session=abc' }))).toBeNull();
    expect(cache.keyOf(requestFor('/en/', { cookie: 'qala_signed_in=1' }))).toBeNull();
    expect(cache.keyOf({ ...requestFor('/en/'), method: 'HEAD' } as IncomingMessage)).toBeNull();
    expect(cache.keyOf(requestFor('/en/', { 'accept-encoding': 'br' }))).not.toBe(cache.keyOf(requestFor('/en/')));
  });

  it('keeps pages until one of their areas changes, and only theirs', async () => {
    const cache = pageCache({ db, maxBytes: 1_000_000 });
    expect(await view(cache, '/en/towns/', { areas: ['towns'] })).toBe('rendered');
    expect(await view(cache, '/en/towns/', { areas: ['towns'] })).toBe('kept');
    await recordChange(db, 'editorial');
    expect(await view(cache, '/en/towns/', { areas: ['towns'] })).toBe('kept');
    await recordChange(db, 'towns');
    expect(await view(cache, '/en/towns/', { areas: ['towns'] })).toBe('rendered');
  });

  it('keeps no more than its bound, dropping the least recently used first', async () => {
    // Each page counts its 1,000 bytes, its key and 2 KB of overhead: about 3 KB, so 10 fit in 32 KB.
    const cache = pageCache({ db, maxBytes: 32 * 1024 });
    for (let n = 1; n <= 10; n++) expect(await view(cache, `/en/page-${n}/`)).toBe('rendered');
    // Page 1 is used again, so page 2 is now the least recently used.
    expect(await view(cache, '/en/page-1/')).toBe('kept');
    for (let n = 11; n <= 12; n++) await view(cache, `/en/page-${n}/`);
    expect(await view(cache, '/en/page-1/')).toBe('kept');
    expect(await view(cache, '/en/page-12/')).toBe('kept');
    expect(await view(cache, '/en/page-2/')).toBe('rendered');
  });

  it('keeps nothing larger than a quarter of its bound', async () => {
    const cache = pageCache({ db, maxBytes: 32 * 1024 });
    expect(await view(cache, '/en/large/', { body: Buffer.alloc(9000) })).toBe('rendered');
    expect(await view(cache, '/en/large/', { body: Buffer.alloc(9000) })).toBe('rendered');
  });
});
