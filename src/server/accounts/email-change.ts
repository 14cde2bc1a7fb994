import type { Kysely } from 'kysely';
import { createTranslator, type Language } from '~/i18n/index.ts';
import { now } from '~/lib/clock.ts';
import { recordAudit } from '~/server/audit/audit.ts';
import { verifyPassword } from '~/server/auth/password.ts';
import type { Database } from '~/server/db/schema.ts';
import type { Mailer } from '~/server/mail/mailer.ts';
import { consumeRateLimit } from '~/server/rate-limit.ts';
import { PASSWORD_CHANGES_PER_ACCOUNT } from './passwords.ts';
import { mailTokenLink, TOKEN_LIFETIME_SECONDS, useToken, type TokenProblem } from './tokens.ts';
import { findUserByEmail, normalizeEmail } from './users.ts';

/**
 * Starts a change of email: the password is required, and the new address must
 * confirm by a link sent to it, so nobody can move an account to an address they
 * do not control.
 */
export async function requestEmailChange(
  db: Kysely<Database>,
  mailer: Mailer,
  request: { userId: string; password: string; newEmail: string; baseUrl: string; language?: Language },
): Promise<{ ok: true } | { ok: false; problem: 'wrongPassword' | 'throttled' | 'taken' | 'same' }> {
  const attempts = await consumeRateLimit(db, `email-change:user:${request.userId}`, PASSWORD_CHANGES_PER_ACCOUNT);
  if (!attempts.allowed) return { ok: false, problem: 'throttled' };
  const user = await db.selectFrom('users').select(['email', 'password_hash', 'display_name', 'language']).where('id', '=', request.userId).executeTakeFirst();
  if (!user || !(await verifyPassword(user.password_hash, request.password))) return { ok: false, problem: 'wrongPassword' };
  const newEmail = normalizeEmail(request.newEmail);
  if (newEmail === user.email) return { ok: false, problem: 'same' };
  if (await findUserByEmail(db, newEmail)) return { ok: false, problem: 'taken' };
  await mailTokenLink(db, mailer, 'email_change', { email: newEmail, userId: request.userId }, {
    message: 'emailChange',
    // In the language the change was asked from, as the page the member was reading.
    language: request.language ?? user.language,
    baseUrl: request.baseUrl,
    path: 'account/email/confirm/',
    params: { name: user.display_name, hours: TOKEN_LIFETIME_SECONDS.email_change / 3600 },
  });
  return { ok: true };
}

/** Confirms a new address from its link; the old address is told, in case it was not its owner. */
export async function confirmEmailChange(
  db: Kysely<Database>,
  mailer: Mailer,
  request: { token: string; clientAddress: string },
): Promise<{ ok: true } | { ok: false; problem: TokenProblem | 'taken' }> {
  const outcome = await db.transaction().execute(async (trx) => {
    const used = await useToken(trx, 'email_change', request.token);
    if (!used.ok || !used.token.userId) return used.ok ? ({ ok: false, problem: 'unknown' } as const) : used;
    if (await findUserByEmail(trx, used.token.email)) return { ok: false, problem: 'taken' } as const;
    const before = await trx.selectFrom('users').select(['email', 'display_name', 'language']).where('id', '=', used.token.userId).executeTakeFirstOrThrow();
    await trx.updateTable('users').set({ email: used.token.email, updated_at: now() }).where('id', '=', used.token.userId).execute();
    return { ok: true, userId: used.token.userId, before } as const;
  });
  if (!outcome.ok) return outcome;
  const t = createTranslator(outcome.before.language);
  await mailer.send({
    to: outcome.before.email,
    language: outcome.before.language,
    subject: t('email.emailChanged.subject'),
    text: t('email.emailChanged.body', { name: outcome.before.display_name }),
  });
  await recordAudit(db, { actorId: outcome.userId, action: 'email.changed', target: { type: 'user', id: outcome.userId }, clientAddress: request.clientAddress });
  return { ok: true };
}
