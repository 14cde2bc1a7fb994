import type { AstroCookies } from 'astro';
import type { Cookie } from 'lucia';

/** Writes a lucia cookie (session or blank) through Astro's cookie API; the one place cookies are set. */
export function writeSessionCookie(cookies: AstroCookies, cookie: Cookie): void {
  cookies.set(cookie.name, cookie.value, cookie.attributes);
}
