import { describe, expect, it } from 'vitest';
import { cookieFrom, postForm } from '../helpers/http.ts';
import { DEMO_PASSWORD, useServer } from '../helpers/server.ts';
import { expectCleanClientError, INVALID_EN, setsSession, SIGN_IN } from './support.ts';

// A server of its own: the counts this file builds up must not leak into other tests. It
// believes one proxy hop (TRUST_PROXY=1), so X-Forwarded-For gives each request its address.
const server = useServer({ env: { TRUST_PROXY: '1' } });

/** A sign-in posted from `address`. */
function attempt(email: string, password: string, address: string): Promise<Response> {
  return postForm(server.url, SIGN_IN, { email, password }, { headers: { 'X-Forwarded-For': address } });
}

/** The status and the whole page of an answer, with the email it echoes back in the form left out. */
async function comparable(response: Response, email: string): Promise<{ status: number; body: string }> {
  const body = await response.text();
  expect(body).toContain(`value="${email}"`);
  return { status: response.status, body: body.replace(`value="${email}"`, 'value="…"') };
}

describe('sign-in attempts per account and address', () => {
  it('after 5 failures on one account from one address, the 6th is refused with 429 even with the right password', async () => {
    // Letter case changes nothing: every spelling counts against the same account.
    const spellings = ['editor@example.org', 'Editor@example.org', 'EDITOR@EXAMPLE.ORG', 'editor@Example.org', 'eDiToR@example.org'];
    for (const email of spellings) {
      const response = await attempt(email, 'not-the-password', '198.51.100.10');
      expect(response.status, email).toBe(401);
      expect(await response.text()).toContain(INVALID_EN);
    }

    const sixth = await attempt('editor@example.org', DEMO_PASSWORD, '198.51.100.10');
    const body = await sixth.text();
    expect(sixth.status).toBe(429);
    expect(body).toContain('Too many sign-in attempts');
    expect(setsSession(sixth)).toBe(false);
    expectCleanClientError(sixth.status, body);
  });

  it('a guesser failing 50 times from address A does not stop the real user signing in from address B', async () => {
    const statuses: number[] = [];
    for (let guess = 0; guess < 50; guess++) statuses.push((await attempt('admin@example.org', `guess number ${guess}`, '203.0.113.66')).status);
    // Five guesses are checked; the rest are refused unchecked while the delay runs.
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(new Set(statuses.slice(5))).toEqual(new Set([429]));

    const owner = await attempt('admin@example.org', DEMO_PASSWORD, '192.0.2.20');
    expect(owner.status).toBe(303);
    expect(cookieFrom(owner, 'qala_session')).toBeDefined();
    // The guesser is still held off, even with the right password.
    expect((await attempt('admin@example.org', DEMO_PASSWORD, '203.0.113.66')).status).toBe(429);
  });

  it('a throttled account-and-address does not lock other members out of the same address', async () => {
    expect((await attempt('ridder@example.org', DEMO_PASSWORD, '198.51.100.10')).status).toBe(303);
  });

  it('a successful sign-in clears the count, so a member who signs in often is never locked out', async () => {
    for (let round = 0; round < 2; round++) {
      for (let wrong = 0; wrong < 4; wrong++) expect((await attempt('satpayev@example.org', 'not-the-password', '192.0.2.30')).status).toBe(401);
      expect((await attempt('satpayev@example.org', DEMO_PASSWORD, '192.0.2.30')).status).toBe(303);
    }
  });

  it('successful sign-ins do not count against the address: an office behind one address is never throttled', async () => {
    // More than the per-address limit of 60 failures, all successes, from one address. Batches
    // of 5: attempts in flight count as failures on their account until they succeed.
    for (let start = 0; start < 65; start += 5) {
      const batch = await Promise.all([0, 1, 2, 3, 4].map(() => attempt('temirtau@example.org', DEMO_PASSWORD, '192.0.2.40')));
      for (const response of batch) expect(response.status).toBe(303);
    }
  });
});

describe('the sign-in answer does not tell whether an account exists', () => {
  it('an unknown email and a wrong password of a known account get the same status and page', async () => {
    const known = await comparable(await attempt('zhanaozen@example.org', 'not-the-password', '192.0.2.50'), 'zhanaozen@example.org');
    const unknown = await comparable(await attempt('nobody-here@example.org', 'not-the-password', '192.0.2.50'), 'nobody-here@example.org');
    expect(known.status).toBe(401);
    expect(known.body).toContain(INVALID_EN);
    expect(unknown).toEqual(known);
  });

  it('and when throttled, the same 429 and page for both', async () => {
    for (let i = 0; i < 5; i++) {
      await attempt('aksu@example.org', 'not-the-password', '192.0.2.60');
      await attempt('nobody-there@example.org', 'not-the-password', '192.0.2.60');
    }
    const known = await comparable(await attempt('aksu@example.org', 'not-the-password', '192.0.2.60'), 'aksu@example.org');
    const unknown = await comparable(await attempt('nobody-there@example.org', 'not-the-password', '192.0.2.60'), 'nobody-there@example.org');
    expect(known.status).toBe(429);
    expect(unknown).toEqual(known);
  });
});
