import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JOBS } from '~/server/jobs/catalogue.ts';
import { postForm, signIn } from '../helpers/http.ts';
import { readRows, withServerDatabase } from '../helpers/server-database.ts';
import { DEMO_PASSWORD, startServer, useServer, type RunningServer } from '../helpers/server.ts';
import { parseMail, startSmtpServer, type TestSmtpServer } from '../helpers/smtp.ts';
import { request } from './support.ts';

const FORGOT_RU = '/ru/password/forgot/?_action=password.requestReset';
const RETRY_EN = '/en/admin/outbox/?_action=mail.retry';

/** Each mail's address and state, oldest first. */
const mailStates = (running: RunningServer) => readRows(running.databaseUrl, sql<{ id: number; to_address: string; state: string }>`select id, to_address, state from email_outbox order by id`);

describe('without SMTP_URL', () => {
  const server = useServer();

  it('mail waits in the outbox, queued, and administrators see it, filtered by state', async () => {
    expect((await postForm(server.url, FORGOT_RU, { email: 'ridder@example.org' })).status).toBe(200);
    expect((await mailStates(server)).at(-1)).toMatchObject({ to_address: 'ridder@example.org', state: 'queued' });
    const cookie = await signIn(server.url, 'admin@example.org', DEMO_PASSWORD);

    const all = await request(server.url, '/en/admin/outbox/', { cookie });
    expect(all.status).toBe(200);
    const body = await all.text();
    expect(body).toContain('No mail server is configured (SMTP_URL)');
    expect(body).toContain('Сброс пароля');
    expect(body).toContain('>Queued</strong>');
    expect(body).not.toContain('mail-state--sent');

    const failed = await (await request(server.url, '/en/admin/outbox/?state=failed', { cookie })).text();
    expect(failed).toContain('No email in this view.');
    expect(failed).not.toContain('Сброс пароля');
    // Nonsense in the query string is ignored, never a 500.
    for (const query of ['?state=bogus', '?page=abc', '?page=99999', '?state=sent&page=-1']) {
      expect((await request(server.url, `/en/admin/outbox/${query}`, { cookie })).status, query).toBe(200);
    }
  });

  it('an administrator sends a failed mail again (audited); a member may not', async () => {
    await postForm(server.url, FORGOT_RU, { email: 'ridder@example.org' });
    const mail = (await mailStates(server)).at(-1)!;
    // Six failed tries take fifteen hours; the test marks the mail failed itself.
    await withServerDatabase(server.databaseUrl, (db) => db.updateTable('email_outbox').set({ state: 'failed', attempts: 6, last_error: '451 try later' }).where('id', '=', mail.id).execute());

    const admin = await signIn(server.url, 'admin@example.org', DEMO_PASSWORD);
    const page = await (await request(server.url, '/en/admin/outbox/?state=failed', { cookie: admin })).text();
    expect(page).toContain('451 try later');
    expect(page).toContain('Send again<span class="visually-hidden"> to ridder@example.org</span>');

    const member = await signIn(server.url, 'temirtau@example.org', DEMO_PASSWORD);
    expect((await postForm(server.url, RETRY_EN, { mail: String(mail.id) }, { cookie: member })).status).toBe(403);
    expect((await postForm(server.url, RETRY_EN, { mail: 'not-a-number' }, { cookie: admin })).status).toBe(400);
    expect((await mailStates(server)).at(-1)!.state).toBe('failed');

    const retried = await postForm(server.url, RETRY_EN, { mail: String(mail.id) }, { cookie: admin });
    expect(retried.status).toBe(200);
    expect(await retried.text()).toContain('The email is queued again');
    expect((await mailStates(server)).at(-1)!.state).toBe('queued');
    const again = await postForm(server.url, RETRY_EN, { mail: String(mail.id) }, { cookie: admin });
    expect(again.status).toBe(409);
    expect(await again.text()).toContain('This email has not failed');

    const audit = await readRows(server.databaseUrl, sql<{ action: string; target_id: string }>`select action, target_id from audit_log where action = 'mail.retried'`);
    expect(audit).toEqual([{ action: 'mail.retried', target_id: 'ridder@example.org' }]);
  });

  it('the jobs page shows each job’s last run to administrators only, in their language', async () => {
    // The server runs every job when it starts.
    await expect
      .poll(async () => Number((await readRows(server.databaseUrl, sql<{ n: number }>`select count(*) as n from scheduled_jobs where runs > 0`))[0]!.n), { timeout: 15_000 })
      .toBe(JOBS.length);

    const member = await signIn(server.url, 'temirtau@example.org', DEMO_PASSWORD);
    const forbidden = await request(server.url, '/en/admin/jobs/', { cookie: member });
    expect(forbidden.status).toBe(403);
    expect(await forbidden.text()).not.toContain('Sending email');

    const admin = await signIn(server.url, 'admin@example.org', DEMO_PASSWORD);
    const page = await (await request(server.url, '/ru/admin/jobs/', { cookie: admin })).text();
    expect(page).toContain('Отправка писем');
    expect(page).toContain('Удаление истёкших сеансов');
    expect(page).toContain('Успешно');
    expect(page).toMatch(/ждут почтовый сервер: \d/);
    for (const raw of ['send-mail', 'sweep-expired', 'operations.', 'succeeded', '{count}']) expect(page, raw).not.toContain(raw);
  });
});

describe('with SMTP_URL', () => {
  const ORIGIN = 'https://qala.example.org';
  let smtp: TestSmtpServer;
  let server: RunningServer;

  beforeAll(async () => {
    smtp = await startSmtpServer({ auth: { user: 'qala', pass: 'mail-pass' } });
    server = await startServer({ env: { SMTP_URL: smtp.url, MAIL_FROM: 'Qala <no-reply@qala.example.org>', ORIGIN } });
  });
  afterAll(async () => {
    await server?.stop();
    await smtp?.close();
  });

  it('a reset link is sent at once, in the member’s language, with links on ORIGIN and both parts', async () => {
    expect((await postForm(server.url, FORGOT_RU, { email: 'ridder@example.org' }, { origin: ORIGIN })).status).toBe(200);
    await expect.poll(() => smtp.received.length, { timeout: 15_000 }).toBe(1);
    const received = smtp.received[0]!;
    expect(received.to).toEqual(['ridder@example.org']);
    expect(received.user).toBe('qala');
    const mail = parseMail(received.raw);
    expect(mail.headers.get('subject')).toBe('Сброс пароля');
    expect(mail.headers.get('from')).toBe('Qala <no-reply@qala.example.org>');
    expect(mail.headers.get('content-language')).toBe('ru');
    expect(mail.text).toContain('Irina Sokolova');
    const link = /https?:\/\/\S+/.exec(mail.text!)![0];
    expect(link.startsWith(`${ORIGIN}/ru/password/reset/?token=`)).toBe(true);
    expect(mail.html).toContain(`<a href="${link}">`);
    expect(mail.html).toContain('<html lang="ru">');
    await expect.poll(async () => (await mailStates(server)).map((row) => row.state), { timeout: 5_000 }).toEqual(['sent']);

    // With ORIGIN set, only that origin may post the sign-in form.
    const cookie = await signInWithOrigin(server.url, ORIGIN);
    const page = await (await request(server.url, '/en/admin/outbox/?state=sent', { cookie })).text();
    expect(page).toContain('Every email the portal writes is kept here first');
    expect(page).toContain('accepted by the mail server');
  });
});

/** Signs in through the form, posted from `origin`. */
async function signInWithOrigin(baseUrl: string, origin: string): Promise<string> {
  const response = await postForm(baseUrl, '/en/sign-in/?_action=auth.signIn', { email: 'admin@example.org', password: DEMO_PASSWORD }, { origin });
  const cookie = response.headers.getSetCookie().find((line) => line.startsWith('qala_session='))?.split(';')[0];
  if (!cookie) throw new Error(`sign-in failed with ${response.status}`);
  return cookie;
}
