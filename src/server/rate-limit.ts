import { sql, type Kysely } from 'kysely';
import * as clock from '~/lib/clock.ts';
import type { Database } from './db/schema.ts';

/** How many events a key may have within a window. */
export interface RateLimitRule {
  limit: number;
  windowSeconds: number;
}

/** The outcome of counting one event. */
export type RateLimitResult = { allowed: true } | { allowed: false; retryAfterSeconds: number };

/**
 * Counts one event for `key` and says whether it is within the rule. Counters live in
 * the database (fixed windows), so every application server sees the same counts.
 * One upsert statement, so concurrent requests cannot both slip under the limit.
 */
export async function consumeRateLimit(
  db: Kysely<Database>,
  key: string,
  rule: RateLimitRule,
  now = clock.now(),
): Promise<RateLimitResult> {
  const windowStartsAfter = now - rule.windowSeconds;
  const row = await db
    .insertInto('rate_limits')
    .values({ key, window_start: now, count: 1 })
    .onConflict((conflict) =>
      conflict.column('key').doUpdateSet({
        count: sql`case when rate_limits.window_start <= ${windowStartsAfter} then 1 else rate_limits.count + 1 end`,
        window_start: sql`case when rate_limits.window_start <= ${windowStartsAfter} then ${now} else rate_limits.window_start end`,
      }),
    )
    .returning(['count', 'window_start'])
    .executeTakeFirstOrThrow();
  return judge(row, rule, now);
}

/**
 * Growing delays: `free` events pass, then each further one must wait a delay that
 * doubles from `firstDelaySeconds` up to `maxDelaySeconds` after the one before.
 * A key with no counted event for `forgetAfterSeconds` starts again.
 */
export interface BackoffRule {
  free: number;
  firstDelaySeconds: number;
  maxDelaySeconds: number;
  forgetAfterSeconds: number;
}

/** The wait after the `count`-th counted event of a backoff key (0 while still free). */
export function backoffDelaySeconds(rule: BackoffRule, count: number): number {
  if (count < rule.free) return 0;
  return Math.min(rule.maxDelaySeconds, rule.firstDelaySeconds * 2 ** Math.min(count - rule.free, 30));
}

/**
 * Counts one event for `key` under a backoff rule, unless the key is still waiting; a
 * refused event is not counted, so waiting out the delay always helps. The row keeps
 * the count and the time of the last counted event. One conditional upsert (`DO UPDATE
 * ... WHERE`, which returns no row when the key must wait), so concurrent requests
 * cannot slip past.
 */
export async function consumeWithBackoff(
  db: Kysely<Database>,
  key: string,
  rule: BackoffRule,
  now = clock.now(),
): Promise<RateLimitResult> {
  const forgottenBefore = now - rule.forgetAfterSeconds;
  // The delays as a CASE ladder of literals (our constants): SQLite has no power().
  const ladder: ReturnType<typeof sql>[] = [];
  for (let count = rule.free; backoffDelaySeconds(rule, count) < rule.maxDelaySeconds; count++) {
    ladder.push(sql`when rate_limits.count = ${sql.lit(count)} then ${sql.lit(backoffDelaySeconds(rule, count))}`);
  }
  const delay = sql`case when rate_limits.count < ${sql.lit(rule.free)} then 0 ${sql.join(ladder, sql` `)} else ${sql.lit(rule.maxDelaySeconds)} end`;
  const counted = await db
    .insertInto('rate_limits')
    .values({ key, window_start: now, count: 1 })
    .onConflict((conflict) =>
      conflict
        .column('key')
        .doUpdateSet({
          count: sql`case when rate_limits.window_start <= ${forgottenBefore} then 1 else rate_limits.count + 1 end`,
          window_start: now,
        })
        .where(sql<boolean>`rate_limits.window_start <= ${forgottenBefore} or rate_limits.window_start + ${delay} <= ${now}`),
    )
    .returning(['count'])
    .executeTakeFirst();
  if (counted) return { allowed: true };
  const row = await db.selectFrom('rate_limits').select(['count', 'window_start']).where('key', '=', key).executeTakeFirst();
  const waitUntil = row ? row.window_start + backoffDelaySeconds(rule, row.count) : now + 1;
  return { allowed: false, retryAfterSeconds: Math.max(1, waitUntil - now) };
}

/**
 * Takes back one event counted for `key` (e.g. a sign-in attempt that turned out to
 * be right, where only failures should count). Never goes below zero.
 */
export async function refundRateLimit(db: Kysely<Database>, key: string): Promise<void> {
  await db.updateTable('rate_limits').set({ count: sql`rate_limits.count - 1` }).where('key', '=', key).where('count', '>', 0).execute();
}

/** Forgets the count for `key` (e.g. after a successful sign-in). */
export async function resetRateLimit(db: Kysely<Database>, key: string): Promise<void> {
  await db.deleteFrom('rate_limits').where('key', '=', key).execute();
}

/** Removes counters whose window has long passed. */
export async function deleteStaleRateLimits(db: Kysely<Database>, olderThanSeconds: number, now = clock.now()): Promise<void> {
  await db.deleteFrom('rate_limits').where('window_start', '<', now - olderThanSeconds).execute();
}

function judge(row: { count: number; window_start: number }, rule: RateLimitRule, now: number): RateLimitResult {
  if (row.count <= rule.limit) return { allowed: true };
  return { allowed: false, retryAfterSeconds: Math.max(1, row.window_start + rule.windowSeconds - now) };
}
