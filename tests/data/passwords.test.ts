import type { Kysely } from 'kysely';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { changePassword, requestPasswordReset, RESET_REQUESTS_PER_ADDRESS, resetPassword } from '~/server/accounts/passwords.ts';
import { checkToken } from '~/server/accounts/tokens.ts';
import { insertUser } from '~/server/accounts/users.ts';
import { createLucia, type Auth } from '~/server/auth/lucia.ts';
import { hashPassword, verifyPassword } from '~/server/auth/password.ts';
import { startSession, validateSessionToken } from '~/server/auth/session.ts';
import type { Database } from '~/server/db/schema.ts';
import { createMailer, type Mailer } from '~/server/mail/mailer.ts';
import { createTestDatabase } from '../helpers/database.ts';

let db: Kysely<Database>;
let cleanup: () => Promise<void>;
let auth: Auth;
let mailer: Mailer;
let irina: string;
let oldHash: string;
const OLD_PASSWORD = 'a quiet town by the river';
const NEW_PASSWORD = 'new bridge over the Ulba 77';
const BASE_URL = 'https://qala.example.org';
const ADDRESS = '203.0.113.7';

beforeAll(async () => {
  // One hash for every account: argon2 takes ~50 ms, on purpose.
  oldHash = await hashPassword(OLD_PASSWORD);
});

beforeEach(async () => {
  ({ db, cleanup } = await createTestDatabase());
  auth = createLucia(db, { production: false });
  mailer = createMailer(db, { smtpUrl: undefined, from: 'Qala <no-reply@example.org>' });
  irina = await insertUser(db, { email: 'irina@example.org', passwordHash: oldHash, displayName: 'Irina Sokolova', role: 'member', townId: null, language: 'ru' });
  const disabled = await insertUser(db, { email: 'gone@example.org', passwordHash: oldHash, displayName: 'Gone', role: 'member', townId: null, language: 'en' });
  await db.updateTable('users').set({ disabled_at: 1 }).where('id', '=', disabled).execute();
});
afterEach(() => cleanup());

const askForReset = (email: string, clientAddress = ADDRESS) => requestPasswordReset(db, mailer, { email, clientAddress, baseUrl: BASE_URL });
const outbox = () => db.selectFrom('email_outbox').selectAll().orderBy('id').execute();
const passwordHashOf = async (id: string) => (await db.selectFrom('users').select('password_hash').where('id', '=', id).executeTakeFirstOrThrow()).password_hash;
const auditRows = () => db.selectFrom('audit_log').selectAll().orderBy('id').execute();
const isValid = async (token: string) => (await validateSessionToken(auth, token)).session !== null;

/** Irina changes her password from the session whose token is `token`. */
async function change(token: string, current: string, next: string) {
  const { session } = await validateSessionToken(auth, token);
  return changePassword(db, auth, { userId: irina, sessionCreatedAt: session!.createdAt, current, next, clientAddress: ADDRESS });
}

/** Asks for a reset of Irina's password and returns the token from the emailed link. */
async function resetLinkToken(): Promise<string> {
  expect(await askForReset('irina@example.org')).toBe('accepted');
  const mail = (await outbox()).at(-1)!;
  const token = mail.text_body.match(/\/password\/reset\/\?token=([A-Za-z0-9_-]+)/)?.[1];
  expect(token).toBeDefined();
  return token!;
}

describe('asking for a password reset', () => {
  it('emails an active account a link in its own language', async () => {
    expect(await askForReset('irina@example.org')).toBe('accepted');
    const mail = await outbox();
    expect(mail).toHaveLength(1);
    expect(mail[0]).toMatchObject({ to_address: 'irina@example.org', subject: 'Сброс пароля', language: 'ru' });
    expect(mail[0]!.text_body).toContain('Здравствуйте, Irina Sokolova!');
    expect(mail[0]!.text_body).toContain('60 минут');
    const link = mail[0]!.text_body.match(/https?:\/\/\S+/)?.[0];
    expect(link).toMatch(/^https:\/\/qala\.example\.org\/ru\/password\/reset\/\?token=[A-Za-z0-9_-]{43}$/);
    const token = new URL(link!).searchParams.get('token')!;
    expect(await checkToken(db, 'password_reset', token)).toEqual({ ok: true, token: { email: 'irina@example.org', userId: irina, data: {} } });
  });

  it('finds the account whatever the email’s case and spaces', async () => {
    expect(await askForReset('  IRINA@Example.org ')).toBe('accepted');
    expect((await outbox()).map((mail) => mail.to_address)).toEqual(['irina@example.org']);
  });

  it('answers the same for an unknown email and a disabled account, and sends them nothing', async () => {
    expect(await askForReset('nobody@example.org')).toBe('accepted');
    expect(await askForReset('gone@example.org')).toBe('accepted');
    expect(await outbox()).toEqual([]);
    expect(await db.selectFrom('tokens').selectAll().execute()).toEqual([]);
    // Administrators still see that someone asked (probing for accounts shows up).
    expect(await auditRows()).toMatchObject([
      { action: 'password_reset.requested', target_type: 'email', target_id: 'nobody@example.org', details: JSON.stringify({ sent: false }) },
      { action: 'password_reset.requested', target_type: 'email', target_id: 'gone@example.org', details: JSON.stringify({ sent: false }) },
    ]);
  });

  it('records the request in the audit log, against the account', async () => {
    await askForReset('irina@example.org');
    expect(await auditRows()).toMatchObject([
      { action: 'password_reset.requested', actor_id: null, target_type: 'user', target_id: irina, client_address: ADDRESS },
    ]);
  });

  it('throttles one client address after the limit, while another address is still served', async () => {
    for (let i = 0; i < RESET_REQUESTS_PER_ADDRESS.limit; i++) expect(await askForReset(`nobody${i}@example.org`)).toBe('accepted');
    expect(await askForReset('irina@example.org')).toBe('throttled');
    expect(await outbox()).toEqual([]);
    expect(await askForReset('irina@example.org', '198.51.100.9')).toBe('accepted');
    expect(await outbox()).toHaveLength(1);
  });
});

describe('resetting a password from the link', () => {
  it('refuses a weak password without using up the link', async () => {
    const token = await resetLinkToken();
    expect(await resetPassword(db, auth, { token, password: 'password1', clientAddress: ADDRESS })).toEqual({ ok: false, problem: 'password.common' });
    expect(await resetPassword(db, auth, { token, password: 'short', clientAddress: ADDRESS })).toEqual({ ok: false, problem: 'password.tooShort' });
    expect(await resetPassword(db, auth, { token, password: 'x'.repeat(129), clientAddress: ADDRESS })).toEqual({ ok: false, problem: 'password.tooLong' });
    expect((await checkToken(db, 'password_reset', token)).ok).toBe(true);
    expect(await passwordHashOf(irina)).toBe(oldHash);
  });

  it('sets the new password, ends every session of the account, and uses the link up', async () => {
    const phone = await startSession(auth, irina);
    const laptop = await startSession(auth, irina);
    const other = await insertUser(db, { email: 'other@example.org', passwordHash: oldHash, displayName: 'Other', role: 'member', townId: null, language: 'kk' });
    const someoneElse = await startSession(auth, other);
    const token = await resetLinkToken();

    expect(await resetPassword(db, auth, { token, password: NEW_PASSWORD, clientAddress: ADDRESS })).toEqual({ ok: true });

    const hash = await passwordHashOf(irina);
    expect(hash).not.toBe(oldHash);
    expect(await verifyPassword(hash, NEW_PASSWORD)).toBe(true);
    expect(await verifyPassword(hash, OLD_PASSWORD)).toBe(false);
    expect(await isValid(phone.value)).toBe(false);
    expect(await isValid(laptop.value)).toBe(false);
    expect(await db.selectFrom('sessions').select('user_id').where('user_id', '=', irina).execute()).toEqual([]);
    expect(await isValid(someoneElse.value)).toBe(true);

    expect(await resetPassword(db, auth, { token, password: 'yet another good password', clientAddress: ADDRESS })).toEqual({ ok: false, problem: 'used' });
    expect(await verifyPassword(await passwordHashOf(irina), NEW_PASSWORD)).toBe(true);
  });

  it('records the completed reset in the audit log', async () => {
    const token = await resetLinkToken();
    await resetPassword(db, auth, { token, password: NEW_PASSWORD, clientAddress: '198.51.100.4' });
    const completed = (await auditRows()).filter((row) => row.action === 'password_reset.completed');
    expect(completed).toMatchObject([{ actor_id: irina, target_type: 'user', target_id: irina, client_address: '198.51.100.4' }]);
  });

  it('refuses a made-up token and changes nothing', async () => {
    expect(await resetPassword(db, auth, { token: 'A'.repeat(43), password: NEW_PASSWORD, clientAddress: ADDRESS })).toEqual({ ok: false, problem: 'unknown' });
    expect(await passwordHashOf(irina)).toBe(oldHash);
    expect(await auditRows()).toEqual([]);
  });
});

describe('changing one’s password', () => {
  it('refuses a wrong current password and changes nothing', async () => {
    const here = await startSession(auth, irina);
    const elsewhere = await startSession(auth, irina);
    expect(await change(here.value, 'not my password', NEW_PASSWORD)).toEqual({ ok: false, problem: 'wrongPassword' });
    expect(await passwordHashOf(irina)).toBe(oldHash);
    expect(await isValid(here.value)).toBe(true);
    expect(await isValid(elsewhere.value)).toBe(true);
    expect(await auditRows()).toEqual([]);
  });

  it('refuses a weak new password and changes nothing', async () => {
    const here = await startSession(auth, irina);
    expect(await change(here.value, OLD_PASSWORD, 'password1')).toEqual({ ok: false, problem: 'password.common' });
    expect(await passwordHashOf(irina)).toBe(oldHash);
  });

  it('ends every session and goes on in a new one, started when the old one was', async () => {
    const startedAt = Date.now() - 60 * 60 * 1000;
    const here = await startSession(auth, irina, startedAt);
    const elsewhere = await startSession(auth, irina);
    const outcome = await change(here.value, OLD_PASSWORD, NEW_PASSWORD);
    expect(outcome.ok).toBe(true);
    if (!outcome.ok) return;
    expect(await verifyPassword(await passwordHashOf(irina), NEW_PASSWORD)).toBe(true);
    expect(outcome.cookie.value).not.toBe(here.value);
    expect(await isValid(here.value)).toBe(false);
    expect(await isValid(elsewhere.value)).toBe(false);
    const renewed = await auth.validateSession(outcome.cookie.value);
    expect(renewed.user?.id).toBe(irina);
    expect(renewed.session?.createdAt).toBe(Math.floor(startedAt / 1000));
    expect(await db.selectFrom('sessions').select('user_id').where('user_id', '=', irina).execute()).toHaveLength(1);
    expect(await auditRows()).toMatchObject([
      { action: 'password.changed', actor_id: irina, target_type: 'user', target_id: irina, client_address: ADDRESS, details: JSON.stringify({ endedOtherSessions: true }) },
    ]);
  });
});

describe('the audit log', () => {
  it('never holds a password, a reset token or a session token', async () => {
    const here = await startSession(auth, irina);
    const token = await resetLinkToken();
    await resetPassword(db, auth, { token, password: 'password1', clientAddress: ADDRESS });
    await resetPassword(db, auth, { token, password: NEW_PASSWORD, clientAddress: ADDRESS });
    await resetPassword(db, auth, { token, password: NEW_PASSWORD, clientAddress: ADDRESS });
    const current = await startSession(auth, irina);
    await change(current.value, 'a wrong guess at it', 'third password of Irina');
    await change(current.value, NEW_PASSWORD, 'third password of Irina');

    const log = JSON.stringify(await auditRows());
    expect(log).toContain('password_reset.completed');
    expect(log).toContain('password.changed');
    for (const secret of [OLD_PASSWORD, NEW_PASSWORD, 'password1', 'a wrong guess at it', 'third password of Irina', token, here.value, current.value]) {
      expect(log).not.toContain(secret);
    }
    expect(log).not.toContain('$argon2');
  });
});

describe('what a reset or a change leaves behind', () => {
  it('an older reset link dies when another one is used', async () => {
    const older = await resetLinkToken();
    const newer = await resetLinkToken();
    expect(await resetPassword(db, auth, { token: newer, password: NEW_PASSWORD, clientAddress: ADDRESS })).toEqual({ ok: true });
    expect(await resetPassword(db, auth, { token: older, password: 'someone else took over', clientAddress: ADDRESS })).toEqual({ ok: false, problem: 'used' });
    expect(await verifyPassword(await passwordHashOf(irina), NEW_PASSWORD)).toBe(true);
  });

  it('an open reset link dies when the password is changed', async () => {
    const link = await resetLinkToken();
    const session = (await startSession(auth, irina)).value;
    expect(await change(session, OLD_PASSWORD, NEW_PASSWORD)).toMatchObject({ ok: true });
    expect((await checkToken(db, 'password_reset', link)).ok).toBe(false);
  });

  it('a link issued before the account was disabled cannot set a password', async () => {
    const link = await resetLinkToken();
    await db.updateTable('users').set({ disabled_at: 1 }).where('id', '=', irina).execute();
    expect(await resetPassword(db, auth, { token: link, password: NEW_PASSWORD, clientAddress: ADDRESS })).toEqual({ ok: false, problem: 'unknown' });
    expect(await passwordHashOf(irina)).toBe(oldHash);
  });

  it('guesses at the current password are throttled per account', async () => {
    const session = (await startSession(auth, irina)).value;
    for (let attempt = 0; attempt < 5; attempt++) expect(await change(session, `guess ${attempt}`, NEW_PASSWORD)).toEqual({ ok: false, problem: 'wrongPassword' });
    expect(await change(session, OLD_PASSWORD, NEW_PASSWORD)).toEqual({ ok: false, problem: 'throttled' });
    expect(await passwordHashOf(irina)).toBe(oldHash);
  });
});
