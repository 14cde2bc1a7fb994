/**
 * A cookie that says only "this browser has a session", so a prerendered page asks for
 * the visitor's own menu (`/<lang>/user-menu/`) when there may be one, and an anonymous
 * reader's page view makes no request to the server at all. It is no credential: the
 * session cookie stays HttpOnly and is checked on every request; a forged or stale hint
 * costs one request, whose answer is the sign-in link and clears the hint.
 */
export const SIGNED_IN_HINT = 'qala_signed_in';

/** Whether a `document.cookie` string holds the hint. */
export function hasSignedInHint(cookies: string): boolean {
  return cookies.split(';').some((pair) => pair.trim() === `${SIGNED_IN_HINT}=1`);
}
