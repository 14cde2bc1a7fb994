import type { Kysely } from 'kysely';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { endSessions } from '~/server/accounts/administration.ts';
import { canOperateSite } from '~/server/accounts/rules.ts';
import { insertUser } from '~/server/accounts/users.ts';
import { latestAudit, recordAudit } from '~/server/audit/audit.ts';
import { createLucia, type Auth, type CurrentUser } from '~/server/auth/lucia.ts';
import { hashPassword } from '~/server/auth/password.ts';
import { SIGN_IN_PER_ADDRESS, signIn } from '~/server/auth/sign-in.ts';
import { signOut, signOutEverywhere } from '~/server/auth/sign-out.ts';
import { ROLES, type Database } from '~/server/db/schema.ts';
import { createMailer, latestOutboxMail } from '~/server/mail/mailer.ts';
import { createTestDatabase } from '../helpers/database.ts';

let db: Kysely<Database>;
let cleanup: () => Promise<void>;
let auth: Auth;
let aigerim: string;
let passwordHash: string;
const PASSWORD = 'a quiet town by the river';
/** A fixed instant, so the recorded time can be compared with the UTC clock exactly. */
const AT = new Date('2026-03-08T12:34:56Z');
const AT_SECONDS = Date.UTC(2026, 2, 8, 12, 34, 56) / 1000;

beforeAll(async () => {
  passwordHash = await hashPassword(PASSWORD);
});

beforeEach(async () => {
  ({ db, cleanup } = await createTestDatabase());
  auth = createLucia(db, { production: false });
  aigerim = await insertUser(db, { email: 'aigerim@example.org', passwordHash, displayName: 'Aigerim', role: 'member', townId: null, language: 'kk' });
});
afterEach(async () => {
  vi.useRealTimers();
  await cleanup();
});

const auditRows = () => db.selectFrom('audit_log').selectAll().orderBy('id').execute();
const attempt = (email: string, password: string, clientAddress = '203.0.113.7') => signIn(db, auth, { email, password, clientAddress });

describe('the audit log of sign-ins', () => {
  it('records a successful sign-in with the user, the client address and the time in UTC seconds', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(AT);
    expect((await attempt('aigerim@example.org', PASSWORD)).ok).toBe(true);
    expect(await auditRows()).toEqual([
      { id: 1, at: AT_SECONDS, action: 'sign_in.succeeded', actor_id: aigerim, target_type: 'user', target_id: aigerim, client_address: '203.0.113.7', details: null },
    ]);
  });

  it('records a wrong password against the account, with no actor', async () => {
    expect((await attempt('aigerim@example.org', 'wrong password')).ok).toBe(false);
    expect(await auditRows()).toMatchObject([{ action: 'sign_in.failed', actor_id: null, target_type: 'user', target_id: aigerim, client_address: '203.0.113.7' }]);
  });

  it('records an unknown email as the (normalized) email tried', async () => {
    await attempt('  Nobody@Example.org ', 'wrong password', '198.51.100.3');
    expect(await auditRows()).toMatchObject([{ action: 'sign_in.failed', actor_id: null, target_type: 'email', target_id: 'nobody@example.org', client_address: '198.51.100.3' }]);
  });

  it('records a throttled attempt, without checking the password', async () => {
    await db.insertInto('rate_limits').values({ key: 'sign-in:address:192.0.2.1', window_start: Math.floor(Date.now() / 1000), count: SIGN_IN_PER_ADDRESS.limit }).execute();
    expect(await attempt('aigerim@example.org', PASSWORD, '192.0.2.1')).toMatchObject({ ok: false, reason: 'throttled' });
    expect(await auditRows()).toMatchObject([{ action: 'sign_in.throttled', actor_id: null, target_type: 'email', target_id: 'aigerim@example.org', client_address: '192.0.2.1' }]);
  });

  it('never holds the password tried', async () => {
    await attempt('aigerim@example.org', PASSWORD);
    await attempt('aigerim@example.org', 'my secret guess');
    await attempt('nobody@example.org', 'another secret guess');
    const log = JSON.stringify(await auditRows());
    for (const secret of [PASSWORD, 'my secret guess', 'another secret guess']) expect(log).not.toContain(secret);
  });

  it('lists the newest entries first, with the actor’s email', async () => {
    await recordAudit(db, { actorId: aigerim, action: 'password.changed', clientAddress: null, details: { endedOtherSessions: true } }, 100);
    await recordAudit(db, { actorId: null, action: 'sign_in.failed', target: { type: 'email', id: 'x@example.org' }, clientAddress: '192.0.2.9' }, 200);
    const entries = await latestAudit(db);
    expect(entries.map((entry) => entry.action)).toEqual(['sign_in.failed', 'password.changed']);
    expect(entries[1]).toMatchObject({ at: 100, actor_email: 'aigerim@example.org', target_type: null, details: '{"endedOtherSessions":true}' });
    expect(entries[0]!.actor_email).toBeNull();
    expect(await latestAudit(db, 1)).toHaveLength(1);
  });
});

describe('the audit log of other security events', () => {
  const admin = { id: 'admin-id', email: 'admin@example.org', displayName: 'Admin', role: 'admin', language: 'en', disabled: false, town: null } satisfies CurrentUser;

  it('records signing out on this device and everywhere', async () => {
    const session = await auth.createSession(aigerim, { created_at: Math.floor(Date.now() / 1000) });
    await signOut(db, auth, { userId: aigerim, sessionId: session.id, clientAddress: '203.0.113.7' });
    await signOutEverywhere(db, auth, { userId: aigerim, clientAddress: '203.0.113.8' });
    expect(await auditRows()).toMatchObject([
      { action: 'sign_out.this_device', actor_id: aigerim, target_type: 'user', target_id: aigerim, client_address: '203.0.113.7' },
      { action: 'sign_out.everywhere', actor_id: aigerim, target_type: 'user', target_id: aigerim, client_address: '203.0.113.8' },
    ]);
    expect((await auth.validateSession(session.id)).session).toBeNull();
  });

  it('records an administrator ending someone’s sessions', async () => {
    expect(await endSessions(db, auth, { actor: admin, userId: aigerim, clientAddress: '192.0.2.3' })).toBeNull();
    expect(await auditRows()).toMatchObject([{ action: 'account.sessions_ended', actor_id: 'admin-id', target_type: 'user', target_id: aigerim, client_address: '192.0.2.3' }]);
  });

  it('lists people by name and email, the actor’s and the target account’s', async () => {
    await recordAudit(db, { actorId: aigerim, action: 'role.changed', target: { type: 'user', id: aigerim }, clientAddress: null });
    expect(await latestAudit(db)).toMatchObject([{ actor_name: 'Aigerim', actor_email: 'aigerim@example.org', target_name: 'Aigerim', target_email: 'aigerim@example.org' }]);
  });
});

describe('mail without an SMTP server', () => {
  it('is written to the outbox, in the recipient’s language, queued', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(AT);
    const mailer = createMailer(db, { smtpUrl: undefined, from: 'Qala <no-reply@example.org>' });
    await mailer.send({ to: 'aigerim@example.org', subject: 'Сәлем', text: 'Body\nwith two lines', language: 'kk' });
    expect(await db.selectFrom('email_outbox').select(['id', 'to_address', 'subject', 'text_body', 'language', 'created_at', 'state', 'attempts']).execute()).toEqual([
      { id: 1, to_address: 'aigerim@example.org', subject: 'Сәлем', text_body: 'Body\nwith two lines', language: 'kk', created_at: AT_SECONDS, state: 'queued', attempts: 0 },
    ]);
  });

  it('is listed newest first, up to a limit', async () => {
    const mailer = createMailer(db, { smtpUrl: undefined, from: 'Qala <no-reply@example.org>' });
    for (const subject of ['first', 'second', 'third']) await mailer.send({ to: 'a@example.org', subject, text: subject, language: 'en' });
    expect((await latestOutboxMail(db)).map((mail) => mail.subject)).toEqual(['third', 'second', 'first']);
    expect((await latestOutboxMail(db, 2)).map((mail) => mail.subject)).toEqual(['third', 'second']);
  });

  it('with an SMTP server configured, is still stored first, so delivery never decides the caller’s answer', async () => {
    // Delivery is the mail job's (tests/data/mail-delivery.test.ts); the caller only queues.
    const mailer = createMailer(db, { smtpUrl: 'smtp://127.0.0.1:1', from: 'Qala <no-reply@example.org>' });
    await expect(mailer.send({ to: 'a@example.org', subject: 'Hello', text: 'Hi', language: 'en' })).resolves.toBeUndefined();
    expect((await latestOutboxMail(db)).map((mail) => [mail.to_address, mail.state])).toEqual([['a@example.org', 'queued']]);
  });
});

describe('who may operate the site (outbox, audit log)', () => {
  const userWithRole = (role: CurrentUser['role']): CurrentUser => ({
    id: 'u1', email: 'u@example.org', displayName: 'U', role, language: 'en', disabled: false, town: null,
  });

  it('only administrators', () => {
    expect(canOperateSite(null)).toBe(false);
    expect(Object.fromEntries(ROLES.map((role) => [role, canOperateSite(userWithRole(role))]))).toEqual({
      member: false,
      town_admin: false,
      editor: false,
      admin: true,
      partner: false,
      author: false,
    });
  });
});
