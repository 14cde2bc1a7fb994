import { join } from 'node:path';
import { it } from 'vitest';
import { seedDemoData } from '../../db/seed/index.ts';
import { createDatabase } from '~/server/db/connection.ts';
import { migrateToLatest } from '~/server/db/migrate.ts';
import { loadMemberHome } from '~/server/dashboard/home.ts';
import { listRequests } from '~/server/exchange/request-list.ts';
import { listNotifications, unreadCount } from '~/server/notifications/notifications.ts';
import { temporaryDirectory } from '../helpers/database.ts';

// What keeping prepared statements gains on SQLite (src/server/db/sqlite-driver.ts):
// the same reads a member page makes, on the demo data, with the cache and without
// (QALA_SQLITE_STATEMENT_CACHE=0), interleaved so both see the same machine load.
// Run: npx vitest run --config vitest.bench.config.ts tests/bench/statement-cache.measure.ts
const ROUNDS = 400;

it('measures the statement cache', { timeout: 600_000 }, async () => {
  const dir = temporaryDirectory('qala-bench-statements-');
  const path = join(dir.path, 'demo.db');
  const setup = createDatabase(path);
  await migrateToLatest(setup);
  await seedDemoData(setup);
  const member = await setup.selectFrom('users').innerJoin('towns', 'towns.id', 'users.town_id').select(['users.id', 'users.email', 'users.display_name', 'users.role', 'users.language', 'towns.id as town_id', 'towns.slug', 'towns.name_kk', 'towns.name_ru', 'towns.name_en']).where('users.role', '=', 'town_admin').executeTakeFirstOrThrow();
  await setup.destroy();
  const user = { id: member.id, email: member.email, displayName: member.display_name, role: member.role, language: member.language, disabled: false, town: { id: member.town_id, slug: member.slug, name: { kk: member.name_kk, ru: member.name_ru, en: member.name_en } } };
  const cached = createDatabase(path);
  process.env.QALA_SQLITE_STATEMENT_CACHE = '0';
  const uncached = createDatabase(path);
  delete process.env.QALA_SQLITE_STATEMENT_CACHE;
  const page = async (db: typeof cached) => {
    await listRequests(db, { id: user.id, townId: user.town.id }, {});
    await listNotifications(db, user.id);
    await unreadCount(db, user.id);
    await loadMemberHome(db, user);
  };
  const times = { cached: [] as number[], uncached: [] as number[] };
  for (let round = 0; round < ROUNDS + 40; round++) {
    for (const [name, db] of [['cached', cached], ['uncached', uncached]] as const) {
      const started = process.cpuUsage();
      await page(db);
      const used = process.cpuUsage(started);
      if (round >= 40) times[name].push((used.user + used.system) / 1000);
    }
  }
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
  const [withCache, without] = [median(times.cached), median(times.uncached)];
  console.log(`CPU per member-page set of reads (median of ${ROUNDS}): with kept statements ${withCache.toFixed(2)} ms, preparing each time ${without.toFixed(2)} ms (${(((without - withCache) / without) * 100).toFixed(0)}% less)`);
  await cached.destroy();
  await uncached.destroy();
  dir.remove();
});
