import type { Kysely } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { insertUser } from '~/server/accounts/users.ts';
import type { Database } from '~/server/db/schema.ts';
import { createMailer, latestOutboxMail } from '~/server/mail/mailer.ts';
import { NOTIFICATION_KINDS } from '~/server/notifications/kinds.ts';
import { listNotifications, markAllRead, notify, unreadCount } from '~/server/notifications/notifications.ts';
import { deliveryOf, saveDeliveryChoices } from '~/server/notifications/preferences.ts';
import { createTestDatabase } from '../helpers/database.ts';

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
