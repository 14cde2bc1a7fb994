import { describe, expect, it } from 'vitest';
import { postForm, signIn } from '../helpers/http.ts';
import { DEMO_PASSWORD, useServer } from '../helpers/server.ts';
import { expectCleanClientError, INVALID_EN, setsSession, SIGN_IN } from './support.ts';

// A server of its own: the counts this file builds up must not leak into other tests.
const server = useServer();

describe('sign-in attempts per account', () => {
  it('after 5 attempts on one account in 15 minutes, the 6th is refused with 429 even with the right password', async () => {
    // Letter case changes nothing: every spelling counts against the same account.
    const spellings = ['editor@example.org', 'Editor@example.org', 'EDITOR@EXAMPLE.ORG', 'editor@Example.org', 'eDiToR@example.org'];
    for (const email of spellings) {
      const response = await postForm(server.url, SIGN_IN, { email, password: 'not-the-password' });
      expect(response.status, email).toBe(401);
      expect(await response.text()).toContain(INVALID_EN);
    }

    const sixth = await postForm(server.url, SIGN_IN, { email: 'editor@example.org', password: DEMO_PASSWORD });
    const body = await sixth.text();
    expect(sixth.status).toBe(429);
    expect(body).toContain('Too many sign-in attempts');
    expect(setsSession(sixth)).toBe(false);
    expectCleanClientError(sixth.status, body);
  });

  it('a locked account does not lock out other members', async () => {
    await expect(signIn(server.url, 'ridder@example.org', DEMO_PASSWORD)).resolves.toMatch(/^qala_session=.+/);
  });

  it('a successful sign-in clears the count, so a member who signs in often is never locked out', async () => {
    for (let attempt = 0; attempt < 4; attempt++) {
      const wrong = await postForm(server.url, SIGN_IN, { email: 'admin@example.org', password: 'not-the-password' });
      expect(wrong.status).toBe(401);
    }
    await signIn(server.url, 'admin@example.org', DEMO_PASSWORD);
    for (let attempt = 0; attempt < 4; attempt++) {
      const wrong = await postForm(server.url, SIGN_IN, { email: 'admin@example.org', password: 'not-the-password' });
      expect(wrong.status).toBe(401);
    }
    await expect(signIn(server.url, 'admin@example.org', DEMO_PASSWORD)).resolves.toMatch(/^qala_session=.+/);
  });
});
