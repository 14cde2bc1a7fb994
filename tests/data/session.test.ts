import type { Kysely } from 'kysely';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { insertUser } from '~/server/accounts/users.ts';
import { createLucia, type Auth } from '~/server/auth/lucia.ts';
import { startSession, validateSessionToken } from '~/server/auth/session.ts';
import { ABSOLUTE_SECONDS, IDLE_SECONDS } from '~/server/auth/session-policy.ts';
import type { Database, Role } from '~/server/db/schema.ts';
import { createTestDatabase } from '../helpers/database.ts';

let db: Kysely<Database>;
let cleanup: () => Promise<void>;
let auth: Auth;
const START = new Date('2026-11-02T09:00:00Z').getTime();

async function userWithRole(role: Role): Promise<string> {
  return insertUser(db, { email: `${role}@example.org`, passwordHash: 'x', displayName: role, role, townId: null, language: 'en' });
}

async function signedInAs(role: Role): Promise<{ userId: string; token: string }> {
  const userId = await userWithRole(role);
  const cookie = await startSession(auth, userId);
  return { userId, token: cookie.value };
}

/** Moves the clock forward, touching the session every `stepSeconds` like an active user. */
async function stayActive(token: string, untilSeconds: number, stepSeconds = IDLE_SECONDS / 2) {
  for (let elapsed = stepSeconds; elapsed <= untilSeconds; elapsed += stepSeconds) {
    vi.setSystemTime(START + elapsed * 1000);
    await validateSessionToken(auth, token);
  }
}

beforeEach(async () => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(START);
  ({ db, cleanup } = await createTestDatabase());
  auth = createLucia(db, { production: false });
});
afterEach(async () => {
  vi.useRealTimers();
  await cleanup();
});

describe('sessions', () => {
  it('a new sign-in always gets a new session id', async () => {
    const userId = await userWithRole('member');
    const first = await startSession(auth, userId);
    const second = await startSession(auth, userId);
    expect(first.value).not.toBe(second.value);
    expect(first.value.length).toBeGreaterThanOrEqual(40);
  });

  it('a valid session gives the user, their role and their town', async () => {
    const { token } = await signedInAs('member');
    const result = await validateSessionToken(auth, token);
    expect(result.user).toMatchObject({ displayName: 'member', role: 'member', town: null, disabled: false });
  });

  it('end after the idle timeout without requests', async () => {
    const { token } = await signedInAs('member');
    vi.setSystemTime(START + (IDLE_SECONDS + 1) * 1000);
    expect((await validateSessionToken(auth, token)).session).toBeNull();
  });

  it('are extended by activity, and send a refreshed cookie when they are', async () => {
    const { token } = await signedInAs('member');
    vi.setSystemTime(START + (IDLE_SECONDS * 0.75) * 1000);
    const touched = await validateSessionToken(auth, token);
    expect(touched.refreshedCookie?.value).toBe(token);
    vi.setSystemTime(START + (IDLE_SECONDS * 1.5) * 1000);
    expect((await validateSessionToken(auth, token)).session).not.toBeNull();
  });

  it('of members end at the absolute limit even when active', async () => {
    const { token } = await signedInAs('member');
    await stayActive(token, ABSOLUTE_SECONDS.member - IDLE_SECONDS);
    expect((await validateSessionToken(auth, token)).session).not.toBeNull();
    await stayActive(token, ABSOLUTE_SECONDS.member + IDLE_SECONDS / 2);
    expect((await validateSessionToken(auth, token)).session).toBeNull();
  });

  it.each(['editor', 'admin'] as const)('of an %s end sooner than a member’s', async (role) => {
    expect(ABSOLUTE_SECONDS[role]).toBeLessThan(ABSOLUTE_SECONDS.member);
    const { token } = await signedInAs(role);
    await stayActive(token, ABSOLUTE_SECONDS[role] + IDLE_SECONDS / 2);
    expect((await validateSessionToken(auth, token)).session).toBeNull();
    // Ended sessions are deleted, not just refused.
    expect(await db.selectFrom('sessions').selectAll().execute()).toEqual([]);
  });

  it('of a disabled account stop working at once', async () => {
    const { userId, token } = await signedInAs('member');
    await db.updateTable('users').set({ disabled_at: Math.floor(Date.now() / 1000) }).where('id', '=', userId).execute();
    expect((await validateSessionToken(auth, token)).session).toBeNull();
  });

  it('signing out everywhere ends every session of that user', async () => {
    const userId = await userWithRole('member');
    const phone = await startSession(auth, userId);
    const laptop = await startSession(auth, userId);
    await auth.invalidateUserSessions(userId);
    expect((await validateSessionToken(auth, phone.value)).session).toBeNull();
    expect((await validateSessionToken(auth, laptop.value)).session).toBeNull();
  });

  it('cookies are HttpOnly and SameSite=Lax; Secure with the __Host- prefix in production', async () => {
    const userId = await userWithRole('member');
    const cookie = await startSession(auth, userId);
    expect(cookie.name).toBe('qala_session');
    expect(cookie.attributes).toMatchObject({ httpOnly: true, sameSite: 'lax', path: '/', secure: false });
    const production = createLucia(db, { production: true }).createSessionCookie(cookie.value);
    expect(production.name).toBe('__Host-qala_session');
    expect(production.attributes).toMatchObject({ httpOnly: true, sameSite: 'lax', path: '/', secure: true });
    expect(production.serialize()).not.toMatch(/Domain=/i);
  });
});
