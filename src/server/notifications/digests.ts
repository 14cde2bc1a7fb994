import type { Kysely } from 'kysely';
import { now, type UnixSeconds } from '~/lib/clock.ts';
import type { Language } from '~/i18n/index.ts';
import type { Database } from '~/server/db/schema.ts';
import { errorFields, log } from '~/server/log.ts';
import type { Mailer } from '~/server/mail/mailer.ts';
import { composeDigest } from './digest-mail.ts';
import { DEFAULT_DIGEST_SCHEDULE, latestDigestSlot, type DigestSchedule } from './digest-schedule.ts';
import { DIGEST_CADENCES, type DigestCadence } from './preferences.ts';

// A notification of a kind a member takes in a digest is stored with `digest` set and
// waits (`digested_at` null). At each run, every member with notifications waiting
// from before the latest slot of a cadence (digest-schedule.ts) gets one mail listing
// them, and they are marked taken by one UPDATE … RETURNING: that single statement is
// the claim, atomic on SQLite and PostgreSQL alike, so two instances running at once
// never list the same notification twice, and a second run in the same slot finds
// nothing. Notifications arriving after the slot wait for the next one.

/** One digest mail sent by a run. */
export interface SentDigest {
  userId: string;
  to: string;
  language: Language;
  cadence: DigestCadence;
  /** How many notifications it listed. */
  items: number;
}

export interface DigestRunOptions {
  /** The origin links in the mails point to: `publicOrigin(config())`, as for every mail. */
  baseUrl: string;
  /** When digests are due; Asia/Almaty at 08:00 unless given. */
  schedule?: DigestSchedule;
  /** The time of the run (default: the clock, which tests set). */
  at?: UnixSeconds;
}

/**
 * Sends every digest due at `at` and returns what it sent. Safe to call as often as
 * wanted and from several instances at once: a digest goes out once per member,
 * cadence and slot, and only when something is waiting. A mail that fails to send puts
 * its notifications back, so the next run tries again; the failure is logged.
 */
export async function sendDueDigests(db: Kysely<Database>, mailer: Mailer, options: DigestRunOptions): Promise<SentDigest[]> {
  const at = options.at ?? now();
  const sent: SentDigest[] = [];
  for (const cadence of DIGEST_CADENCES) {
    const slot = latestDigestSlot(cadence, at, options.schedule ?? DEFAULT_DIGEST_SCHEDULE);
    for (const userId of await membersWaiting(db, cadence, slot)) {
      const digest = await sendDigest(db, mailer, { userId, cadence, slot, at, baseUrl: options.baseUrl });
      if (digest) sent.push(digest);
    }
  }
  return sent;
}

/** Active members with notifications of `cadence` waiting from before `slot`. */
async function membersWaiting(db: Kysely<Database>, cadence: DigestCadence, slot: UnixSeconds): Promise<string[]> {
  const rows = await db
    .selectFrom('notifications')
    .innerJoin('users', 'users.id', 'notifications.user_id')
    .select('notifications.user_id')
    .distinct()
    .where('notifications.digest', '=', cadence)
    .where('notifications.digested_at', 'is', null)
    .where('notifications.created_at', '<', slot)
    .where('users.disabled_at', 'is', null)
    .orderBy('notifications.user_id')
    .execute();
  return rows.map((row) => row.user_id);
}

/** Claims one member's waiting notifications and mails them; null when another run took them first. */
async function sendDigest(
  db: Kysely<Database>,
  mailer: Mailer,
  run: { userId: string; cadence: DigestCadence; slot: UnixSeconds; at: UnixSeconds; baseUrl: string },
): Promise<SentDigest | null> {
  const member = await db.selectFrom('users').select(['email', 'language', 'display_name']).where('id', '=', run.userId).executeTakeFirst();
  if (!member) return null;
  const items = await db
    .updateTable('notifications')
    .set({ digested_at: run.at })
    .where('user_id', '=', run.userId)
    .where('digest', '=', run.cadence)
    .where('digested_at', 'is', null)
    .where('created_at', '<', run.slot)
    .returning(['id', 'kind', 'params', 'link', 'created_at'])
    .execute();
  const mail = composeDigest({ email: member.email, language: member.language, displayName: member.display_name }, run.cadence, items, run.baseUrl);
  if (!mail) return null;
  try {
    await mailer.send(mail);
  } catch (error) {
    await db
      .updateTable('notifications')
      .set({ digested_at: null })
      .where('id', 'in', items.map((item) => item.id))
      .where('digested_at', '=', run.at)
      .execute();
    log.error('digest not sent', { userId: run.userId, cadence: run.cadence, ...errorFields(error) });
    return null;
  }
  return { userId: run.userId, to: member.email, language: member.language, cadence: run.cadence, items: items.length };
}
