import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Adapter, DatabaseSession, DatabaseUser } from 'lucia';
import type { Language } from '~/i18n/index.ts';
import { now } from '~/lib/clock.ts';
import { compiledOnce } from '~/server/db/compiled-once.ts';
import type { Database, Role, UnixSeconds } from '~/server/db/schema.ts';
import { unreadCountQuery } from '~/server/notifications/notifications.ts';

/** What lucia keeps beside each session: when it began, for the absolute timeout. */
export interface SessionAttributesRow {
  created_at: UnixSeconds;
}

/** What lucia loads with each session's user: the account and its town in one query. */
export interface UserAttributesRow {
  email: string;
  display_name: string;
  role: Role;
  language: Language;
  disabled_at: UnixSeconds | null;
  town_id: number | null;
  town_slug: string | null;
  town_name_kk: string | null;
  town_name_ru: string | null;
  town_name_en: string | null;
  partner_id: number | null;
  partner_name: string | null;
  /** The account's unread notifications, counted up to UNREAD_COUNT_CAP (see `sessionAndUser`). */
  unread_notifications: number;
}

/**
 * Ids that `getUserSessions` hands out are hashes, marked with this prefix, because
 * the tokens themselves are never stored. `deleteSession` accepts either form.
 */
export const HASHED_SESSION_ID_PREFIX = 'sha256:';

/** SHA-256 of a session token, as stored in `sessions.id_hash`. */
export function hashSessionToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

function storedIdFor(sessionId: string): string {
  return sessionId.startsWith(HASHED_SESSION_ID_PREFIX)
    ? sessionId.slice(HASHED_SESSION_ID_PREFIX.length)
    : hashSessionToken(sessionId);
}

const toSeconds = (date: Date): UnixSeconds => Math.floor(date.getTime() / 1000);
const toDate = (seconds: UnixSeconds): Date => new Date(seconds * 1000);

/**
 * A session with its account, town and partner in one query. Every signed-in request
 * makes it, so it is compiled once (src/server/db/compiled-once.ts). It also counts the
 * account's unread notifications up to the badge's cap (through the partial index
 * `notifications_unread`, at most a hundred entries): every signed-in page shows that
 * count in its header, and asking with the session saves each page a query of its own
 * (on PostgreSQL a round trip, taken after the page's own reads, when the header renders).
 */
const sessionAndUser = compiledOnce((db: Kysely<Database>, idHash: string) =>
  db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .leftJoin('towns', 'towns.id', 'users.town_id')
    .leftJoin('partners', 'partners.id', 'users.partner_id')
    .select([
      'sessions.user_id',
      'sessions.expires_at',
      'sessions.created_at',
      'users.email',
      'users.display_name',
      'users.role',
      'users.language',
      'users.disabled_at',
      'users.town_id',
      'towns.slug as town_slug',
      'towns.name_kk as town_name_kk',
      'towns.name_ru as town_name_ru',
      'towns.name_en as town_name_en',
      'users.partner_id',
      'partners.name as partner_name',
      (eb) => unreadCountQuery(db, eb.ref('sessions.user_id')).as('unread_notifications'),
    ])
    .where('sessions.id_hash', '=', idHash)
    .limit(1),
);

/**
 * lucia 3 adapter over kysely. lucia has none for kysely, and the SQLite adapter does
 * not support better-sqlite3 12. Unlike lucia's own adapters it stores only the
 * SHA-256 of each session id, so a leaked database holds no usable session.
 */
export function createSessionAdapter(db: Kysely<Database>): Adapter {
  return {
    async getSessionAndUser(sessionId): Promise<[DatabaseSession | null, DatabaseUser | null]> {
      const [row] = await sessionAndUser(db, storedIdFor(sessionId));
      if (!row) return [null, null];
      const { user_id, expires_at, created_at, unread_notifications, ...rest } = row;
      const attributes: UserAttributesRow = { ...rest, unread_notifications: Number(unread_notifications ?? 0) };
      return [
        { id: sessionId, userId: user_id, expiresAt: toDate(expires_at), attributes: { created_at } },
        { id: user_id, attributes },
      ];
    },

    async getUserSessions(userId) {
      const rows = await db.selectFrom('sessions').selectAll().where('user_id', '=', userId).execute();
      return rows.map((row) => ({
        id: HASHED_SESSION_ID_PREFIX + row.id_hash,
        userId: row.user_id,
        expiresAt: toDate(row.expires_at),
        attributes: { created_at: row.created_at },
      }));
    },

    async setSession(session) {
      await db
        .insertInto('sessions')
        .values({
          id_hash: hashSessionToken(session.id),
          user_id: session.userId,
          expires_at: toSeconds(session.expiresAt),
          created_at: session.attributes.created_at,
        })
        .execute();
    },

    async updateSessionExpiration(sessionId, expiresAt) {
      await db
        .updateTable('sessions')
        .set({ expires_at: toSeconds(expiresAt) })
        .where('id_hash', '=', storedIdFor(sessionId))
        .execute();
    },

    async deleteSession(sessionId) {
      await db.deleteFrom('sessions').where('id_hash', '=', storedIdFor(sessionId)).execute();
    },

    async deleteUserSessions(userId) {
      await db.deleteFrom('sessions').where('user_id', '=', userId).execute();
    },

    async deleteExpiredSessions() {
      await db.deleteFrom('sessions').where('expires_at', '<=', now()).execute();
    },
  };
}
