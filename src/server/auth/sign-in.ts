import type { Kysely } from 'kysely';
import type { Cookie } from 'lucia';
import type { Database } from '~/server/db/schema.ts';
import { findUserByEmail, normalizeEmail } from '~/server/accounts/users.ts';
import { recordAudit } from '~/server/audit/audit.ts';
import { recordSignIn } from '~/server/metrics/record.ts';
import { consumeRateLimit, consumeWithBackoff, refundRateLimit, resetRateLimit, type BackoffRule, type RateLimitRule } from '~/server/rate-limit.ts';
import type { Auth } from './lucia.ts';
import { verifyAgainstDummy, verifyPassword } from './password.ts';
import { startSession } from './session.ts';

/**
 * Failed guesses at one account from one client address: 5 free, then 1, 2, 4 … up to
 * 60 minutes between attempts; a success clears it, a day without failures forgets it.
 * Keyed by account *and* address, so a guesser elsewhere never locks the owner out.
 */
export const SIGN_IN_PER_ACCOUNT_AND_ADDRESS: BackoffRule = { free: 5, firstDelaySeconds: 60, maxDelaySeconds: 60 * 60, forgetAfterSeconds: 24 * 60 * 60 };
/** Failed sign-ins from one client address, whatever account they name (successes are not counted). */
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

/** The throttling keys of an attempt: its address, and its account from that address. */
function signInThrottleKeys(email: string, clientAddress: string): { address: string; pair: string } {
  return { address: `sign-in:address:${clientAddress}`, pair: `sign-in:account-address:${normalizeEmail(email)}|${clientAddress}` };
}

/**
 * Checks a password sign-in and starts a new session. Both throttles count the attempt
 * as a failure before the password is checked, so parallel guesses cannot slip past; a
 * right password takes the count back. No global per-account limit: it would let
 * guessers from many addresses lock the owner out (the README gives the numbers).
 *
 * Whether the account exists changes neither the answer nor its time: throttling keys
 * on the email as typed, a throttled attempt never looks the account up, and an unknown
 * email is checked against a dummy hash.
 */
export async function signIn(db: Kysely<Database>, auth: Auth, attempt: SignInAttempt): Promise<SignInResult> {
  const email = normalizeEmail(attempt.email);
  const keys = signInThrottleKeys(email, attempt.clientAddress);
  const throttled = async (retryAfterSeconds: number): Promise<SignInResult> => {
    recordSignIn('throttled');
    await recordAudit(db, { actorId: null, action: 'sign_in.throttled', target: { type: 'email', id: email }, clientAddress: attempt.clientAddress });
    return { ok: false, reason: 'throttled', retryAfterSeconds };
  };

  const byAddress = await consumeRateLimit(db, keys.address, SIGN_IN_PER_ADDRESS);
  if (!byAddress.allowed) return throttled(byAddress.retryAfterSeconds);
  const byPair = await consumeWithBackoff(db, keys.pair, SIGN_IN_PER_ACCOUNT_AND_ADDRESS);
  if (!byPair.allowed) {
    // Not a password checked, so not a failure of the address.
    await refundRateLimit(db, keys.address);
    return throttled(byPair.retryAfterSeconds);
  }

  const user = await findUserByEmail(db, email);
  const passwordMatches = user
    ? await verifyPassword(user.password_hash, attempt.password)
    : await verifyAgainstDummy(attempt.password);
  if (!user || !passwordMatches || user.disabled_at !== null) {
    recordSignIn('failed');
    await recordAudit(db, {
      actorId: null,
      action: 'sign_in.failed',
      target: user ? { type: 'user', id: user.id } : { type: 'email', id: email },
      clientAddress: attempt.clientAddress,
    });
    return { ok: false, reason: 'invalid' };
  }

  await resetRateLimit(db, keys.pair);
  await refundRateLimit(db, keys.address);
  await recordAudit(db, { actorId: user.id, action: 'sign_in.succeeded', target: { type: 'user', id: user.id }, clientAddress: attempt.clientAddress });
  recordSignIn('succeeded');
  return { ok: true, userId: user.id, cookie: await startSession(auth, user.id) };
}
