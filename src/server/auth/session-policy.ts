import type { Role } from '~/server/db/schema.ts';

/**
 * How long a session lives, decided once here (OWASP ASVS 5, V7.3: timeouts set by
 * risk). A session ends after IDLE_SECONDS without a request, and in any case
 * ABSOLUTE_SECONDS after sign-in. Editors and admins can change what everyone reads
 * and who may do what, so their sessions end sooner.
 */
export const IDLE_SECONDS = 4 * 60 * 60;

/** The absolute session limit for each role. */
export const ABSOLUTE_SECONDS: Record<Role, number> = {
  member: 7 * 24 * 60 * 60,
  town_admin: 7 * 24 * 60 * 60,
  editor: 12 * 60 * 60,
  admin: 12 * 60 * 60,
  partner: 7 * 24 * 60 * 60,
  // Authors write what everyone may read once published: a short session, like editors.
  author: 12 * 60 * 60,
};

/** Cookie that carries the session token. `__Host-` binds it to this exact origin over HTTPS. */
export function sessionCookieName(production: boolean): string {
  return production ? '__Host-qala_session' : 'qala_session';
}
