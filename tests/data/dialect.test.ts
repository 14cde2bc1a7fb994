import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engineOf, greatest, isUniqueViolation, least, likeIgnoringCase } from '~/server/db/dialect.ts';
import { createTestDatabase, testEngine } from '../helpers/database.ts';

// The few places SQLite and PostgreSQL need their own SQL, checked on the engine under test.
let database: Awaited<ReturnType<typeof createTestDatabase>>;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database.cleanup());

const user = (id: string, email: string) => ({ id, email, password_hash: 'x', display_name: `Name ${id}`, role: 'member' as const, town_id: null, language: 'en' as const, created_at: 1, updated_at: 1 });

describe('the dialect helpers', () => {
  it('know the engine they run on', () => {
    expect(engineOf(database.db)).toBe(testEngine());
  });

  it('take the smaller and the larger of two values', async () => {
    const { rows } = await sql<{ low: number; high: number }>`select ${least(database.db, 3, 5)} as low, ${greatest(database.db, sql`3`, sql`5`)} as high`.execute(database.db);
    expect(rows.map((row) => ({ low: Number(row.low), high: Number(row.high) }))).toEqual([{ low: 3, high: 5 }]);
  });

  it('match LIKE ignoring case, with a backslash escaping % and _', async () => {
    const { db } = database;
    await db.insertInto('users').values([user('u1', 'Aigerim@Example.org'), user('u2', '100%_sure@example.org'), user('u3', '1000sure@example.org')]).execute();
    const matching = async (pattern: string) =>
      (await db.selectFrom('users').select('id').where(likeIgnoringCase(db, 'users.email', pattern)).orderBy('id').execute()).map((row) => row.id);
    expect(await matching('%aigerim@%')).toEqual(['u1']);
    expect(await matching('%EXAMPLE.ORG')).toEqual(['u1', 'u2', 'u3']);
    expect(await matching('100\\%\\_%')).toEqual(['u2']);
  });

  it('recognise a unique violation by its code, and nothing else as one', async () => {
    const { db } = database;
    const failure = (promise: Promise<unknown>) => promise.then(() => undefined, (error: unknown) => error);
    expect(isUniqueViolation(await failure(db.insertInto('users').values(user('u9', 'aigerim@example.org')).execute()))).toBe(false);
    expect(isUniqueViolation(await failure(db.insertInto('users').values(user('u1', 'new@example.org')).execute()))).toBe(true);
    expect(isUniqueViolation(await failure(db.insertInto('users').values(user('u8', 'Aigerim@Example.org')).execute()))).toBe(true);
    expect(isUniqueViolation(await failure(db.insertInto('users').values({ ...user('u7', 'x@example.org'), town_id: 999 }).execute()))).toBe(false);
    expect(isUniqueViolation(new Error('UNIQUE constraint failed'))).toBe(false);
  });
});
