import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { AUDIT_ACTIONS } from '~/server/audit/audit.ts';
import { postForm, signIn } from '../helpers/http.ts';
import { readRows } from '../helpers/server-database.ts';
import { DEMO_PASSWORD, useServer } from '../helpers/server.ts';
import { request, SIGN_IN, SIGN_OUT, SIGN_OUT_EVERYWHERE } from './support.ts';

// A server of its own, so the log holds what this file did.
const server = useServer();

async function auditActions(): Promise<string[]> {
  return (await readRows(server.databaseUrl, sql<{ action: string }>`select action from audit_log order by id`)).map((row) => row.action);
}

async function userId(email: string): Promise<string> {
  return (await readRows(server.databaseUrl, sql<{ id: string }>`select id from users where email = ${email}`))[0]!.id;
}

describe('the audit log', () => {
  it('records sign-ins, failures, sign-outs and an administrator ending someone’s sessions', async () => {
    expect((await postForm(server.url, SIGN_IN, { email: 'ridder@example.org', password: 'not the password' })).status).toBe(401);
    const ridder = await signIn(server.url, 'ridder@example.org', DEMO_PASSWORD);
    expect((await postForm(server.url, SIGN_OUT, {}, { cookie: ridder })).status).toBeLessThan(400);
    const again = await signIn(server.url, 'ridder@example.org', DEMO_PASSWORD);
    expect((await postForm(server.url, SIGN_OUT_EVERYWHERE, {}, { cookie: again })).status).toBeLessThan(400);
    const admin = await signIn(server.url, 'admin@example.org', DEMO_PASSWORD);
    await signIn(server.url, 'editor@example.org', DEMO_PASSWORD);
    expect((await postForm(server.url, '/en/admin/accounts/?_action=admin.endSessions', { user: await userId('editor@example.org') }, { cookie: admin })).status).toBe(200);

    expect(await auditActions()).toEqual(
      expect.arrayContaining(['sign_in.failed', 'sign_in.succeeded', 'sign_out.this_device', 'sign_out.everywhere', 'account.sessions_ended']),
    );
  });

  it.each([
    ['en', 'Signed in', 'Sign-in failed', 'Sessions ended by an administrator'],
    ['ru', 'Вход выполнен', 'Неудачная попытка входа', 'Сеансы завершены администратором'],
    ['kk', 'Жүйеге кірді', 'Кіру сәтсіз аяқталды', 'Сеанстарды әкімші аяқтады'],
  ])('the %s page shows translated actions, people by name and email, times with their zone, and no raw action key or user id', async (lang, signedIn, failed, ended) => {
    const admin = await signIn(server.url, 'admin@example.org', DEMO_PASSWORD);
    const response = await request(server.url, `/${lang}/admin/audit/`, { cookie: admin });
    expect(response.status).toBe(200);
    const page = await response.text();
    for (const label of [signedIn, failed, ended]) expect(page).toContain(label);
    expect(page).toContain('ridder@example.org');
    expect(page).toContain('editor@example.org');
    expect(page).toMatch(/\(UTC\+\d+\)/);

    const main = page.slice(page.indexOf('<main'));
    for (const action of AUDIT_ACTIONS) expect(main, action).not.toContain(action);
    const ids = (await readRows(server.databaseUrl, sql<{ id: string }>`select id from users`)).map((row) => row.id);
    for (const id of ids) expect(main, id).not.toContain(id);
  });
});
