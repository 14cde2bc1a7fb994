import { expect } from 'vitest';

/** Where the sign-in form posts (English page). */
export const SIGN_IN = '/en/sign-in/?_action=auth.signIn';
/** Where the sign-out button posts. */
export const SIGN_OUT = '/en/sign-out/?_action=auth.signOut';
/** Where "sign out everywhere" posts. */
export const SIGN_OUT_EVERYWHERE = '/en/account/?_action=auth.signOutEverywhere';

/** What the English sign-in page says for a wrong email or password. */
export const INVALID_EN = 'The email address or password is not right.';

/** A GET (or other) request that never follows redirects, like a test of one hop. */
export function request(
  baseUrl: string,
  path: string,
  options: { cookie?: string; headers?: Record<string, string>; method?: string } = {},
): Promise<Response> {
  return fetch(new URL(path, baseUrl), {
    method: options.method ?? 'GET',
    redirect: 'manual',
    headers: {
      ...(options.cookie ? { Cookie: options.cookie } : {}),
      ...options.headers,
    },
  });
}

/** The whole Set-Cookie line for `name`, or undefined. */
export function setCookieLine(response: Response, name: string): string | undefined {
  return response.headers.getSetCookie().find((line) => line.startsWith(`${name}=`));
}

/** The attributes of a Set-Cookie line, lower-cased names, e.g. `{ httponly: '', path: '/' }`. */
export function cookieAttributes(line: string): Record<string, string> {
  const [, ...parts] = line.split(';');
  return Object.fromEntries(
    parts.map((part) => {
      const [name = '', ...value] = part.trim().split('=');
      return [name.toLowerCase(), value.join('=')];
    }),
  );
}

/** True when a response hands out a session cookie with a (non-empty) value. */
export function setsSession(response: Response, name = 'qala_session'): boolean {
  const line = setCookieLine(response, name);
  return line !== undefined && !line.startsWith(`${name}=;`);
}

/** The value part of a `name=value` cookie pair. */
export function cookieValue(pair: string): string {
  return pair.slice(pair.indexOf('=') + 1);
}

/** The `<html lang>` of a page. */
export function htmlLang(body: string): string | undefined {
  return body.match(/<html[^>]*\slang="([^"]*)"/i)?.[1];
}

/**
 * Asserts an error answer is a client error with no server internals: no stack
 * frames ("at fn (file:line:col)") and no "Error:" text.
 */
export function expectCleanClientError(status: number, body: string): void {
  expect(status).toBeGreaterThanOrEqual(400);
  expect(status).toBeLessThan(500);
  expect(body).not.toMatch(/\bat\s+(?:async\s+)?[\w$.<>[\]]+\s+\([^)]*:\d+:\d+\)/);
  expect(body).not.toMatch(/\bat\s+(?:file:\/\/|\/)\S*:\d+:\d+/);
  expect(body).not.toMatch(/^\s+at\s/m);
  expect(body).not.toContain('Error:');
  expect(body).not.toContain('node_modules');
}

/** Whether a session cookie still opens the account page (else it is sent to sign in). */
export async function isSignedIn(baseUrl: string, cookie: string): Promise<boolean> {
  const response = await request(baseUrl, '/en/account/', { cookie });
  if (response.status === 200) return true;
  expect(response.status).toBe(303);
  expect(response.headers.get('location')).toMatch(/^\/en\/sign-in\//);
  return false;
}
