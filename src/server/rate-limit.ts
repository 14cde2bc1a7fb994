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
