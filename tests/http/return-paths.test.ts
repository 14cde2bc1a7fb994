import { describe, expect, it } from 'vitest';
import { cookieFrom, postForm } from '../helpers/http.ts';
import { DEMO_PASSWORD, useServer } from '../helpers/server.ts';
import { request } from './support.ts';

const server = useServer();

/**
 * `next` values as they appear in the query string (already percent-encoded).
 * The first is what the review used to leave the site: the parser drops the tab
 * and the browser is left with //evil.example/.
 */
const HOSTILE_NEXT = [
  '%2F%09%2Fevil.example%2F',
  '%2F%0A%2Fevil.example%2F',
  '/%0A/x',
  '/%0D/x',
  '/%00/x',
  '/%E3%80%80/x',
  '%2F%2Fevil.example%2F',
  '%2F%5Cevil.example',
  '%2F..%2F%2Fevil.example%2F',
  '%2F%252F%252Fevil.example%2F',
  'https%3A%2F%2Fevil.example%2F',
  'javascript%3Aalert(1)',
  '%E0%A4%A',
  '%',
  `%2F${'a'.repeat(10_000)}`,
];

/** Whether a Location header stays on this server's origin. */
function staysHome(location: string | null): boolean {
  if (!location) return false;
  return new URL(location, server.url).origin === new URL(server.url).origin && !location.startsWith('//');
}

describe('the return path after signing in', () => {
  it.each(HOSTILE_NEXT)('next=%s with a right password leads to a page of this site, never a 500', async (next) => {
    const response = await postForm(server.url, `/en/sign-in/?next=${next}&_action=auth.signIn`, { email: 'ridder@example.org', password: DEMO_PASSWORD });
    expect(response.status).toBe(303);
    expect(cookieFrom(response, 'qala_session')).toBeDefined();
    expect(staysHome(response.headers.get('location'))).toBe(true);
  });

  it.each(HOSTILE_NEXT)('next=%s on the sign-in page itself answers the form or a redirect home, never a 500', async (next) => {
    const response = await request(server.url, `/en/sign-in/?next=${next}`);
    expect(response.status).toBe(200);
    const action = (await response.text()).match(/<form method="post" action="([^"]+)"/)?.[1]?.replace(/&amp;/g, '&');
    expect(action).toBeDefined();
    expect(new URL(action!, server.url).origin).toBe(new URL(server.url).origin);
  });

  it('a signed-in reader sent to sign in with a hostile next is taken to a page of this site', async () => {
    const signedIn = await postForm(server.url, '/en/sign-in/?_action=auth.signIn', { email: 'ridder@example.org', password: DEMO_PASSWORD });
    const cookie = cookieFrom(signedIn, 'qala_session')!;
    const response = await request(server.url, '/en/sign-in/?next=%2F%09%2Fevil.example%2F', { cookie });
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/en/account/');
  });

  it('a path of this site is still where the reader returns', async () => {
    const response = await postForm(server.url, '/en/sign-in/?next=%2Fen%2Fexchange%2F%3Fstatus%3Dopen&_action=auth.signIn', { email: 'ridder@example.org', password: DEMO_PASSWORD });
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/en/exchange/?status=open');
  });
});
