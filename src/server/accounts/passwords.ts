import type { Kysely } from 'kysely';
import type { Cookie } from 'lucia';
import { now } from '~/lib/clock.ts';
import { recordAudit } from '~/server/audit/audit.ts';
import type { Auth } from '~/server/auth/lucia.ts';
import { hashPassword, passwordProblem, verifyPassword, type PasswordProblem } from '~/server/auth/password.ts';
import { startSession } from '~/server/auth/session.ts';
import type { Language } from '~/i18n/index.ts';
import type { Database, UnixSeconds } from '~/server/db/schema.ts';
import type { Mailer } from '~/server/mail/mailer.ts';
import { notify, type Notifier } from '~/server/notifications/notifications.ts';
import { consumeRateLimit, type RateLimitRule } from '~/server/rate-limit.ts';
import { checkToken, mailTokenLink, revokeTokens, TOKEN_LIFETIME_SECONDS, useToken, type TokenProblem } from './tokens.ts';
import { findUserByEmail, normalizeEmail } from './users.ts';

/** Attempts at changing one account's password in 15 minutes (each needs the current password). */
export const PASSWORD_CHANGES_PER_ACCOUNT: RateLimitRule = { limit: 5, windowSeconds: 15 * 60 };

/** Reset requests one client address may make in an hour. */
export const RESET_REQUESTS_PER_ADDRESS: RateLimitRule = { limit: 5, windowSeconds: 60 * 60 };

/**
 * Sends a reset link, in the language the reader asked from, when the address belongs to an active account. The answer is
 * the same whether or not it does, so the form cannot be used to find accounts.
 */
export async function requestPasswordReset(
  db: Kysely<Database>,
  mailer: Mailer,
  request: { email: string; clientAddress: string; baseUrl: string; language?: Language },
): Promise<'accepted' | 'throttled'> {
  const limit = await consumeRateLimit(db, `password-reset:address:${request.clientAddress}`, RESET_REQUESTS_PER_ADDRESS);
  if (!limit.allowed) return 'throttled';
  const user = await findUserByEmail(db, request.email);
  if (!user || user.disabled_at !== null) {
    // Kept for administrators (someone probing for accounts); the asker is told nothing.
    await recordAudit(db, { actorId: null, action: 'password_reset.requested', target: { type: 'email', id: normalizeEmail(request.email) }, clientAddress: request.clientAddress, details: { sent: false } });
    return 'accepted';
  }
  await mailTokenLink(db, mailer, 'password_reset', { email: user.email, userId: user.id }, {
    message: 'passwordReset',
    // The flow keeps the language it was started in: asked for from /en/, the mail and its link are English.
    language: request.language ?? user.language,
    baseUrl: request.baseUrl,
    path: 'password/reset/',
    params: { name: user.display_name, minutes: TOKEN_LIFETIME_SECONDS.password_reset / 60 },
  });
  await recordAudit(db, { actorId: null, action: 'password_reset.requested', target: { type: 'user', id: user.id }, clientAddress: request.clientAddress });
  return 'accepted';
}

/** Whether a reset link can still be used (to show the form or say why not). */
export function checkResetToken(db: Kysely<Database>, token: string) {
  return checkToken(db, 'password_reset', token);
}

/** Sets a new password from a reset link and ends every session of the account. */
export async function resetPassword(
  db: Kysely<Database>,
  auth: Auth,
  request: { token: string; password: string; clientAddress: string },
): Promise<{ ok: true } | { ok: false; problem: TokenProblem | PasswordProblem }> {
  const problem = passwordProblem(request.password);
  if (problem) return { ok: false, problem };
  const passwordHash = await hashPassword(request.password);
  const outcome = await db.transaction().execute(async (trx) => {
    const used = await useToken(trx, 'password_reset', request.token);
    if (!used.ok || !used.token.userId) return used.ok ? ({ ok: false, problem: 'unknown' } as const) : used;
    // A link issued before the account was disabled must not bring it back.
    const updated = await trx
      .updateTable('users')
      .set({ password_hash: passwordHash, updated_at: now() })
      .where('id', '=', used.token.userId)
      .where('disabled_at', 'is', null)
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) !== 1) return { ok: false, problem: 'unknown' } as const;
    // Older links for the same account die with this reset.
    await revokeTokens(trx, 'password_reset', used.token.userId);
    return { ok: true, userId: used.token.userId } as const;
  });
  if (!outcome.ok) return outcome;
  await auth.invalidateUserSessions(outcome.userId);
  await recordAudit(db, { actorId: outcome.userId, action: 'password_reset.completed', target: { type: 'user', id: outcome.userId }, clientAddress: request.clientAddress });
  return { ok: true };
}

/**
 * Changes a signed-in user's password. The current password is required. Every session
 * of the account ends, and the current one goes on under a new id (with its original
 * start, so the absolute session limit still counts from the sign-in): the caller sets
 * the returned cookie. Whoever held a stolen session id is out.
 */
export async function changePassword(
  db: Kysely<Database>,
  auth: Auth,
  request: { userId: string; sessionCreatedAt: UnixSeconds; current: string; next: string; clientAddress: string },
): Promise<{ ok: true; cookie: Cookie } | { ok: false; problem: 'wrongPassword' | 'throttled' | PasswordProblem }> {
  // Someone holding a stolen session must not be able to guess the current password freely.
  const attempts = await consumeRateLimit(db, `password-change:user:${request.userId}`, PASSWORD_CHANGES_PER_ACCOUNT);
  if (!attempts.allowed) return { ok: false, problem: 'throttled' };
  const user = await db.selectFrom('users').select(['password_hash']).where('id', '=', request.userId).executeTakeFirst();
  if (!user || !(await verifyPassword(user.password_hash, request.current))) return { ok: false, problem: 'wrongPassword' };
  const problem = passwordProblem(request.next);
  if (problem) return { ok: false, problem };
  await db.updateTable('users').set({ password_hash: await hashPassword(request.next), updated_at: now() }).where('id', '=', request.userId).execute();
  await revokeTokens(db, 'password_reset', request.userId);
  await auth.invalidateUserSessions(request.userId);
  const cookie = await startSession(auth, request.userId, request.sessionCreatedAt * 1000);
  await recordAudit(db, { actorId: request.userId, action: 'password.changed', target: { type: 'user', id: request.userId }, clientAddress: request.clientAddress, details: { endedOtherSessions: true } });
  return { ok: true, cookie };
}

/**
 * A member changes their own password (see changePassword) and hears of it by email:
 * a security notice, so a change they did not make does not go unseen.
 */
export async function changeOwnPassword(
  db: Kysely<Database>,
  auth: Auth,
  notifier: Notifier,
  request: Parameters<typeof changePassword>[2] & { displayName: string },
): ReturnType<typeof changePassword> {
  const outcome = await changePassword(db, auth, request);
  if (outcome.ok) await notify(db, notifier.mailer, { userId: request.userId, kind: 'security.password_changed', params: { name: request.displayName } }, notifier.baseUrl);
  return outcome;
}

