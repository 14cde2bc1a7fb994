import type { AstroCookies } from 'astro';
import type { Cookie } from 'lucia';
import { SIGNED_IN_HINT } from '~/lib/signed-in-hint.ts';

/**
 * Writes a lucia cookie (session or blank) through Astro's cookie API; the one place
 * session cookies are set. The signed-in hint (src/lib/signed-in-hint.ts) follows the
 * session cookie: set and refreshed with it, for as long, and cleared with it.
 */
export function writeSessionCookie(cookies: AstroCookies, cookie: Cookie): void {
  cookies.set(cookie.name, cookie.value, cookie.attributes);
  // Scripts read it, so it is not HttpOnly; it holds no secret.
  cookies.set(SIGNED_IN_HINT, cookie.value ? '1' : '', { ...cookie.attributes, httpOnly: false });
}

/** Clears a hint left without a session (its session cookie expired in the browser, say). */
export function clearStaleSignedInHint(cookies: AstroCookies, attributes: Cookie['attributes']): void {
  if (cookies.has(SIGNED_IN_HINT)) cookies.set(SIGNED_IN_HINT, '', { ...attributes, httpOnly: false });
}
