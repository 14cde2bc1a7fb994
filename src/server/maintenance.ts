import type { Kysely } from 'kysely';
import type { Auth } from './auth/lucia.ts';
import type { Database } from './db/schema.ts';
import { errorFields, log } from './log.ts';
import { deleteStaleRateLimits } from './rate-limit.ts';

/** Counters older than a day can no longer refuse anything (windows are 15 minutes to an hour; sign-in backoff forgets after a day). */
const RATE_LIMIT_RETENTION_SECONDS = 24 * 60 * 60;

/** Deletes expired sessions and stale throttling counters. Safe to run on every server at once. */
export async function sweepExpiredRecords(db: Kysely<Database>, auth: Auth): Promise<void> {
  await auth.deleteExpiredSessions();
  await deleteStaleRateLimits(db, RATE_LIMIT_RETENTION_SECONDS);
}

/** Sweeps now and then every `intervalMs`; the timer does not keep the process alive. */
export function scheduleSweeps(db: Kysely<Database>, auth: Auth, intervalMs = 60 * 60 * 1000): void {
  const sweep = () =>
    sweepExpiredRecords(db, auth).catch((error: unknown) => log.warn('sweep of expired records failed', errorFields(error)));
  void sweep();
  setInterval(sweep, intervalMs).unref();
}
