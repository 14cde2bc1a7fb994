import type { Kysely } from 'kysely';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, it } from 'vitest';
import { insertUser } from '~/server/accounts/users.ts';
import { createDatabase } from '~/server/db/connection.ts';
import { migrateToLatest } from '~/server/db/migrate.ts';
import type { Database } from '~/server/db/schema.ts';
import { createThread } from '~/server/groups/threads.ts';
import { RESYNC_PAGE } from '~/server/search/resync.ts';
import { resyncDatabaseSources } from '~/server/search/sources/index.ts';
import { syncRequest } from '~/server/search/sources/exchange.ts';
import { createPostgresTestDatabase, temporaryDirectory } from '../helpers/database.ts';

// What keeping search_documents current costs: the full rewrite of the database sources
// (the background pass after DATABASE_SOURCES_VERSION changes, the seed, `qala search reindex`) over
// 10,000 requests with 20,000 responses and 10,000 threads with 20,000 replies (60,000
// documents), and what one write adds (a thread created with its document; one request's
// documents rewritten with its two responses), on SQLite and PostgreSQL.
// Run: npx vitest run --config vitest.bench.config.ts tests/bench/search-sources.measure.ts

const REQUESTS = 10_000;
const THREADS = 10_000;
const cleanups: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const cleanup of cleanups) await cleanup();
});

async function fill(db: Kysely<Database>): Promise<{ groupId: number; userId: string }> {
  await migrateToLatest(db);
  const town = await db.insertInto('towns').values({ slug: 'temirtau', name_kk: 'Теміртау', name_ru: 'Темиртау', name_en: 'Temirtau', region: 'karaganda', population: 1, main_industry: null, founding_enterprise_kk: null, founding_enterprise_ru: null, founding_enterprise_en: null, economic_potential: null, created_at: 1, updated_at: 1 }).returning('id').executeTakeFirstOrThrow();
  const userId = await insertUser(db, { email: 'a@example.org', passwordHash: 'x', displayName: 'A', role: 'member', townId: town.id, language: 'ru' }, 1);
  const group = await db.insertInto('groups').values({ slug: 'g', name_kk: 'Топ', name_ru: 'Группа', name_en: 'Group', purpose_kk: '', purpose_ru: '', purpose_en: '', topics: '[]', type: 'forum', visibility: 'open', rhythm: 'monthly', description_public: 1, archived_at: null, created_by: null, created_at: 1, updated_at: 1 }).returning('id').executeTakeFirstOrThrow();
  const text = (n: number) => `Снижение потерь тепла в сетях, вариант ${n}: замена труб, **изоляция**, учёт.`;
  for (let start = 0; start < REQUESTS; start += 200) {
    const rows = Array.from({ length: 200 }, (_, i) => ({ town_id: town.id, author_id: userId, title: `Запрос ${start + i}`, body: text(start + i), help_forms: '[]', topics: '["utilities-housing"]', languages: '["ru"]', urgency: 'normal' as const, deadline: null, status: 'open' as const, outcome: null, hidden_at: null, hidden_reason: null, published_at: 1, resolved_at: null, created_at: 1, updated_at: 1 }));
    const ids = await db.insertInto('help_requests').values(rows).returning('id').execute();
    await db.insertInto('help_responses').values(ids.flatMap(({ id }) => [0, 1].map((k) => ({ request_id: id, author_id: userId, town_id: town.id, body: `Ответ ${k}: ${text(id)}`, accepted_at: null, withdrawn_at: null, hidden_at: null, hidden_reason: null, created_at: 1, updated_at: 1 })))).execute();
  }
  for (let start = 0; start < THREADS; start += 200) {
    const rows = Array.from({ length: 200 }, (_, i) => ({ group_id: group.id, author_id: userId, title: `Тема ${start + i}`, body: text(start + i), pinned: 0 as const, locked: 0 as const, hidden_at: null, hidden_by: null, hidden_reason: null, created_at: 1, last_activity_at: 1 }));
    const ids = await db.insertInto('group_threads').values(rows).returning('id').execute();
    await db.insertInto('group_replies').values(ids.flatMap(({ id }) => [0, 1].map((k) => ({ thread_id: id, author_id: userId, body: `Ответ ${k}: ${text(id)}`, hidden_at: null, hidden_by: null, hidden_reason: null, created_at: 1 })))).execute();
  }
  return { groupId: group.id, userId };
}

const percentile = (values: number[], p: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor((p / 100) * values.length))]!;

async function measure(engine: string, db: Kysely<Database>): Promise<void> {
  const { groupId, userId } = await fill(db);
  let started = performance.now();
  const cpu = process.cpuUsage();
  const written = await resyncDatabaseSources(db);
  const total = Object.values(written).reduce((sum, count) => sum + count, 0);
  const seconds = (performance.now() - started) / 1000;
  const { user, system } = process.cpuUsage(cpu);
  const cpuSeconds = (user + system) / 1e6;
  console.log(
    `${engine}: full resync (background pass, pages of ${RESYNC_PAGE}) of ${total} documents in ${seconds.toFixed(1)} s: ${Math.round(total / seconds)} docs/s wall, ` +
      `${Math.round(total / cpuSeconds)} docs/s of this process's CPU (${cpuSeconds.toFixed(1)} s); load average ${loadavg().map((load) => load.toFixed(1)).join(' ')}`,
  );
  const syncs: number[] = [];
  for (let id = 1; id <= 200; id += 1) {
    started = performance.now();
    await syncRequest(db, id);
    syncs.push(performance.now() - started);
  }
  const threads: number[] = [];
  for (let n = 0; n < 200; n += 1) {
    started = performance.now();
    await createThread(db, { groupId, authorId: userId, title: `Новая тема ${n}`, body: 'Текст' });
    threads.push(performance.now() - started);
  }
  console.log(`${engine}: one request's documents rewritten (with 2 responses) p50 ${percentile(syncs, 50).toFixed(1)} ms, p95 ${percentile(syncs, 95).toFixed(1)} ms; createThread with its document p50 ${percentile(threads, 50).toFixed(1)} ms, p95 ${percentile(threads, 95).toFixed(1)} ms`);
}

describe('search sources', () => {
  it('on SQLite', async () => {
    const dir = temporaryDirectory('qala-bench-search-');
    const db = createDatabase({ engine: 'sqlite', path: join(dir.path, 'bench.db') });
    cleanups.push(async () => {
      await db.destroy();
      dir.remove();
    });
    await measure('SQLite', db);
  });

  it('on PostgreSQL', async () => {
    const database = await createPostgresTestDatabase();
    const db = createDatabase(database.url);
    cleanups.push(async () => {
      await db.destroy();
      await database.drop();
    });
    await measure('PostgreSQL', db);
  });
});
