import type { Kysely } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { insertUser } from '~/server/accounts/users.ts';
import type { Database } from '~/server/db/schema.ts';
import { createMailer, latestOutboxMail } from '~/server/mail/mailer.ts';
import { NOTIFICATION_KINDS } from '~/server/notifications/kinds.ts';
import { listNotifications, markAllRead, notify, setEmailPreference, unreadCount, wantsEmail } from '~/server/notifications/notifications.ts';
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

  it('email preferences default to yes and can be turned off per kind; security notices always email', async () => {
    expect(await wantsEmail(db, aigerim, 'security.password_changed')).toBe(true);
    await setEmailPreference(db, aigerim, 'security.password_changed', false);
    expect(await wantsEmail(db, aigerim, 'security.password_changed')).toBe(false);
    await setEmailPreference(db, aigerim, 'security.password_changed', true);
    expect(await wantsEmail(db, aigerim, 'security.password_changed')).toBe(true);
    // Even with email turned off, a security notice is emailed.
    expect(NOTIFICATION_KINDS['security.password_changed'].alwaysEmail).toBe(true);
    await setEmailPreference(db, aigerim, 'security.password_changed', false);
    await passwordChanged(aigerim);
    expect(await latestOutboxMail(db)).toHaveLength(1);
  });
});
