import { it } from 'vitest';
import { insertUser } from '~/server/accounts/users.ts';
import { createSessionAdapter, hashSessionToken } from '~/server/auth/session-adapter.ts';
import { migrateToLatest } from '~/server/db/migrate.ts';
import { unreadCount, unreadCountQuery } from '~/server/notifications/notifications.ts';
import { createEmptyTestDatabase } from '../helpers/database.ts';

// What compiling once gains (src/server/db/compiled-once.ts): the two queries every
// signed-in page makes, the session with its user and the unread count, run through
// their compiled-once form and built by kysely on every call as before, interleaved, on
// SQLite. Prints CPU µs per call (process.cpuUsage, so the neighbours' load counts less).
// Run: npx vitest run --config vitest.bench.config.ts tests/bench/compiled-once.measure.ts
const CALLS = 3_000;
const ROUNDS = 5;

it('measures queries compiled once against queries built on every call', { timeout: 600_000 }, async () => {
  const { db, cleanup } = await createEmptyTestDatabase();
  await migrateToLatest(db);
  const userId = await insertUser(db, { email: 'bench@example.org', displayName: 'Bench', passwordHash: 'x', role: 'member', language: 'en', townId: null });
  const adapter = createSessionAdapter(db);
  await adapter.setSession({ id: 'bench-session-token', userId, expiresAt: new Date(Date.now() + 3_600_000), attributes: { created_at: Math.floor(Date.now() / 1000) } });
  // The session query as it was built before (the same selection and hashing, kysely's builder each call).
  const sessionBuiltEachTime = () =>
    db
      .selectFrom('sessions')
      .innerJoin('users', 'users.id', 'sessions.user_id')
      .leftJoin('towns', 'towns.id', 'users.town_id')
      .leftJoin('partners', 'partners.id', 'users.partner_id')
      .select(['sessions.user_id', 'sessions.expires_at', 'sessions.created_at', 'users.email', 'users.display_name', 'users.role', 'users.language', 'users.disabled_at', 'users.town_id', 'towns.slug as town_slug', 'towns.name_kk as town_name_kk', 'towns.name_ru as town_name_ru', 'towns.name_en as town_name_en', 'users.partner_id', 'partners.name as partner_name'])
      .where('sessions.id_hash', '=', hashSessionToken('bench-session-token'))
      .executeTakeFirst();
  const cases: Record<string, () => Promise<unknown>> = {
    'session, built each call': sessionBuiltEachTime,
    'session, compiled once': () => adapter.getSessionAndUser('bench-session-token'),
    'unread count, built each call': () => unreadCountQuery(db, userId).executeTakeFirstOrThrow(),
    'unread count, compiled once': () => unreadCount(db, userId),
  };
  const micros = new Map<string, number[]>(Object.keys(cases).map((name) => [name, []]));
  for (const run of Object.values(cases)) for (let i = 0; i < 200; i++) await run();
  for (let round = 0; round < ROUNDS; round++) {
    for (const [name, run] of Object.entries(cases)) {
      const before = process.cpuUsage();
      for (let i = 0; i < CALLS; i++) await run();
      const used = process.cpuUsage(before);
      micros.get(name)!.push((used.user + used.system) / CALLS);
    }
  }
  await cleanup();
  console.log(`\nCPU µs per call, ${ROUNDS} rounds of ${CALLS} calls (min / median):`);
  for (const [name, values] of micros) {
    const sorted = [...values].sort((a, b) => a - b);
    console.log(`${name.padEnd(32)} ${sorted[0]!.toFixed(1).padStart(7)} / ${sorted[Math.floor(sorted.length / 2)]!.toFixed(1).padStart(7)}`);
  }
});
