import type { Kysely } from 'kysely';
import * as clock from '~/lib/clock.ts';
import type { Database } from './db/schema.ts';
import { deleteStaleRateLimits } from './rate-limit.ts';

/** Counters older than a day can no longer refuse anything (windows are 15 minutes to an hour; sign-in backoff forgets after a day). */
const RATE_LIMIT_RETENTION_SECONDS = 24 * 60 * 60;

/**
 * Tokens are kept a week past their expiry, so a late click on an old link still hears
 * "this link has expired" (or "was used") rather than "unknown"; then they go.
 */
export const TOKEN_RETENTION_SECONDS = 7 * 24 * 60 * 60;

/** What one sweep deleted. */
export type SweepReport = {
  sessions: number;
  tokens: number;
};

/**
 * Deletes expired sessions, tokens past their retention and stale throttling counters.
 * Run by the sweep job (src/server/jobs/catalogue.ts); every delete is idempotent and
 * decided by stored times, so a second run at once deletes nothing more.
 */
export async function sweepExpiredRecords(db: Kysely<Database>, now = clock.now()): Promise<SweepReport> {
  const sessions = await db.deleteFrom('sessions').where('expires_at', '<=', now).executeTakeFirst();
  const tokens = await db.deleteFrom('tokens').where('expires_at', '<', now - TOKEN_RETENTION_SECONDS).executeTakeFirst();
  await deleteStaleRateLimits(db, RATE_LIMIT_RETENTION_SECONDS, now);
  return { sessions: Number(sessions.numDeletedRows), tokens: Number(tokens.numDeletedRows) };
}
