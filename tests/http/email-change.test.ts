import { sql, type RawBuilder } from 'kysely';
import { describe, expect, it } from 'vitest';
import { postForm, signIn } from '../helpers/http.ts';
import { readRows } from '../helpers/server-database.ts';
import { DEMO_PASSWORD, useServer } from '../helpers/server.ts';
import { request } from './support.ts';

const server = useServer();

function query<T>(statement: RawBuilder<T>): Promise<T[]> {
  return readRows(server.databaseUrl, statement);
}

const EMAIL_PAGE = '/en/account/email/';

describe('changing one’s email address', () => {
  it('needs the password and a free address', async () => {
    const cookie = await signIn(server.url, 'ridder@example.org', DEMO_PASSWORD);
    const wrong = await postForm(server.url, `${EMAIL_PAGE}?_action=password.requestEmailChange`, { email: 'irina.new@example.org', password: 'not it' }, { cookie });
    expect(wrong.status).toBe(400);
    expect(await wrong.text()).toContain('The password is not right.');
    const taken = await postForm(server.url, `${EMAIL_PAGE}?_action=password.requestEmailChange`, { email: 'editor@example.org', password: DEMO_PASSWORD }, { cookie });
    expect(taken.status).toBe(409);
    expect(await taken.text()).toContain('already belongs to another account');
  });

  it('happens only when the new address confirms, with a button, and the old address is told', async () => {
    const cookie = await signIn(server.url, 'ridder@example.org', DEMO_PASSWORD);
    const asked = await postForm(server.url, `${EMAIL_PAGE}?_action=password.requestEmailChange`, { email: 'Irina.New@Example.org', password: DEMO_PASSWORD }, { cookie });
    expect(asked.status).toBe(200);
    expect(await asked.text()).toContain('We have sent a confirmation link');

    const [mail] = await query(sql<{ text_body: string }>`select text_body from email_outbox where to_address = 'irina.new@example.org'`);
    // The flow keeps the language it was asked from (English), not the account's (Russian).
    const link = mail!.text_body.match(/(\/en\/account\/email\/confirm\/\?token=[A-Za-z0-9_-]+)/)![1]!;
    const opened = await request(server.url, link);
    expect(opened.status).toBe(200);
    // Opening the link (as a mail scanner would) changes nothing.
    expect(await query(sql`select id from users where email = 'ridder@example.org'`)).toHaveLength(1);

    const token = new URL(link, server.url).searchParams.get('token')!;
    const confirmed = await postForm(server.url, '/en/account/email/confirm/?_action=password.confirmEmailChange', { token });
    expect(confirmed.status).toBe(200);
    expect(await confirmed.text()).toContain('Your email address has been changed.');
    expect(await query(sql`select id from users where email = 'irina.new@example.org'`)).toHaveLength(1);
    expect(await query(sql`select id from email_outbox where to_address = 'ridder@example.org'`)).toHaveLength(1);
    expect(await query(sql`select id from audit_log where action = 'email.changed'`)).toHaveLength(1);

    await signIn(server.url, 'irina.new@example.org', DEMO_PASSWORD);
    const again = await request(server.url, link);
    expect(again.status).toBe(400);
  });

  it('cannot be asked for without signing in', async () => {
    const response = await postForm(server.url, `${EMAIL_PAGE}?_action=password.requestEmailChange`, { email: 'x@example.org', password: DEMO_PASSWORD });
    expect(response.status).toBe(303);
  });
});
