import type { Kysely } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createUser } from '~/server/accounts/users.ts';
import { createLucia, type Auth } from '~/server/auth/lucia.ts';
import { SIGN_IN_PER_ACCOUNT_AND_ADDRESS, SIGN_IN_PER_ADDRESS, signIn } from '~/server/auth/sign-in.ts';
import type { Database } from '~/server/db/schema.ts';
import { createTestDatabase } from '../helpers/database.ts';

let db: Kysely<Database>;
let cleanup: () => Promise<void>;
let auth: Auth;
const PASSWORD = 'a quiet town by the river';

beforeEach(async () => {
  ({ db, cleanup } = await createTestDatabase());
  auth = createLucia(db, { production: false });
  await createUser(db, { email: 'Aigerim@Example.org', password: PASSWORD, displayName: 'Aigerim', role: 'member', townId: null, language: 'kk' });
});
afterEach(() => cleanup());

const attempt = (email: string, password: string, clientAddress = '203.0.113.7') => signIn(db, auth, { email, password, clientAddress });

describe('password sign-in', () => {
  it('starts a session for the right password, whatever the email’s case and spaces', async () => {
    const result = await attempt('  aigerim@EXAMPLE.org ', PASSWORD);
    expect(result.ok).toBe(true);
    if (result.ok) expect((await auth.validateSession(result.cookie.value)).user?.displayName).toBe('Aigerim');
  });

  it('gives a wrong password and an unknown email the same answer', async () => {
    expect(await attempt('aigerim@example.org', 'wrong password')).toEqual({ ok: false, reason: 'invalid' });
    expect(await attempt('nobody@example.org', 'wrong password')).toEqual({ ok: false, reason: 'invalid' });
  });

  it('refuses a disabled account with the same answer', async () => {
    await db.updateTable('users').set({ disabled_at: 1 }).execute();
    expect(await attempt('aigerim@example.org', PASSWORD)).toEqual({ ok: false, reason: 'invalid' });
  });

  it('throttles one account from one address after 5 failures, even with the right password', async () => {
    for (let i = 0; i < SIGN_IN_PER_ACCOUNT_AND_ADDRESS.free; i++) expect(await attempt('aigerim@example.org', 'guess')).toEqual({ ok: false, reason: 'invalid' });
    const result = await attempt('aigerim@example.org', PASSWORD);
    expect(result).toMatchObject({ ok: false, reason: 'throttled' });
    // A minute from the fifth failure (a slow machine may have crossed a second since).
    if (!result.ok && result.reason === 'throttled') expect(result.retryAfterSeconds).toBeGreaterThanOrEqual(55);
    if (!result.ok && result.reason === 'throttled') expect(result.retryAfterSeconds).toBeLessThanOrEqual(60);
  });

  it('the same account from another address is not throttled: a guesser cannot lock the owner out', async () => {
    for (let i = 0; i < 8; i++) await attempt('aigerim@example.org', 'guess', '198.51.100.66');
    expect(await attempt('aigerim@example.org', PASSWORD, '198.51.100.66')).toMatchObject({ ok: false, reason: 'throttled' });
    expect((await attempt('aigerim@example.org', PASSWORD, '203.0.113.7')).ok).toBe(true);
  });

  it('an unknown email is throttled exactly like a known one', async () => {
    for (let i = 0; i < SIGN_IN_PER_ACCOUNT_AND_ADDRESS.free; i++) expect(await attempt('nobody@example.org', 'guess')).toEqual({ ok: false, reason: 'invalid' });
    expect(await attempt('nobody@example.org', 'guess')).toMatchObject({ ok: false, reason: 'throttled' });
  });

  it('a successful sign-in clears the count', async () => {
    for (let i = 0; i < SIGN_IN_PER_ACCOUNT_AND_ADDRESS.free - 1; i++) await attempt('aigerim@example.org', 'guess');
    expect((await attempt('aigerim@example.org', PASSWORD)).ok).toBe(true);
    for (let i = 0; i < SIGN_IN_PER_ACCOUNT_AND_ADDRESS.free - 1; i++) await attempt('aigerim@example.org', 'guess');
    expect((await attempt('aigerim@example.org', PASSWORD)).ok).toBe(true);
  });

  it('only failures count against the address: many sign-ins from one office never throttle it', async () => {
    for (let i = 0; i < 3; i++) expect((await attempt('aigerim@example.org', PASSWORD, '192.0.2.50')).ok).toBe(true);
    const afterSuccesses = await db.selectFrom('rate_limits').select('count').where('key', '=', 'sign-in:address:192.0.2.50').executeTakeFirst();
    expect(afterSuccesses?.count ?? 0).toBe(0);
    await attempt('aigerim@example.org', 'guess', '192.0.2.50');
    const address = await db.selectFrom('rate_limits').select('count').where('key', '=', 'sign-in:address:192.0.2.50').executeTakeFirstOrThrow();
    expect(address.count).toBe(1);
  });

  it('throttles one client address trying many accounts', async () => {
    // Counters are plain rows: fill the address's window instead of hashing 60 times.
    await db.insertInto('rate_limits').values({ key: 'sign-in:address:192.0.2.1', window_start: Math.floor(Date.now() / 1000), count: SIGN_IN_PER_ADDRESS.limit }).execute();
    expect(await attempt('aigerim@example.org', PASSWORD, '192.0.2.1')).toMatchObject({ ok: false, reason: 'throttled' });
    expect((await attempt('aigerim@example.org', PASSWORD, '192.0.2.2')).ok).toBe(true);
  });
});
