import type { Kysely } from 'kysely';
import type { Cookie } from 'lucia';
import type { Database } from '~/server/db/schema.ts';
import { findUserByEmail, normalizeEmail } from '~/server/accounts/users.ts';
import { recordAudit } from '~/server/audit/audit.ts';
import { consumeRateLimit, resetRateLimit, type RateLimitRule } from '~/server/rate-limit.ts';
import type { Auth } from './lucia.ts';
import { verifyAgainstDummy, verifyPassword } from './password.ts';
import { startSession } from './session.ts';

/** Attempts on one account before it must wait; a success clears the count. */
export const SIGN_IN_PER_ACCOUNT: RateLimitRule = { limit: 5, windowSeconds: 15 * 60 };
/** Attempts from one client address, whatever account they name. */
export const SIGN_IN_PER_ADDRESS: RateLimitRule = { limit: 60, windowSeconds: 15 * 60 };

/** The outcome of a sign-in attempt. `invalid` never says whether the email exists. */
export type SignInResult =
  | { ok: true; userId: string; cookie: Cookie }
  | { ok: false; reason: 'invalid' }
  | { ok: false; reason: 'throttled'; retryAfterSeconds: number };

/** What a sign-in attempt brings. `clientAddress` is the socket peer (or trusted proxy's word). */
export interface SignInAttempt {
  email: string;
  password: string;
  clientAddress: string;
}

/**
 * Checks a password sign-in and starts a new session. Both throttles count the
 * attempt before the password is checked, so parallel guesses cannot slip past.
 */
export async function signIn(db: Kysely<Database>, auth: Auth, attempt: SignInAttempt): Promise<SignInResult> {
  const email = normalizeEmail(attempt.email);
  const accountKey = `sign-in:account:${email}`;
  for (const [key, rule] of [
    [`sign-in:address:${attempt.clientAddress}`, SIGN_IN_PER_ADDRESS],
    [accountKey, SIGN_IN_PER_ACCOUNT],
  ] as const) {
    const limit = await consumeRateLimit(db, key, rule);
    if (!limit.allowed) {
      await recordAudit(db, { actorId: null, action: 'sign_in.throttled', target: { type: 'email', id: email }, clientAddress: attempt.clientAddress });
      return { ok: false, reason: 'throttled', retryAfterSeconds: limit.retryAfterSeconds };
    }
  }

  const user = await findUserByEmail(db, email);
  const passwordMatches = user
    ? await verifyPassword(user.password_hash, attempt.password)
    : await verifyAgainstDummy(attempt.password);
  if (!user || !passwordMatches || user.disabled_at !== null) {
    await recordAudit(db, {
      actorId: null,
      action: 'sign_in.failed',
      target: user ? { type: 'user', id: user.id } : { type: 'email', id: email },
      clientAddress: attempt.clientAddress,
    });
    return { ok: false, reason: 'invalid' };
  }

  await resetRateLimit(db, accountKey);
  await recordAudit(db, { actorId: user.id, action: 'sign_in.succeeded', target: { type: 'user', id: user.id }, clientAddress: attempt.clientAddress });
  return { ok: true, userId: user.id, cookie: await startSession(auth, user.id) };
}
