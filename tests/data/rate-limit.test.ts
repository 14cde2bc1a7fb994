import type { Kysely } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Database } from '~/server/db/schema.ts';
import { consumeRateLimit, deleteStaleRateLimits, resetRateLimit } from '~/server/rate-limit.ts';
import { createTestDatabase } from '../helpers/database.ts';

let db: Kysely<Database>;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ db, cleanup } = await createTestDatabase()));
afterEach(() => cleanup());

const rule = { limit: 3, windowSeconds: 60 };

describe('rate limits', () => {
  it('allow up to the limit within a window, then refuse with the time left', async () => {
    const now = 1_000_000;
    for (let i = 0; i < 3; i++) expect(await consumeRateLimit(db, 'k', rule, now)).toEqual({ allowed: true });
    expect(await consumeRateLimit(db, 'k', rule, now + 10)).toEqual({ allowed: false, retryAfterSeconds: 50 });
  });

  it('start counting again in a new window', async () => {
    const now = 1_000_000;
    for (let i = 0; i < 4; i++) await consumeRateLimit(db, 'k', rule, now);
    expect(await consumeRateLimit(db, 'k', rule, now + 60)).toEqual({ allowed: true });
  });

  it('count each key apart', async () => {
    for (let i = 0; i < 4; i++) await consumeRateLimit(db, 'a', rule, 5);
    expect(await consumeRateLimit(db, 'b', rule, 5)).toEqual({ allowed: true });
  });

  it('do not let concurrent requests slip past the limit', async () => {
    const results = await Promise.all(Array.from({ length: 10 }, () => consumeRateLimit(db, 'burst', rule, 100)));
    expect(results.filter((result) => result.allowed)).toHaveLength(3);
  });

  it('forget a key when reset', async () => {
    for (let i = 0; i < 4; i++) await consumeRateLimit(db, 'p', rule, 100);
    await resetRateLimit(db, 'p');
    expect(await consumeRateLimit(db, 'p', rule, 101)).toEqual({ allowed: true });
  });

  it('stale counters can be swept', async () => {
    await consumeRateLimit(db, 'old', rule, 100);
    await consumeRateLimit(db, 'new', rule, 10_000);
    await deleteStaleRateLimits(db, 3600, 10_000);
    expect((await db.selectFrom('rate_limits').select('key').execute()).map((row) => row.key)).toEqual(['new']);
  });
});
