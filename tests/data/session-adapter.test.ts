import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Adapter } from 'lucia';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { insertUser } from '~/server/accounts/users.ts';
import type { Database } from '~/server/db/schema.ts';
import { createSessionAdapter, HASHED_SESSION_ID_PREFIX, hashSessionToken } from '~/server/auth/session-adapter.ts';
import { UNREAD_COUNT_CAP } from '~/server/notifications/notifications.ts';
import { createTestDatabase } from '../helpers/database.ts';

let db: Kysely<Database>;
let cleanup: () => Promise<void>;
let adapter: Adapter;
let userId: string;
let otherUserId: string;

const inOneHour = () => new Date(Math.floor(Date.now() / 1000) * 1000 + 3600_000);
const session = (id: string, user = userId, expiresAt = inOneHour()) => ({ id, userId: user, expiresAt, attributes: { created_at: 1_700_000_000 } });

beforeEach(async () => {
  ({ db, cleanup } = await createTestDatabase());
  adapter = createSessionAdapter(db);
  const town = await db
    .insertInto('towns')
    .values({ slug: 'ridder', name_kk: 'Риддер', name_ru: 'Риддер', name_en: 'Ridder', region: 'east-kazakhstan', population: null, main_industry: null, founding_enterprise_kk: null, founding_enterprise_ru: null, founding_enterprise_en: null, economic_potential: 'high', created_at: 1, updated_at: 1 })
    .returning('id')
    .executeTakeFirstOrThrow();
  const account = { passwordHash: 'not-used', role: 'member' as const, language: 'ru' as const };
  userId = await insertUser(db, { ...account, email: 'irina@example.org', displayName: 'Irina', townId: town.id });
  otherUserId = await insertUser(db, { ...account, email: 'other@example.org', displayName: 'Other', townId: null });
});
afterEach(() => cleanup());

describe('the lucia session adapter', () => {
  it('stores only the SHA-256 of a session id, never the id', async () => {
    await adapter.setSession(session('secret-token-1'));
    const rows = await db.selectFrom('sessions').selectAll().execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]!.id_hash).toBe(createHash('sha256').update('secret-token-1').digest('hex'));
    expect(JSON.stringify(rows)).not.toContain('secret-token-1');
  });

  it('getSessionAndUser finds the session by its id and loads the user with their town', async () => {
    const expiresAt = inOneHour();
    await adapter.setSession(session('token-a', userId, expiresAt));
    const [found, user] = await adapter.getSessionAndUser('token-a');
    expect(found).toEqual({ id: 'token-a', userId, expiresAt, attributes: { created_at: 1_700_000_000 } });
    expect(user?.id).toBe(userId);
    expect(user?.attributes).toMatchObject({ email: 'irina@example.org', display_name: 'Irina', role: 'member', town_slug: 'ridder', town_name_en: 'Ridder' });
  });

  it("getSessionAndUser counts the user's own unread notifications, up to the badge's cap", async () => {
    await adapter.setSession(session('token-unread'));
    const unreadOf = async () => (await adapter.getSessionAndUser('token-unread'))[1]?.attributes.unread_notifications;
    expect(await unreadOf()).toBe(0);
    const rows = (user: string, count: number, readAt: number | null) =>
      Array.from({ length: count }, (_, index) => ({ user_id: user, kind: 'security.password_changed', params: '{}', link: null, created_at: 1_800_000_000 + index, read_at: readAt }));
    await db.insertInto('notifications').values([...rows(userId, 3, null), ...rows(userId, 4, 1_800_000_100), ...rows(otherUserId, 5, null)]).execute();
    expect(await unreadOf()).toBe(3);
    await db.insertInto('notifications').values(rows(userId, 150, null)).execute();
    expect(await unreadOf()).toBe(UNREAD_COUNT_CAP);
  });

  it('getSessionAndUser answers nothing for an unknown id or for the stored hash itself', async () => {
    await adapter.setSession(session('token-b'));
    expect(await adapter.getSessionAndUser('token-unknown')).toEqual([null, null]);
    // Someone who reads the database cannot use a hash as a cookie.
    expect(await adapter.getSessionAndUser(hashSessionToken('token-b'))).toEqual([null, null]);
  });

  it('getUserSessions lists a user’s sessions by hash only', async () => {
    await adapter.setSession(session('token-c1'));
    await adapter.setSession(session('token-c2'));
    await adapter.setSession(session('token-other', otherUserId));
    const sessions = await adapter.getUserSessions(userId);
    expect(sessions.map((s) => s.id).sort()).toEqual(
      [HASHED_SESSION_ID_PREFIX + hashSessionToken('token-c1'), HASHED_SESSION_ID_PREFIX + hashSessionToken('token-c2')].sort(),
    );
  });

  it('updateSessionExpiration moves the expiry', async () => {
    await adapter.setSession(session('token-d'));
    const later = new Date(inOneHour().getTime() + 3600_000);
    await adapter.updateSessionExpiration('token-d', later);
    const [found] = await adapter.getSessionAndUser('token-d');
    expect(found?.expiresAt).toEqual(later);
  });

  it('deleteSession removes one session, by token or by listed hash', async () => {
    await adapter.setSession(session('token-e1'));
    await adapter.setSession(session('token-e2'));
    await adapter.deleteSession('token-e1');
    expect(await adapter.getSessionAndUser('token-e1')).toEqual([null, null]);
    const [listed] = await adapter.getUserSessions(userId);
    await adapter.deleteSession(listed!.id);
    expect(await adapter.getUserSessions(userId)).toEqual([]);
  });

  it('deleteUserSessions removes all of one user’s sessions and no one else’s', async () => {
    await adapter.setSession(session('token-f1'));
    await adapter.setSession(session('token-f2'));
    await adapter.setSession(session('token-f3', otherUserId));
    await adapter.deleteUserSessions(userId);
    expect(await adapter.getUserSessions(userId)).toEqual([]);
    expect(await adapter.getUserSessions(otherUserId)).toHaveLength(1);
  });

  it('deleteExpiredSessions removes only sessions past their expiry', async () => {
    await adapter.setSession(session('token-old', userId, new Date(Date.now() - 1000)));
    await adapter.setSession(session('token-live'));
    await adapter.deleteExpiredSessions();
    expect(await adapter.getSessionAndUser('token-old')).toEqual([null, null]);
    expect((await adapter.getSessionAndUser('token-live'))[0]).not.toBeNull();
  });

  it('sessions go when their user is deleted', async () => {
    await adapter.setSession(session('token-g'));
    await db.deleteFrom('users').where('id', '=', userId).execute();
    expect(await db.selectFrom('sessions').selectAll().execute()).toEqual([]);
  });
});
