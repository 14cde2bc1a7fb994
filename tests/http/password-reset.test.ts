import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { cookieFrom, postForm, signIn } from '../helpers/http.ts';
import { readRows } from '../helpers/server-database.ts';
import { DEMO_PASSWORD, useServer, type RunningServer } from '../helpers/server.ts';
import { isSignedIn, request, setsSession, SIGN_IN } from './support.ts';

const FORGOT_RU = '/ru/password/forgot/?_action=password.requestReset';
const FORGOT_EN = '/en/password/forgot/?_action=password.requestReset';
const RESET_RU = '/ru/password/reset/?_action=password.reset';
const EVIL = 'https://evil.example';
const NEW_PASSWORD = 'ulba river bridge at dawn';

const SENT_RU = 'Если этот адрес принадлежит учётной записи, мы отправили на него ссылку';
const RESET_DONE_RU = 'Пароль изменён. Войдите с новым паролем';
const USED_RU = 'Эта ссылка уже использована';
const UNKNOWN_RU = 'Эта ссылка недействительна';
const MISMATCH_RU = 'Пароли не совпадают.';
const COMMON_RU = 'Этот пароль слишком распространён.';

interface OutboxMail {
  to_address: string;
  subject: string;
  text_body: string;
  language: string;
}

/** The server's outbox, oldest first, read straight from its database. */
function outbox(running: RunningServer): Promise<OutboxMail[]> {
  return readRows(running.databaseUrl, sql<OutboxMail>`SELECT to_address, subject, text_body, language FROM email_outbox ORDER BY id`);
}

/** The reset link (path and query) in an email. */
function linkIn(mail: OutboxMail, running: RunningServer): string {
  const link = mail.text_body.match(/https?:\/\/\S+/)?.[0];
  expect(link).toBeDefined();
  const url = new URL(link!);
  expect(url.origin).toBe(running.url);
  return url.pathname + url.search;
}

const tokenOf = (path: string) => new URL(path, 'http://x').searchParams.get('token')!;

const server = useServer();

/** Asks for a reset link for `email` and returns its path, from the outbox. */
async function resetLinkFor(email: string): Promise<string> {
  const before = (await outbox(server)).length;
  expect((await postForm(server.url, FORGOT_RU, { email })).status).toBe(200);
  const mail = await outbox(server);
  expect(mail).toHaveLength(before + 1);
  expect(mail.at(-1)!.to_address).toBe(email);
  return linkIn(mail.at(-1)!, server);
}

/** Whether an email and password sign in through the real form. */
async function canSignIn(email: string, password: string): Promise<boolean> {
  const response = await postForm(server.url, SIGN_IN, { email, password });
  return response.status === 303 && setsSession(response);
}

describe('asking for a password reset', () => {
  it('answers the same page for an account’s email and an unknown one, and emails only the account, in its language', async () => {
    const known = await postForm(server.url, FORGOT_RU, { email: 'ridder@example.org' });
    const unknown = await postForm(server.url, FORGOT_RU, { email: 'nobody@example.org' });
    expect(known.status).toBe(200);
    expect(unknown.status).toBe(200);
    const knownBody = (await known.text()).replaceAll('ridder@example.org', '');
    const unknownBody = (await unknown.text()).replaceAll('nobody@example.org', '');
    expect(knownBody).toContain(SENT_RU);
    expect(knownBody).toBe(unknownBody);

    const mail = await outbox(server);
    expect(mail).toHaveLength(1);
    expect(mail[0]).toMatchObject({ to_address: 'ridder@example.org', subject: 'Сброс пароля', language: 'ru' });
    expect(linkIn(mail[0]!, server)).toMatch(/^\/ru\/password\/reset\/\?token=[A-Za-z0-9_-]{43}$/);
  });

  it('an email that is not valid is refused with 400, keeping what was typed', async () => {
    const response = await postForm(server.url, FORGOT_RU, { email: 'not-an-email' });
    expect(response.status).toBe(400);
    const body = await response.text();
    expect(body).toContain('value="not-an-email"');
    expect(body).not.toContain(SENT_RU);
  });

  it('a request posted from another site gets 403 and sends nothing', async () => {
    const before = (await outbox(server)).length;
    const response = await postForm(server.url, FORGOT_RU, { email: 'ridder@example.org' }, { origin: EVIL });
    expect(response.status).toBe(403);
    expect(await outbox(server)).toHaveLength(before);
  });
});

describe('the reset link', () => {
  it('opens a form; the new password replaces the old one, signs the account out everywhere, and the link then says it was used', async () => {
    const before = await signIn(server.url, 'ridder@example.org', DEMO_PASSWORD);
    const link = await resetLinkFor('ridder@example.org');

    const form = await request(server.url, link);
    expect(form.status).toBe(200);
    const formBody = await form.text();
    expect(formBody).toContain(`action="${RESET_RU}"`);
    expect(formBody).toContain(`name="token" value="${tokenOf(link)}"`);

    const saved = await postForm(server.url, RESET_RU, { token: tokenOf(link), password: NEW_PASSWORD, confirm: NEW_PASSWORD });
    expect(saved.status).toBe(303);
    expect(saved.headers.get('location')).toBe('/ru/sign-in/?reset=done');
    expect(setsSession(saved)).toBe(false);
    const notice = await request(server.url, '/ru/sign-in/?reset=done');
    expect(notice.status).toBe(200);
    expect(await notice.text()).toContain(RESET_DONE_RU);

    expect(await isSignedIn(server.url, before)).toBe(false);
    expect(await canSignIn('ridder@example.org', DEMO_PASSWORD)).toBe(false);
    expect(await canSignIn('ridder@example.org', NEW_PASSWORD)).toBe(true);

    const again = await request(server.url, link);
    expect(again.status).toBe(400);
    const againBody = await again.text();
    expect(againBody).toContain(USED_RU);
    expect(againBody).not.toContain('name="token"');
    expect(againBody).toContain('href="/ru/password/forgot/"');

    const reused = await postForm(server.url, RESET_RU, { token: tokenOf(link), password: 'someone else’s new password', confirm: 'someone else’s new password' });
    expect(reused.status).toBe(400);
    expect(await reused.text()).toContain(USED_RU);
    expect(await canSignIn('ridder@example.org', NEW_PASSWORD)).toBe(true);
  });

  it('refuses a confirmation that differs, or a common password, with 400 in Russian, and the link still works', async () => {
    const link = await resetLinkFor('temirtau-admin@example.org');
    const token = tokenOf(link);

    const mismatch = await postForm(server.url, RESET_RU, { token, password: NEW_PASSWORD, confirm: `${NEW_PASSWORD}!` });
    expect(mismatch.status).toBe(400);
    const mismatchBody = await mismatch.text();
    expect(mismatchBody).toContain(MISMATCH_RU);
    expect(mismatchBody).toContain(`name="token" value="${token}"`);
    expect(mismatchBody).not.toContain(NEW_PASSWORD);

    const common = await postForm(server.url, RESET_RU, { token, password: 'password1', confirm: 'password1' });
    expect(common.status).toBe(400);
    expect(await common.text()).toContain(COMMON_RU);

    const fromElsewhere = await postForm(server.url, RESET_RU, { token, password: NEW_PASSWORD, confirm: NEW_PASSWORD }, { origin: EVIL });
    expect(fromElsewhere.status).toBe(403);

    expect(await canSignIn('temirtau-admin@example.org', DEMO_PASSWORD)).toBe(true);
    const stillOpen = await request(server.url, link);
    expect(stillOpen.status).toBe(200);
    expect(await stillOpen.text()).toContain(`name="token" value="${token}"`);
  });

  it('a made-up link says it is not valid, with 400', async () => {
    const opened = await request(server.url, `/ru/password/reset/?token=${'A'.repeat(43)}`);
    expect(opened.status).toBe(400);
    expect(await opened.text()).toContain(UNKNOWN_RU);

    const bare = await request(server.url, '/en/password/reset/');
    expect(bare.status).toBe(400);
    expect(await bare.text()).toContain('This link is not valid.');

    const posted = await postForm(server.url, RESET_RU, { token: 'B'.repeat(43), password: NEW_PASSWORD, confirm: NEW_PASSWORD });
    expect(posted.status).toBe(400);
    expect(await posted.text()).toContain(UNKNOWN_RU);
  });
});

describe('the mail outbox page', () => {
  it('sends an anonymous visitor to sign in', async () => {
    const response = await request(server.url, '/en/admin/outbox/');
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toMatch(/^\/en\/sign-in\/\?next=/);
  });

  it('is forbidden (403) to a member, and shows no mail', async () => {
    const cookie = await signIn(server.url, 'temirtau@example.org', DEMO_PASSWORD);
    const response = await request(server.url, '/en/admin/outbox/', { cookie });
    expect(response.status).toBe(403);
    const body = await response.text();
    expect(body).toContain('Your account cannot open this page.');
    expect(body).not.toContain('Сброс пароля');
    expect(body).not.toContain('token=');
  });

  it('shows an administrator the email written, newest first', async () => {
    const cookie = await signIn(server.url, 'admin@example.org', DEMO_PASSWORD);
    const response = await request(server.url, '/en/admin/outbox/', { cookie });
    expect(response.status).toBe(200);
    const body = await response.text();
    expect(body).toContain('Сброс пароля');
    expect(body).toContain('ridder@example.org');
    expect(body.indexOf('temirtau-admin@example.org')).toBeLessThan(body.indexOf('ridder@example.org'));
  });
});

describe('reset requests from one address', () => {
  const fresh = useServer();

  it('are limited: the 6th within an hour gets 429 with a clear message and sends nothing', async () => {
    for (let i = 1; i <= 5; i++) {
      expect((await postForm(fresh.url, FORGOT_EN, { email: `nobody${i}@example.org` })).status, `request ${i}`).toBe(200);
    }
    const sixth = await postForm(fresh.url, FORGOT_EN, { email: 'ridder@example.org' });
    expect(sixth.status).toBe(429);
    const body = await sixth.text();
    expect(body).toContain('Too many reset requests from your connection. Wait an hour, then try again.');
    expect(body).toContain('value="ridder@example.org"');
    expect(await outbox(fresh)).toEqual([]);
    expect(cookieFrom(sixth, 'qala_session')).toBeUndefined();
  });
});
