import type { Expression, Kysely } from 'kysely';
import { createTranslator } from '~/i18n/index.ts';
import { now } from '~/lib/clock.ts';
import type { Database } from '~/server/db/schema.ts';
import { compiledOnce } from '~/server/db/compiled-once.ts';
import type { Mailer } from '~/server/mail/mailer.ts';
import { NOTIFICATION_KINDS, type NotificationKind } from './kinds.ts';
import { deliveryOf } from './preferences.ts';
import { resolveParams, type NotificationParam } from './render.ts';

/** What happened, for whom, and where to look. */
export interface NewNotification {
  userId: string;
  kind: NotificationKind;
  /** Names with translations are stored with them and shown in the viewer's language (render.ts). */
  params: Record<string, NotificationParam>;
  /** A path under the recipient's language root, e.g. `requests/12/` (shown as /ru/requests/12/). */
  link?: string;
}

/**
 * The one way to tell a member something: stores the notification for their list
 * and emails it, in their language, as they chose for that kind (preferences.ts): at
 * once, later in a digest, or not at all.
 * `baseUrl` makes the link absolute in the email.
 */
export async function notify(db: Kysely<Database>, mailer: Mailer, notification: NewNotification, baseUrl: string): Promise<void> {
  const user = await db.selectFrom('users').select(['email', 'language', 'disabled_at']).where('id', '=', notification.userId).executeTakeFirst();
  if (!user || user.disabled_at !== null) return;
  const link = notification.link ? `/${user.language}/${notification.link.replace(/^\//, '')}` : null;
  const delivery = await deliveryOf(db, notification.userId, notification.kind);
  await db
    .insertInto('notifications')
    .values({
      user_id: notification.userId,
      kind: notification.kind,
      params: JSON.stringify(notification.params),
      link,
      created_at: now(),
      read_at: null,
      // Waits for the member's digest (src/server/notifications/digests.ts).
      digest: delivery === 'daily' || delivery === 'weekly' ? delivery : null,
    })
    .execute();
  if (delivery !== 'immediate') return;
  const kind = NOTIFICATION_KINDS[notification.kind];
  const t = createTranslator(user.language);
  const params = resolveParams(notification.params, user.language);
  const linkLine = link ? `\n\n${baseUrl}${link}` : '';
  await mailer.send({
    to: user.email,
    language: user.language,
    subject: t(kind.emailSubject, params),
    text: `${t(kind.emailBody, params)}${linkLine}`,
  });
}

/** How a domain workflow reaches people: the mailer, and the origin links in emails point to. */
export interface Notifier {
  mailer: Mailer;
  baseUrl: string;
}

/**
 * Tells each of several members the same thing, each once; never `exceptId`, the member
 * who did it (they know).
 */
export async function notifyEach(
  db: Kysely<Database>,
  notifier: Notifier,
  userIds: Iterable<string>,
  notification: Omit<NewNotification, 'userId'>,
  exceptId: string | null = null,
): Promise<void> {
  for (const userId of new Set(userIds)) {
    if (userId !== exceptId) await notify(db, notifier.mailer, { ...notification, userId }, notifier.baseUrl);
  }
}

/** A member's notifications, newest first. */
export function listNotifications(db: Kysely<Database>, userId: string, limit = 50) {
  return db.selectFrom('notifications').selectAll().where('user_id', '=', userId).orderBy('id', 'desc').limit(limit).execute();
}

/** The badge counts unread notifications up to this, and shows "99+" from it on. */
export const UNREAD_COUNT_CAP = 100;

/**
 * Counts a member's unread notifications, stopping at UNREAD_COUNT_CAP: the badge on
 * every page needs no more, and a member with 20,000 unread would otherwise have them all
 * counted on every view. Reads the partial index `notifications_unread` (user_id, id)
 * WHERE read_at IS NULL (migration 0012) on both engines. `userId` may also be a column of
 * an enclosing query (the session check counts with the session: src/server/auth/session-adapter.ts).
 */
export function unreadCountQuery(db: Kysely<Database>, userId: string | Expression<string>) {
  const unread = db.selectFrom('notifications').select('id').where('user_id', '=', userId).where('read_at', 'is', null).limit(UNREAD_COUNT_CAP);
  return db.selectFrom(unread.as('unread')).select((eb) => eb.fn.countAll<number>().as('count'));
}

// Every signed-in page shows the count: compiled once (src/server/db/compiled-once.ts).
const countUnread = compiledOnce(unreadCountQuery);

/** How many of a member's notifications are unread, up to UNREAD_COUNT_CAP. */
export async function unreadCount(db: Kysely<Database>, userId: string): Promise<number> {
  const [row] = await countUnread(db, userId);
  return Number(row!.count);
}

/** Marks all of a member's notifications read (only theirs: the user id is in the query). */
export async function markAllRead(db: Kysely<Database>, userId: string): Promise<void> {
  await db.updateTable('notifications').set({ read_at: now() }).where('user_id', '=', userId).where('read_at', 'is', null).execute();
}

/** The active editors and administrators, who hear of things to review. */
export async function reviewerIds(db: Kysely<Database>): Promise<string[]> {
  const rows = await db.selectFrom('users').select('id').where('role', 'in', ['editor', 'admin']).where('disabled_at', 'is', null).execute();
  return rows.map((row) => row.id);
}
