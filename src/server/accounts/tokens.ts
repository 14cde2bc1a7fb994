import { createHash, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { createTranslator, type Language } from '~/i18n/index.ts';
import * as clock from '~/lib/clock.ts';
import type { Database, TokenPurpose } from '~/server/db/schema.ts';
import type { Mailer } from '~/server/mail/mailer.ts';

/** How long each kind of token lives. */
export const TOKEN_LIFETIME_SECONDS: Record<TokenPurpose, number> = {
  invitation: 7 * 24 * 60 * 60,
  password_reset: 60 * 60,
  email_change: 24 * 60 * 60,
};

const hash = (token: string) => createHash('sha256').update(token).digest('hex');
/** A token's row, when it may still be used. */
export type TokenRow = { email: string; userId: string | null; data: Record<string, unknown> };

/** Why a token cannot be used; the page says which in plain words. */
export type TokenProblem = 'unknown' | 'expired' | 'used';

/**
 * Issues a single-use token and returns it; only its SHA-256 is stored, so the link
 * in the email is the only copy.
 */
export async function issueToken(
  db: Kysely<Database>,
  purpose: TokenPurpose,
  subject: { email: string; userId: string | null; data?: Record<string, unknown> },
  now = clock.now(),
): Promise<string> {
  const token = randomBytes(32).toString('base64url');
  await db
    .insertInto('tokens')
    .values({
      id_hash: hash(token),
      purpose,
      email: subject.email,
      user_id: subject.userId,
      data: subject.data ? JSON.stringify(subject.data) : null,
      expires_at: now + TOKEN_LIFETIME_SECONDS[purpose],
      used_at: null,
      created_at: now,
    })
    .execute();
  return token;
}

/**
 * Issues a token and mails its link to the token's address, in the reader's language:
 * the one way a link that acts for its holder (an invitation, a password reset, an
 * email change) leaves the portal. `params` fill the message's other placeholders.
 */
export async function mailTokenLink(
  db: Kysely<Database>,
  mailer: Mailer,
  purpose: TokenPurpose,
  subject: { email: string; userId: string | null; data?: Record<string, unknown> },
  mail: { message: 'invitation' | 'passwordReset' | 'emailChange'; language: Language; baseUrl: string; path: string; params: Record<string, string | number> },
): Promise<void> {
  const token = await issueToken(db, purpose, subject);
  const t = createTranslator(mail.language);
  await mailer.send({
    to: subject.email,
    language: mail.language,
    subject: t(`email.${mail.message}.subject`),
    text: t(`email.${mail.message}.body`, { ...mail.params, link: `${mail.baseUrl}/${mail.language}/${mail.path}?token=${token}` }),
  });
}

/** Says whether a token may be used, without using it (to show its form). */
export async function checkToken(
  db: Kysely<Database>,
  purpose: TokenPurpose,
  token: string,
  now = clock.now(),
): Promise<{ ok: true; token: TokenRow } | { ok: false; problem: TokenProblem }> {
  if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) return { ok: false, problem: 'unknown' };
  const row = await db.selectFrom('tokens').selectAll().where('id_hash', '=', hash(token)).where('purpose', '=', purpose).executeTakeFirst();
  if (!row) return { ok: false, problem: 'unknown' };
  if (row.used_at !== null) return { ok: false, problem: 'used' };
  if (row.expires_at <= now) return { ok: false, problem: 'expired' };
  return { ok: true, token: { email: row.email, userId: row.user_id, data: row.data ? (JSON.parse(row.data) as Record<string, unknown>) : {} } };
}

/**
 * Uses a token up inside the caller's transaction: the update only succeeds for an
 * unused, unexpired token, so two requests with the same link cannot both pass.
 */
export async function useToken(
  trx: Kysely<Database>,
  purpose: TokenPurpose,
  token: string,
  now = clock.now(),
): Promise<{ ok: true; token: TokenRow } | { ok: false; problem: TokenProblem }> {
  const checked = await checkToken(trx, purpose, token, now);
  if (!checked.ok) return checked;
  const updated = await trx
    .updateTable('tokens')
    .set({ used_at: now })
    .where('id_hash', '=', hash(token))
    .where('used_at', 'is', null)
    .executeTakeFirst();
  return Number(updated.numUpdatedRows) === 1 ? checked : { ok: false, problem: 'used' };
}

/** Uses up every open token of a purpose for a user (e.g. older reset links once the password changed). */
export async function revokeTokens(db: Kysely<Database>, purpose: TokenPurpose, userId: string, now = clock.now()): Promise<void> {
  await db.updateTable('tokens').set({ used_at: now }).where('purpose', '=', purpose).where('user_id', '=', userId).where('used_at', 'is', null).execute();
}
