import { describe, expect, it } from 'vitest';
import { postForm, signIn } from '../helpers/http.ts';
import { DEMO_PASSWORD, useServer } from '../helpers/server.ts';
import { isSignedIn, setsSession, SIGN_IN, SIGN_OUT, SIGN_OUT_EVERYWHERE } from './support.ts';

const EVIL = 'https://evil.example';
const MEMBER = { email: 'temirtau@example.org', password: DEMO_PASSWORD };

const server = useServer();

describe('forms only accept posts from this site', () => {
  it('a sign-in form posted from another site gets 403 and signs nobody in', async () => {
    const response = await postForm(server.url, SIGN_IN, MEMBER, { origin: EVIL });
    expect(response.status).toBe(403);
    expect(setsSession(response)).toBe(false);
  });

  it('a form post with no Origin header gets 403 and signs nobody in', async () => {
    const response = await fetch(new URL(SIGN_IN, server.url), {
      method: 'POST',
      redirect: 'manual',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(MEMBER).toString(),
    });
    expect(response.status).toBe(403);
    expect(setsSession(response)).toBe(false);
  });

  it('a multipart form post from another site gets 403 too', async () => {
    const form = new FormData();
    form.set('email', MEMBER.email);
    form.set('password', MEMBER.password);
    const response = await fetch(new URL(SIGN_IN, server.url), {
      method: 'POST',
      redirect: 'manual',
      headers: { Origin: EVIL },
      body: form,
    });
    expect(response.status).toBe(403);
    expect(setsSession(response)).toBe(false);
  });

  it('forged X-Forwarded-Host and X-Forwarded-Proto do not make another origin acceptable', async () => {
    // Astro alone would build the request's origin from these headers and accept the post.
    const response = await postForm(server.url, SIGN_IN, MEMBER, {
      origin: 'http://evil.example',
      headers: { 'X-Forwarded-Host': 'evil.example', 'X-Forwarded-Proto': 'http' },
    });
    expect(response.status).toBe(403);
    expect(setsSession(response)).toBe(false);
  });

  it('another site cannot sign a member out', async () => {
    const cookie = await signIn(server.url, MEMBER.email, MEMBER.password);
    const response = await postForm(server.url, SIGN_OUT, {}, { cookie, origin: EVIL });
    expect(response.status).toBe(403);
    expect(await isSignedIn(server.url, cookie)).toBe(true);
  });

  it('another site cannot sign a member out everywhere', async () => {
    const cookie = await signIn(server.url, MEMBER.email, MEMBER.password);
    const response = await postForm(server.url, SIGN_OUT_EVERYWHERE, {}, { cookie, origin: EVIL });
    expect(response.status).toBe(403);
    expect(await isSignedIn(server.url, cookie)).toBe(true);
  });

  it('the same form posted from this site works', async () => {
    const response = await postForm(server.url, SIGN_IN, MEMBER);
    expect(response.status).toBe(303);
    expect(setsSession(response)).toBe(true);
  });
});
