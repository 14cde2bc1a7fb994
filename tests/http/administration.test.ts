import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { postForm, signIn } from '../helpers/http.ts';
import { readRows } from '../helpers/server-database.ts';
import { DEMO_PASSWORD, useServer } from '../helpers/server.ts';
import { isSignedIn, request } from './support.ts';

const server = useServer();

async function userId(email: string): Promise<string> {
  return (await readRows(server.databaseUrl, sql<{ id: string }>`select id from users where email = ${email}`))[0]!.id;
}

async function auditActions(): Promise<string[]> {
  return (await readRows(server.databaseUrl, sql<{ action: string }>`select action from audit_log order by id`)).map((row) => row.action);
}

const ACCOUNTS = '/en/admin/accounts/';

describe('account administration', () => {
  it('is for administrators only: anonymous is sent to sign in, members and editors get 403', async () => {
    expect((await request(server.url, ACCOUNTS)).status).toBe(303);
    for (const email of ['temirtau@example.org', 'editor@example.org']) {
      const cookie = await signIn(server.url, email, DEMO_PASSWORD);
      expect((await request(server.url, ACCOUNTS, { cookie })).status).toBe(403);
      const attempt = await postForm(server.url, `${ACCOUNTS}?_action=admin.changeRole`, { user: await userId('ridder@example.org'), role: 'admin' }, { cookie });
      expect(attempt.status).toBe(403);
    }
  });

  it('lets an administrator find accounts and change a role, recorded in the audit log', async () => {
    const cookie = await signIn(server.url, 'admin@example.org', DEMO_PASSWORD);
    const found = await (await request(server.url, `${ACCOUNTS}?q=ridder`, { cookie })).text();
    expect(found).toContain('ridder@example.org');
    expect(found).not.toContain('temirtau@example.org');
    const changed = await postForm(server.url, `${ACCOUNTS}?_action=admin.changeRole`, { user: await userId('ridder@example.org'), role: 'editor' }, { cookie });
    expect(changed.status).toBe(200);
    expect(await changed.text()).toContain('The role has been changed.');
    const ridder = await signIn(server.url, 'ridder@example.org', DEMO_PASSWORD);
    expect(await (await request(server.url, '/en/account/', { cookie: ridder })).text()).toContain('Editor');
    expect(await auditActions()).toContain('role.changed');
    await postForm(server.url, `${ACCOUNTS}?_action=admin.changeRole`, { user: await userId('ridder@example.org'), role: 'member' }, { cookie });
  });

  it('refuses an administrator changing their own role or disabling themself, and an unknown role', async () => {
    const cookie = await signIn(server.url, 'admin@example.org', DEMO_PASSWORD);
    const self = await postForm(server.url, `${ACCOUNTS}?_action=admin.changeRole`, { user: await userId('admin@example.org'), role: 'member' }, { cookie });
    expect(self.status).toBe(400);
    expect(await self.text()).toContain('ask another administrator');
    const disableSelf = await postForm(server.url, `${ACCOUNTS}?_action=admin.setDisabled`, { user: await userId('admin@example.org'), disabled: 'true' }, { cookie });
    expect(disableSelf.status).toBe(400);
    const bogus = await postForm(server.url, `${ACCOUNTS}?_action=admin.changeRole`, { user: await userId('ridder@example.org'), role: 'superuser' }, { cookie });
    expect(bogus.status).toBe(400);
    expect(await isSignedIn(server.url, cookie)).toBe(true);
  });

  it('disabling ends the account’s sessions at once and blocks sign-in; enabling lets it back', async () => {
    const admin = await signIn(server.url, 'admin@example.org', DEMO_PASSWORD);
    const member = await signIn(server.url, 'temirtau@example.org', DEMO_PASSWORD);
    const id = await userId('temirtau@example.org');
    expect((await postForm(server.url, `${ACCOUNTS}?_action=admin.setDisabled`, { user: id, disabled: 'true' }, { cookie: admin })).status).toBe(200);
    expect(await isSignedIn(server.url, member)).toBe(false);
    await expect(signIn(server.url, 'temirtau@example.org', DEMO_PASSWORD)).rejects.toThrow(/401/);
    expect((await postForm(server.url, `${ACCOUNTS}?_action=admin.setDisabled`, { user: id, disabled: 'false' }, { cookie: admin })).status).toBe(200);
    expect(await isSignedIn(server.url, await signIn(server.url, 'temirtau@example.org', DEMO_PASSWORD))).toBe(true);
    expect(await auditActions()).toEqual(expect.arrayContaining(['account.disabled', 'account.enabled']));
  });

  it('ending a user’s sessions signs them out everywhere but leaves the account usable', async () => {
    const admin = await signIn(server.url, 'admin@example.org', DEMO_PASSWORD);
    const editor = await signIn(server.url, 'editor@example.org', DEMO_PASSWORD);
    expect((await postForm(server.url, `${ACCOUNTS}?_action=admin.endSessions`, { user: await userId('editor@example.org') }, { cookie: admin })).status).toBe(200);
    expect(await isSignedIn(server.url, editor)).toBe(false);
    expect(await isSignedIn(server.url, await signIn(server.url, 'editor@example.org', DEMO_PASSWORD))).toBe(true);
    expect(await auditActions()).toContain('account.sessions_ended');
  });

  it('the audit log page shows sign-ins to administrators only', async () => {
    const admin = await signIn(server.url, 'admin@example.org', DEMO_PASSWORD);
    const page = await (await request(server.url, '/en/admin/audit/', { cookie: admin })).text();
    // Actions as translated labels (more in audit.test.ts).
    expect(page).toContain('Signed in');
    const member = await signIn(server.url, 'ridder@example.org', DEMO_PASSWORD);
    expect((await request(server.url, '/en/admin/audit/', { cookie: member })).status).toBe(403);
  });
});
