import { describe, expect, it } from 'vitest';
import { postForm } from '../helpers/http.ts';
import { DEMO_PASSWORD, useServer } from '../helpers/server.ts';
import { setsSession, SIGN_IN } from './support.ts';

// A server of its own: this file uses up the whole per-address allowance. It trusts no
// proxy (TRUST_PROXY=0), so a forged X-Forwarded-For changes nothing. That successes do
// not count, and addresses told apart by a trusted proxy, are in throttling-account.test.ts.
const server = useServer();

/** A different, made-up client address for each attempt. */
const forgedAddress = (n: number) => `203.0.113.${n % 250}, 198.51.100.${(n * 7) % 250}`;

function attempt(n: number): Promise<Response> {
  return postForm(
    server.url,
    SIGN_IN,
    { email: `probe${n}@example.org`, password: 'guess-guess-guess' },
    { headers: { 'X-Forwarded-For': forgedAddress(n) } },
  );
}

describe('failed sign-ins per client address', () => {
  it('60 failures in 15 minutes from one address across any emails, then 429, however X-Forwarded-For is forged', async () => {
    // Small parallel batches keep this quick without filling the password-hash queue.
    for (let start = 1; start <= 60; start += 6) {
      const batch = await Promise.all([0, 1, 2, 3, 4, 5].map((offset) => attempt(start + offset)));
      for (const response of batch) expect(response.status).toBe(401);
    }

    const sixtyFirst = await attempt(61);
    expect(sixtyFirst.status).toBe(429);
    expect(await sixtyFirst.text()).toContain('Too many sign-in attempts');
  });

  it('once the address is throttled, even a right password for a real account is refused', async () => {
    const response = await postForm(
      server.url,
      SIGN_IN,
      { email: 'temirtau@example.org', password: DEMO_PASSWORD },
      { headers: { 'X-Forwarded-For': '192.0.2.77' } },
    );
    expect(response.status).toBe(429);
    expect(setsSession(response)).toBe(false);
  });
});
