import type { Kysely } from 'kysely';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createUser } from '~/server/accounts/users.ts';
import { createLucia, type Auth } from '~/server/auth/lucia.ts';
import { signIn } from '~/server/auth/sign-in.ts';
import type { Database } from '~/server/db/schema.ts';
import { createTestDatabase } from '../helpers/database.ts';

// Count the Argon2 checks: each sign-in answer must cost one, whether the account exists.
const argon2 = vi.hoisted(() => ({ verifications: 0 }));
vi.mock('@node-rs/argon2', async (importOriginal) => {
  const original = await importOriginal<typeof import('@node-rs/argon2')>();
  return {
    ...original,
    verify: (...args: Parameters<typeof original.verify>) => {
      argon2.verifications += 1;
      return original.verify(...args);
    },
  };
});

let db: Kysely<Database>;
let cleanup: () => Promise<void>;
let auth: Auth;

beforeEach(async () => {
  ({ db, cleanup } = await createTestDatabase());
  auth = createLucia(db, { production: false });
  await createUser(db, { email: 'aigerim@example.org', password: 'a quiet town by the river', displayName: 'Aigerim', role: 'member', townId: null, language: 'kk' });
});
afterEach(() => cleanup());

/** The answer to one attempt and how many password hashes it checked. */
async function answer(email: string, clientAddress = '203.0.113.7') {
  const before = argon2.verifications;
  const result = await signIn(db, auth, { email, password: 'wrong password', clientAddress });
  return { result, hashes: argon2.verifications - before };
}

describe('the sign-in answer does not tell whether an account exists', () => {
  it('a wrong password of a known account and an unknown email: same answer, one hash each', async () => {
    const known = await answer('aigerim@example.org');
    const unknown = await answer('nobody@example.org');
    expect(known).toEqual({ result: { ok: false, reason: 'invalid' }, hashes: 1 });
    expect(unknown).toEqual(known);
  });

  it('when throttled, too: same answer, and neither looks the account up or checks a hash', async () => {
    for (let i = 0; i < 5; i++) {
      await answer('aigerim@example.org', '192.0.2.9');
      await answer('nobody@example.org', '192.0.2.9');
    }
    const known = await answer('aigerim@example.org', '192.0.2.9');
    const unknown = await answer('nobody@example.org', '192.0.2.9');
    // The wait itself is not shown to the visitor (the page just says to wait).
    for (const outcome of [known, unknown]) expect(outcome).toMatchObject({ result: { ok: false, reason: 'throttled' }, hashes: 0 });
  });
});
