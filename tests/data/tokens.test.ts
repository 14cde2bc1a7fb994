import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { checkToken, issueToken, TOKEN_LIFETIME_SECONDS, useToken } from '~/server/accounts/tokens.ts';
import { insertUser } from '~/server/accounts/users.ts';
import type { Database } from '~/server/db/schema.ts';
import { createTestDatabase } from '../helpers/database.ts';

let db: Kysely<Database>;
let cleanup: () => Promise<void>;
let userId: string;
const NOW = Math.floor(new Date('2026-05-04T10:00:00Z').getTime() / 1000);
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

beforeEach(async () => {
  ({ db, cleanup } = await createTestDatabase());
  userId = await insertUser(db, { email: 'aigerim@example.org', passwordHash: 'x', displayName: 'Aigerim', role: 'member', townId: null, language: 'kk' });
});
afterEach(() => cleanup());

const issueReset = (now = NOW) => issueToken(db, 'password_reset', { email: 'aigerim@example.org', userId }, now);

describe('single-use tokens', () => {
  it('are stored only as their SHA-256: the raw token is nowhere in the table', async () => {
    const token = await issueReset();
    const rows = await db.selectFrom('tokens').selectAll().execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]!.id_hash).toBe(sha256(token));
    expect(JSON.stringify(rows)).not.toContain(token);
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('are different every time', async () => {
    expect(await issueReset()).not.toBe(await issueReset());
  });

  it('a fresh token checks out, with its email, user and data', async () => {
    const token = await issueToken(db, 'invitation', { email: 'new@example.org', userId: null, data: { role: 'member', townId: 3 } }, NOW);
    expect(await checkToken(db, 'invitation', token, NOW + 1)).toEqual({
      ok: true,
      token: { email: 'new@example.org', userId: null, data: { role: 'member', townId: 3 } },
    });
    expect(await checkToken(db, 'password_reset', await issueReset(), NOW)).toEqual({
      ok: true,
      token: { email: 'aigerim@example.org', userId, data: {} },
    });
  });

  it('checking a token does not use it up', async () => {
    const token = await issueReset();
    await checkToken(db, 'password_reset', token, NOW);
    expect((await checkToken(db, 'password_reset', token, NOW)).ok).toBe(true);
  });

  it('expire at the end of their lifetime, and cannot be used after it', async () => {
    const token = await issueReset();
    const lifetime = TOKEN_LIFETIME_SECONDS.password_reset;
    expect(lifetime).toBe(60 * 60);
    expect((await checkToken(db, 'password_reset', token, NOW + lifetime - 1)).ok).toBe(true);
    expect(await checkToken(db, 'password_reset', token, NOW + lifetime)).toEqual({ ok: false, problem: 'expired' });
    const late = await db.transaction().execute((trx) => useToken(trx, 'password_reset', token, NOW + lifetime + 60));
    expect(late).toEqual({ ok: false, problem: 'expired' });
  });

  it('work once: a second use is refused as used', async () => {
    const token = await issueReset();
    const first = await db.transaction().execute((trx) => useToken(trx, 'password_reset', token, NOW + 5));
    expect(first).toEqual({ ok: true, token: { email: 'aigerim@example.org', userId, data: {} } });
    const second = await db.transaction().execute((trx) => useToken(trx, 'password_reset', token, NOW + 6));
    expect(second).toEqual({ ok: false, problem: 'used' });
    expect(await checkToken(db, 'password_reset', token, NOW + 7)).toEqual({ ok: false, problem: 'used' });
    expect((await db.selectFrom('tokens').select('used_at').executeTakeFirstOrThrow()).used_at).toBe(NOW + 5);
  });

  it('of one purpose are unknown for another', async () => {
    const invitation = await issueToken(db, 'invitation', { email: 'aigerim@example.org', userId }, NOW);
    expect(await checkToken(db, 'password_reset', invitation, NOW)).toEqual({ ok: false, problem: 'unknown' });
    expect(await db.transaction().execute((trx) => useToken(trx, 'email_change', invitation, NOW))).toEqual({ ok: false, problem: 'unknown' });
    // And the refused attempt did not use it up for its own purpose.
    expect((await checkToken(db, 'invitation', invitation, NOW)).ok).toBe(true);
  });

  it.each([
    ['empty', ''],
    ['too short', 'abc'],
    ['too long', 'a'.repeat(101)],
    ['with spaces', 'aaaaaaaaaa aaaaaaaaaaaaaaa'],
    ['with SQL', "' or 1=1 -- aaaaaaaaaaaaaaaaaaa"],
    ['non-ASCII', 'ключключключключключключ'],
    ['a well-formed token never issued', 'A'.repeat(43)],
  ])('a malformed or made-up token (%s) is unknown', async (_case, token) => {
    await issueReset();
    expect(await checkToken(db, 'password_reset', token, NOW)).toEqual({ ok: false, problem: 'unknown' });
    expect(await db.transaction().execute((trx) => useToken(trx, 'password_reset', token, NOW))).toEqual({ ok: false, problem: 'unknown' });
  });

  it('the stored hash itself is not a usable token', async () => {
    await issueReset();
    const { id_hash } = await db.selectFrom('tokens').select('id_hash').executeTakeFirstOrThrow();
    expect(await checkToken(db, 'password_reset', id_hash, NOW)).toEqual({ ok: false, problem: 'unknown' });
  });

  it('used by two requests at once in two transactions: exactly one succeeds', async () => {
    const token = await issueReset();
    const outcomes = await Promise.all([1, 2].map(() => db.transaction().execute((trx) => useToken(trx, 'password_reset', token, NOW))));
    expect(outcomes.filter((outcome) => outcome.ok)).toHaveLength(1);
    expect(outcomes.filter((outcome) => !outcome.ok)).toEqual([{ ok: false, problem: 'used' }]);
  });

  it('used twice at once even outside transactions: the conditional update still lets only one through', async () => {
    const token = await issueReset();
    const outcomes = await Promise.all([useToken(db, 'password_reset', token, NOW), useToken(db, 'password_reset', token, NOW)]);
    expect(outcomes.map((outcome) => outcome.ok).sort()).toEqual([false, true]);
  });
});
