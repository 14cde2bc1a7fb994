import { Migrator } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { migrations } from '../../db/migrations/index.ts';
import { createEmptyTestDatabase } from '../helpers/database.ts';

// Migration 0016 rebuilds `users` on SQLite to widen its role check (widenSqliteCheck).
// How long that takes with 20,000 accounts and their sessions, and that it keeps them all.
// Run: npx vitest run --config vitest.bench.config.ts tests/bench/partners-migration.measure.ts
const ACCOUNTS = 20_000;

let handle: Awaited<ReturnType<typeof createEmptyTestDatabase>>;
afterAll(() => handle?.cleanup());

describe('migration 0016 on a populated database', () => {
  it(`widens the role check over ${ACCOUNTS} accounts`, async () => {
    handle = await createEmptyTestDatabase();
    const { db } = handle;
    const names = Object.keys(migrations);
    const before = names.indexOf('0016_partners_and_dialogue');
    const upTo = new Migrator({ db, provider: { getMigrations: async () => Object.fromEntries(names.slice(0, before).map((name) => [name, migrations[name]!])) } });
    await upTo.migrateToLatest();
    for (let start = 0; start < ACCOUNTS; start += 500) {
      const users = Array.from({ length: 500 }, (_, k) => ({ id: `u${start + k}`, email: `u${start + k}@example.org`, password_hash: 'x', display_name: `User ${start + k}`, role: 'member' as const, town_id: null, language: 'en' as const, created_at: 0, updated_at: 0 }));
      await db.insertInto('users').values(users).execute();
      await db.insertInto('sessions').values(users.map((user) => ({ id_hash: `h${user.id}`, user_id: user.id, expires_at: 2e9, created_at: 0 }))).execute();
    }
    const started = performance.now();
    const all = new Migrator({ db, provider: { getMigrations: async () => migrations } });
    const result = await all.migrateToLatest();
    const ms = performance.now() - started;
    expect(result.error).toBeUndefined();
    const count = async (table: 'users' | 'sessions') => Number((await db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    expect(await count('users')).toBe(ACCOUNTS);
    expect(await count('sessions')).toBe(ACCOUNTS);
    console.log(`migration 0016 with ${ACCOUNTS} accounts and sessions: ${ms.toFixed(0)} ms`);
  });
});
