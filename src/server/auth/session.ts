import type { Cookie, Session } from 'lucia';
import type { Auth, CurrentUser } from './lucia.ts';
import { ABSOLUTE_SECONDS } from './session-policy.ts';

/** A session check's result: both present or both absent. */
export type SessionValidation =
  | { session: Session; user: CurrentUser; refreshedCookie: Cookie | null }
  | { session: null; user: null; refreshedCookie: null };

const NO_SESSION = { session: null, user: null, refreshedCookie: null } as const;

/**
 * Validates a session token. On top of lucia's idle timeout it ends sessions past
 * their role's absolute limit and sessions of disabled accounts. When lucia pushed
 * the idle expiry forward, `refreshedCookie` carries the new cookie to send.
 */
export async function validateSessionToken(
  auth: Auth,
  token: string,
  now: number = Date.now(),
): Promise<SessionValidation> {
  const { session, user } = await auth.validateSession(token);
  if (!session) return NO_SESSION;
  const ageSeconds = now / 1000 - session.createdAt;
  if (user.disabled || ageSeconds > ABSOLUTE_SECONDS[user.role]) {
    await auth.invalidateSession(token);
    return NO_SESSION;
  }
  return { session, user, refreshedCookie: session.fresh ? auth.createSessionCookie(session.id) : null };
}

/** Starts a new session (always a new id) and returns the cookie to set. */
export async function startSession(auth: Auth, userId: string, now: number = Date.now()): Promise<Cookie> {
  const session = await auth.createSession(userId, { created_at: Math.floor(now / 1000) });
  return auth.createSessionCookie(session.id);
}
