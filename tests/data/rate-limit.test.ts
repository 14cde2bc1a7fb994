import type { Kysely } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Database } from '~/server/db/schema.ts';
import { backoffDelaySeconds, consumeRateLimit, consumeWithBackoff, deleteStaleRateLimits, refundRateLimit, resetRateLimit } from '~/server/rate-limit.ts';
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

describe('growing delays (backoff)', () => {
  const backoff = { free: 3, firstDelaySeconds: 60, maxDelaySeconds: 600, forgetAfterSeconds: 3600 };

  it('delays double after the free events, up to the ceiling', () => {
    expect([2, 3, 4, 5, 6, 7, 50].map((count) => backoffDelaySeconds(backoff, count))).toEqual([0, 60, 120, 240, 480, 600, 600]);
  });

  it('let the free events pass, then make each further one wait twice as long', async () => {
    const t0 = 1_000_000;
    for (let i = 0; i < 3; i++) expect(await consumeWithBackoff(db, 'b', backoff, t0)).toEqual({ allowed: true });
    expect(await consumeWithBackoff(db, 'b', backoff, t0 + 59)).toEqual({ allowed: false, retryAfterSeconds: 1 });
    expect(await consumeWithBackoff(db, 'b', backoff, t0 + 60)).toEqual({ allowed: true });
    expect(await consumeWithBackoff(db, 'b', backoff, t0 + 61)).toEqual({ allowed: false, retryAfterSeconds: 119 });
    // Refused events are not counted: the wait does not grow while someone keeps knocking.
    expect(await consumeWithBackoff(db, 'b', backoff, t0 + 100)).toEqual({ allowed: false, retryAfterSeconds: 80 });
    expect(await consumeWithBackoff(db, 'b', backoff, t0 + 180)).toEqual({ allowed: true });
    expect(await consumeWithBackoff(db, 'b', backoff, t0 + 181)).toEqual({ allowed: false, retryAfterSeconds: 239 });
  });

  it('never wait longer than the ceiling', async () => {
    await db.insertInto('rate_limits').values({ key: 'c', window_start: 5000, count: 40 }).execute();
    expect(await consumeWithBackoff(db, 'c', backoff, 5599)).toEqual({ allowed: false, retryAfterSeconds: 1 });
    expect(await consumeWithBackoff(db, 'c', backoff, 5600)).toEqual({ allowed: true });
  });

  it('forget a key after a quiet spell', async () => {
    await db.insertInto('rate_limits').values({ key: 'f', window_start: 5000, count: 40 }).execute();
    expect(await consumeWithBackoff(db, 'f', { ...backoff, maxDelaySeconds: 86_400 }, 5000 + 3600)).toEqual({ allowed: true });
    expect((await db.selectFrom('rate_limits').select('count').where('key', '=', 'f').executeTakeFirstOrThrow()).count).toBe(1);
  });

  it('count concurrent events exactly once each', async () => {
    const results = await Promise.all(Array.from({ length: 10 }, () => consumeWithBackoff(db, 'burst', backoff, 100)));
    expect(results.filter((result) => result.allowed)).toHaveLength(3);
  });

  it('a refund takes one event back, never below zero', async () => {
    for (let i = 0; i < 2; i++) await consumeRateLimit(db, 'r', rule, 100);
    await refundRateLimit(db, 'r');
    await refundRateLimit(db, 'r');
    await refundRateLimit(db, 'r');
    expect((await db.selectFrom('rate_limits').select('count').where('key', '=', 'r').executeTakeFirstOrThrow()).count).toBe(0);
    await refundRateLimit(db, 'missing');
  });
});
