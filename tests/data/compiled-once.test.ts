import type { Kysely } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { insertUser } from '~/server/accounts/users.ts';
import { compiledOnce } from '~/server/db/compiled-once.ts';
import type { Database } from '~/server/db/schema.ts';
import { createTestDatabase } from '../helpers/database.ts';

let db: Kysely<Database>;
let cleanup: () => Promise<void>;
let aigerim: string;
let boris: string;

beforeEach(async () => {
  ({ db, cleanup } = await createTestDatabase());
  const account = { passwordHash: 'x', role: 'member' as const, townId: null };
  aigerim = await insertUser(db, { ...account, email: 'aigerim@example.org', displayName: 'Aigerim', language: 'kk' });
  boris = await insertUser(db, { ...account, email: 'boris@example.org', displayName: 'Boris', language: 'ru' });
});
afterEach(() => cleanup());

describe('a query compiled once', () => {
  it('answers each call with its own arguments, as the query built every time does', async () => {
    const byEmail = compiledOnce((database: Kysely<Database>, email: string, role: string) =>
      database.selectFrom('users').select(['id', 'display_name']).where('email', '=', email).where('role', '=', role as 'member').limit(5),
    );
    expect(await byEmail(db, 'aigerim@example.org', 'member')).toEqual([{ id: aigerim, display_name: 'Aigerim' }]);
    // The second call reuses the compiled query with other values: Boris, never Aigerim.
    expect(await byEmail(db, 'boris@example.org', 'member')).toEqual([{ id: boris, display_name: 'Boris' }]);
    expect(await byEmail(db, 'boris@example.org', 'admin')).toEqual([]);
  });

  it('sees a change made after it was compiled', async () => {
    const nameOf = compiledOnce((database: Kysely<Database>, id: string) => database.selectFrom('users').select('display_name').where('id', '=', id));
    expect(await nameOf(db, aigerim)).toEqual([{ display_name: 'Aigerim' }]);
    await db.updateTable('users').set({ display_name: 'Aigerim B.' }).where('id', '=', aigerim).execute();
    expect(await nameOf(db, aigerim)).toEqual([{ display_name: 'Aigerim B.' }]);
  });

  it('refuses a builder that uses an argument other than as a bound value', async () => {
    const inlined = compiledOnce((database: Kysely<Database>, email: string) => database.selectFrom('users').select('id').where('email', '=', email.toUpperCase()));
    await expect(inlined(db, 'aigerim@example.org')).rejects.toThrow(/bound value/);
    const unused = compiledOnce((database: Kysely<Database>, _email: string) => database.selectFrom('users').select('id'));
    await expect(unused(db, 'aigerim@example.org')).rejects.toThrow(/bound value/);
  });
});
