import { CompiledQuery, sql, type Kysely } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { insertUser } from '~/server/accounts/users.ts';
import type { Database } from '~/server/db/schema.ts';
import { createMailer, latestOutboxMail } from '~/server/mail/mailer.ts';
import { NOTIFICATION_KINDS } from '~/server/notifications/kinds.ts';
import { listNotifications, markAllRead, notify, UNREAD_COUNT_CAP, unreadCount, unreadCountQuery } from '~/server/notifications/notifications.ts';
import { deliveryOf, saveDeliveryChoices } from '~/server/notifications/preferences.ts';
import { createTestDatabase, testEngine } from '../helpers/database.ts';

let db: Kysely<Database>;
let cleanup: () => Promise<void>;
let aigerim: string;
let boris: string;
const mailer = () => createMailer(db, { smtpUrl: undefined, from: 'Qala <no-reply@example.org>' });

beforeEach(async () => {
  ({ db, cleanup } = await createTestDatabase());
  const account = { passwordHash: 'x', role: 'member' as const, townId: null };
  aigerim = await insertUser(db, { ...account, email: 'aigerim@example.org', displayName: 'Aigerim', language: 'kk' });
  boris = await insertUser(db, { ...account, email: 'boris@example.org', displayName: 'Boris', language: 'ru' });
});
afterEach(() => cleanup());

const passwordChanged = (userId: string) =>
  notify(db, mailer(), { userId, kind: 'security.password_changed', params: { name: 'X' }, link: 'account/' }, 'https://qala.example.org');

describe('notifications', () => {
  it('are stored for the member and emailed in the member’s language, with a link in that language', async () => {
    await passwordChanged(aigerim);
    const [stored] = await listNotifications(db, aigerim);
    expect(stored).toMatchObject({ kind: 'security.password_changed', link: '/kk/account/', read_at: null });
    const [mail] = await latestOutboxMail(db);
    expect(mail).toMatchObject({ to_address: 'aigerim@example.org', language: 'kk', subject: 'Құпиясөзіңіз өзгертілді' });
    expect(mail!.text_body).toContain('https://qala.example.org/kk/account/');
  });

  it('count as unread until the member marks them read, and marking touches only their own', async () => {
    await passwordChanged(aigerim);
    await passwordChanged(aigerim);
    await passwordChanged(boris);
    expect(await unreadCount(db, aigerim)).toBe(2);
    await markAllRead(db, aigerim);
    expect(await unreadCount(db, aigerim)).toBe(0);
    expect(await unreadCount(db, boris)).toBe(1);
  });

  it('are not sent to a disabled account', async () => {
    await db.updateTable('users').set({ disabled_at: 1 }).where('id', '=', boris).execute();
    await passwordChanged(boris);
    expect(await listNotifications(db, boris)).toEqual([]);
    expect(await latestOutboxMail(db)).toEqual([]);
  });

  it('email deliveries default to immediately and can be chosen per kind; security notices always come immediately', async () => {
    expect(await deliveryOf(db, aigerim, 'exchange.new_request')).toBe('immediate');
    await saveDeliveryChoices(db, aigerim, { 'exchange.new_request': 'never' });
    expect(await deliveryOf(db, aigerim, 'exchange.new_request')).toBe('never');
    await saveDeliveryChoices(db, aigerim, { 'exchange.new_request': 'weekly' });
    expect(await deliveryOf(db, aigerim, 'exchange.new_request')).toBe('weekly');
    // Security notices are not choosable: a stored row (however it got there) is ignored.
    expect(NOTIFICATION_KINDS['security.password_changed'].alwaysEmail).toBe(true);
    await db.insertInto('notification_preferences').values({ user_id: aigerim, kind: 'security.password_changed', delivery: 'never' }).execute();
    expect(await deliveryOf(db, aigerim, 'security.password_changed')).toBe('immediate');
    await passwordChanged(aigerim);
    expect(await latestOutboxMail(db)).toHaveLength(1);
  });
});

describe('the unread count', () => {
  const unreadRows = (userId: string, count: number, readAt: number | null = null) =>
    Array.from({ length: count }, (_, index) => ({ user_id: userId, kind: 'security.password_changed', params: '{}', link: null, created_at: 1_800_000_000 + index, read_at: readAt }));

  it('counts up to the cap, and only the member’s unread ones', async () => {
    await db.insertInto('notifications').values(unreadRows(aigerim, 42)).execute();
    await db.insertInto('notifications').values(unreadRows(aigerim, 5, 1_800_000_100)).execute();
    expect(await unreadCount(db, aigerim)).toBe(42);
    await db.insertInto('notifications').values(unreadRows(aigerim, 200)).execute();
    expect(await unreadCount(db, aigerim)).toBe(UNREAD_COUNT_CAP);
    expect(await unreadCount(db, boris)).toBe(0);
  });

  it('reads the partial index of unread notifications, not the table', async () => {
    const compiled = unreadCountQuery(db, aigerim).compile();
    const plan = await db.transaction().execute(async (trx) => {
      if (testEngine() === 'postgres') {
        // A small test table would be scanned whatever the indexes: ask whether the index can answer.
        await sql`SET LOCAL enable_seqscan = off`.execute(trx);
        return (await trx.executeQuery(CompiledQuery.raw(`EXPLAIN ${compiled.sql}`, [...compiled.parameters]))).rows;
      }
      return (await trx.executeQuery(CompiledQuery.raw(`EXPLAIN QUERY PLAN ${compiled.sql}`, [...compiled.parameters]))).rows;
    });
    const text = JSON.stringify(plan);
    expect(text).toContain('notifications_unread');
    expect(text).not.toMatch(/SCAN notifications(?! USING)|Seq Scan on notifications/);
  });
});
