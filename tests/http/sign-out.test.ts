import { describe, expect, it } from 'vitest';
import { postForm, signIn } from '../helpers/http.ts';
import { DEMO_PASSWORD, useServer } from '../helpers/server.ts';
import { isSignedIn, request, setCookieLine, SIGN_OUT, SIGN_OUT_EVERYWHERE } from './support.ts';

const server = useServer();

describe('signing out', () => {
  it('signing out answers 303 to the home page, clears the cookie, and the old cookie no longer works', async () => {
    const cookie = await signIn(server.url, 'temirtau@example.org', DEMO_PASSWORD);
    expect(await isSignedIn(server.url, cookie)).toBe(true);

    const response = await postForm(server.url, SIGN_OUT, {}, { cookie });
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/en/');
    expect(setCookieLine(response, 'qala_session')).toMatch(/^qala_session=;/);

    const account = await request(server.url, '/en/account/', { cookie });
    expect(account.status).toBe(303);
    expect(account.headers.get('location')).toMatch(/^\/en\/sign-in\//);
  });

  it('opening the sign-out page (GET) does not sign anyone out', async () => {
    const cookie = await signIn(server.url, 'temirtau@example.org', DEMO_PASSWORD);
    const page = await request(server.url, '/en/sign-out/', { cookie });
    expect(page.status).toBe(200);
    expect(setCookieLine(page, 'qala_session')).toBeUndefined();
    expect(await page.text()).toContain('action="/en/sign-out/?_action=auth.signOut"');
    expect(await isSignedIn(server.url, cookie)).toBe(true);
  });

  it('signing out on one device leaves the same member signed in on another', async () => {
    const phone = await signIn(server.url, 'temirtau@example.org', DEMO_PASSWORD);
    const laptop = await signIn(server.url, 'temirtau@example.org', DEMO_PASSWORD);
    expect((await postForm(server.url, SIGN_OUT, {}, { cookie: phone })).status).toBe(303);
    expect(await isSignedIn(server.url, phone)).toBe(false);
    expect(await isSignedIn(server.url, laptop)).toBe(true);
  });
});

describe('signing out everywhere', () => {
  it('ends every session of the member and says so on the sign-in page', async () => {
    const phone = await signIn(server.url, 'temirtau-admin@example.org', DEMO_PASSWORD);
    const laptop = await signIn(server.url, 'temirtau-admin@example.org', DEMO_PASSWORD);
    expect(await isSignedIn(server.url, phone)).toBe(true);
    expect(await isSignedIn(server.url, laptop)).toBe(true);

    const response = await postForm(server.url, SIGN_OUT_EVERYWHERE, {}, { cookie: laptop });
    expect(response.status).toBe(303);
    const location = response.headers.get('location');
    expect(location).toBe('/en/sign-in/?signedOut=everywhere');

    expect(await isSignedIn(server.url, phone)).toBe(false);
    expect(await isSignedIn(server.url, laptop)).toBe(false);

    const notice = await (await request(server.url, location!)).text();
    expect(notice).toContain('You have been signed out on all your devices.');
  });

  it("does not touch other members' sessions", async () => {
    const mine = await signIn(server.url, 'editor@example.org', DEMO_PASSWORD);
    const someoneElse = await signIn(server.url, 'ridder@example.org', DEMO_PASSWORD);
    expect((await postForm(server.url, SIGN_OUT_EVERYWHERE, {}, { cookie: mine })).status).toBe(303);
    expect(await isSignedIn(server.url, mine)).toBe(false);
    expect(await isSignedIn(server.url, someoneElse)).toBe(true);
  });
});
