import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { cookieFrom, postForm, signIn } from '../helpers/http.ts';
import { readRows } from '../helpers/server-database.ts';
import { DEMO_PASSWORD, useServer } from '../helpers/server.ts';
import { isSignedIn, request, setsSession, SIGN_IN } from './support.ts';

const CHANGE = '/en/account/password/?_action=password.change';
const NEW_PASSWORD = 'steel works by the lake 1960';
const DONE = 'Your password has been changed.';
const WRONG = 'The current password is not right.';

const server = useServer();

/** Whether an email and password sign in through the real form. */
async function canSignIn(email: string, password: string): Promise<boolean> {
  const response = await postForm(server.url, SIGN_IN, { email, password });
  return response.status === 303 && setsSession(response);
}

/** How many password changes the audit log holds, read from the server's database. */
async function passwordChanges(): Promise<number> {
  return (await readRows(server.databaseUrl, sql<{ n: number }>`SELECT count(*) AS n FROM audit_log WHERE action = 'password.changed'`))[0]!.n;
}

describe('changing one’s password', () => {
  it('gives this session a new id (a new cookie that works, the old one no longer does) and ends every other session', async () => {
    const here = await signIn(server.url, 'temirtau@example.org', DEMO_PASSWORD);
    const elsewhere = await signIn(server.url, 'temirtau@example.org', DEMO_PASSWORD);

    const response = await postForm(server.url, CHANGE, { current: DEMO_PASSWORD, password: NEW_PASSWORD }, { cookie: here });
    expect(response.status).toBe(200);
    const body = await response.text();
    expect(body).toContain(DONE);
    expect(body).not.toContain(NEW_PASSWORD);
    expect(body).not.toContain(DEMO_PASSWORD);
    const renewed = cookieFrom(response, 'qala_session');
    expect(renewed).toMatch(/^qala_session=.{20,}/);
    expect(renewed).not.toBe(here);

    expect(await isSignedIn(server.url, renewed!)).toBe(true);
    expect(await isSignedIn(server.url, here)).toBe(false);
    expect(await isSignedIn(server.url, elsewhere)).toBe(false);
    expect(await canSignIn('temirtau@example.org', DEMO_PASSWORD)).toBe(false);
    expect(await canSignIn('temirtau@example.org', NEW_PASSWORD)).toBe(true);
  });

  it('the page says other devices will be signed out, and asks nothing about it', async () => {
    const cookie = await signIn(server.url, 'editor@example.org', DEMO_PASSWORD);
    const page = await (await request(server.url, '/en/account/password/', { cookie })).text();
    expect(page).toContain('on every other device you are signed out');
    expect(page).not.toContain('name="endOthers"');
  });

  it('a wrong current password is refused with 400 and the password stays', async () => {
    const cookie = await signIn(server.url, 'ridder@example.org', DEMO_PASSWORD);
    const changesBefore = await passwordChanges();
    const response = await postForm(server.url, CHANGE, { current: 'not my password', password: NEW_PASSWORD }, { cookie });
    expect(response.status).toBe(400);
    const body = await response.text();
    expect(body).toContain(WRONG);
    expect(body).not.toContain(DONE);
    expect(await passwordChanges()).toBe(changesBefore);
    expect(await isSignedIn(server.url, cookie)).toBe(true);
    expect(await canSignIn('ridder@example.org', NEW_PASSWORD)).toBe(false);
    expect(await canSignIn('ridder@example.org', DEMO_PASSWORD)).toBe(true);
  });

  it('a common new password is refused with 400', async () => {
    const cookie = await signIn(server.url, 'ridder@example.org', DEMO_PASSWORD);
    const response = await postForm(server.url, CHANGE, { current: DEMO_PASSWORD, password: 'password1' }, { cookie });
    expect(response.status).toBe(400);
    expect(await response.text()).toContain('This password is too common.');
  });

  it('needs a signed-in visitor: an anonymous post changes nothing and is sent to sign in', async () => {
    const changesBefore = await passwordChanges();
    const response = await postForm(server.url, CHANGE, { current: DEMO_PASSWORD, password: NEW_PASSWORD });
    expect([303, 401]).toContain(response.status);
    if (response.status === 303) expect(response.headers.get('location')).toMatch(/^\/en\/sign-in\/\?next=/);
    expect(await passwordChanges()).toBe(changesBefore);
  });

  it('a change posted from another site gets 403 and changes nothing', async () => {
    const cookie = await signIn(server.url, 'temirtau-admin@example.org', DEMO_PASSWORD);
    const changesBefore = await passwordChanges();
    const response = await postForm(server.url, CHANGE, { current: DEMO_PASSWORD, password: NEW_PASSWORD }, { cookie, origin: 'https://evil.example' });
    expect(response.status).toBe(403);
    expect(await passwordChanges()).toBe(changesBefore);
    expect(await isSignedIn(server.url, cookie)).toBe(true);
  });
});

describe('the way to the password pages', () => {
  it('the sign-in page links to “forgot your password”', async () => {
    const body = await (await request(server.url, '/en/sign-in/')).text();
    expect(body).toContain('href="/en/password/forgot/"');
  });

  it('the account page links to “change your password”, which opens the form', async () => {
    const cookie = await signIn(server.url, 'admin@example.org', DEMO_PASSWORD);
    const account = await (await request(server.url, '/en/account/', { cookie })).text();
    expect(account).toContain('href="/en/account/password/"');
    const page = await request(server.url, '/en/account/password/', { cookie });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain(`action="${CHANGE}"`);
  });
});
