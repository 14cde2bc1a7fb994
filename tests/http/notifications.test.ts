import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { cookieFrom, postForm, signIn } from '../helpers/http.ts';
import { readRows, withServerDatabase } from '../helpers/server-database.ts';
import { DEMO_PASSWORD, useServer } from '../helpers/server.ts';
import { request } from './support.ts';

const server = useServer();

describe('a member’s notifications', () => {
  it('need a signed-in member', async () => {
    const response = await request(server.url, '/en/account/notifications/');
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toMatch(/^\/en\/sign-in\/\?next=/);
  });

  it('tell the member their password changed, count as new in the menu, and can be marked read', async () => {
    const oldCookie = await signIn(server.url, 'ridder@example.org', DEMO_PASSWORD);
    const change = await postForm(server.url, '/en/account/password/?_action=password.change', { current: DEMO_PASSWORD, password: 'a brand new passphrase' }, { cookie: oldCookie });
    expect(change.status).toBe(200);
    // A password change gives the session a new id (see password-change.test.ts).
    const cookie = cookieFrom(change, 'qala_session')!;

    const menu = await (await request(server.url, '/en/user-menu/', { cookie })).text();
    expect(menu).toContain('Notifications (1 new)');
    const page = await (await request(server.url, '/en/account/notifications/', { cookie })).text();
    expect(page).toContain('Your password was changed');
    expect(page).toContain('notification--unread');

    const read = await postForm(server.url, '/en/account/notifications/?_action=notifications.markAllRead', {}, { cookie });
    expect(read.status).toBe(200);
    // The page answering the post counts after the action, not with the session check before it.
    const answered = await read.text();
    expect(answered).toContain('notify-badge');
    expect(answered).not.toContain('new)');
    expect(await (await request(server.url, '/en/user-menu/', { cookie })).text()).not.toContain('new)');
  });

  it('cannot be marked read by someone signed out', async () => {
    const response = await postForm(server.url, '/en/account/notifications/?_action=notifications.markAllRead', {});
    expect(response.status).toBe(303);
  });
});

describe('reviewers hear of new membership applications', () => {
  const apply = (town: string, email: string) =>
    postForm(server.url, '/en/membership/apply/?_action=membership.apply', {
      townName: town,
      region: 'zhambyl',
      population: '',
      mainIndustry: 'Railway junction',
      contactName: 'Marat Ospanov',
      email,
      phone: '+7 702 111 22 33',
      motivation: 'We want to learn how other towns renew their water networks.',
    });

  const mailTo = (address: string) =>
    readRows(server.databaseUrl, sql<{ subject: string; text_body: string }>`select subject, text_body from email_outbox where to_address = ${address} order by id`);

  it('in their list and by email in their language, unless they turned that email off', async () => {
    expect((await apply('Shu', 'marat@example.org')).status).toBe(200);
    const editor = await signIn(server.url, 'editor@example.org', DEMO_PASSWORD);
    expect(await (await request(server.url, '/ru/account/notifications/', { cookie: editor })).text()).toContain('Новая заявка на членство: Shu');
    const mail = await mailTo('editor@example.org');
    expect(mail.at(-1)!.subject).toBe('Новая заявка на членство: Shu');
    expect(mail.at(-1)!.text_body).toContain('/ru/editor/applications/');

    // The editor turns this email off: the next application is still listed, but not emailed.
    const saved = await postForm(server.url, '/en/account/notifications/?_action=notifications.savePreferences', { 'membership.application_received': 'never' }, { cookie: editor });
    expect(saved.status).toBe(200);
    expect((await apply('Karatau', 'aida@example.org')).status).toBe(200);
    expect(await mailTo('editor@example.org')).toHaveLength(mail.length);
    expect(await (await request(server.url, '/en/account/notifications/', { cookie: editor })).text()).toContain('New membership application from Karatau');
    // The administrator still gets both by email.
    expect((await mailTo('admin@example.org')).length).toBeGreaterThanOrEqual(2);
  });

  it('are counted up to a hundred: past 99 the badge says 99+', async () => {
    await withServerDatabase(server.databaseUrl, async (db) => {
      const member = await db.selectFrom('users').select('id').where('email', '=', 'temirtau@example.org').executeTakeFirstOrThrow();
      const rows = Array.from({ length: 150 }, (_, index) => ({ user_id: member.id, kind: 'security.password_changed', params: '{}', link: null, created_at: 1_800_000_000 + index, read_at: null }));
      await db.insertInto('notifications').values(rows).execute();
    });
    const cookie = await signIn(server.url, 'temirtau@example.org', DEMO_PASSWORD);
    const page = await (await request(server.url, '/en/account/', { cookie })).text();
    expect(page).toContain('Notifications (99+ new)');
    expect(page).toMatch(/<span class="notify-badge__count"[^>]*>99\+<\/span>/);
  });
});
