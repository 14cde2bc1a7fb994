import Database from 'better-sqlite3';
import { sql, type Kysely } from 'kysely';
import { existsSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { hashPassword } from '~/server/auth/password.ts';
import { createDatabase } from '~/server/db/connection.ts';
import { copyDatabase } from '~/server/db/copy.ts';
import { redactPassword } from '~/server/db/location.ts';
import { migrateToLatest } from '~/server/db/migrate.ts';
import type { Database as Schema } from '~/server/db/schema.ts';
import { suggestPeople, suggestTowns, type CaseCounts } from '~/server/exchange/matching.ts';
import { getRequest } from '~/server/exchange/requests.ts';
import { listRequests, type RequestFilters } from '~/server/exchange/request-list.ts';
import { listResponses } from '~/server/exchange/responses.ts';
import { refreshSuggestions, suggestionsFor } from '~/server/exchange/suggestions.ts';
import { TAXONOMIES } from '~/schemas/taxonomy.ts';
import { temporaryDirectory } from '../helpers/database.ts';
import { signIn } from '../helpers/http.ts';
import { DEMO_PASSWORD, startServer, type RunningServer } from '../helpers/server.ts';

// The expertise exchange at national scale: 1,000 towns, 20,000 members, 200,000
// requests and 1,000,000 responses. Prints p50/p95 server time of the list, a
// request page and the matching, in process and over HTTP, on SQLite and on
// PostgreSQL (a copy of the same data), then one table of both side by side.
// Run: npm run bench
//
//   QALA_BENCH_DB=<file>  keeps the filled SQLite database there and reuses it.
//   QALA_BENCH_PG_URL=…   the PostgreSQL server to create the bench database on
//                         (default QALA_TEST_DATABASE_URL, else the local server).
//   QALA_BENCH_PG=keep    keeps the PostgreSQL database (qala_bench) and reuses it;
//                         without it the database is dropped at the end.
//   QALA_BENCH_PG=off     measures SQLite only (as does a server that does not answer).
const TOWNS = 1_000;
const USERS = 20_000;
const REQUESTS = 200_000;
const RESPONSES = 1_000_000;
const ROUNDS = 200;

const dir = temporaryDirectory('qala-bench-');
const kept = process.env.QALA_BENCH_DB;
const path = kept ?? join(dir.path, 'exchange.db');

const PG_SERVER = process.env.QALA_BENCH_PG_URL || process.env.QALA_TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
const PG_DATABASE = 'qala_bench';
const keepPostgres = process.env.QALA_BENCH_PG === 'keep';
const postgresUrl = (() => {
  const url = new URL(PG_SERVER);
  url.pathname = `/${PG_DATABASE}`;
  return url.toString();
})();

type Engine = 'SQLite' | 'PostgreSQL';
const ENGINES: readonly Engine[] = ['SQLite', 'PostgreSQL'];
/** p50 and p95 per measurement and engine, in the order measured, for the closing table. */
const results = new Map<string, Partial<Record<Engine, { p50: number; p95: number }>>>();
/** Lines printed under the table (fill time, memory). */
const notes: string[] = [];

/** Runs `work` on a connection to the PostgreSQL server's maintenance database. */
async function asPostgresAdmin<T>(work: (admin: pg.Client) => Promise<T>): Promise<T> {
  const admin = new pg.Client({ connectionString: PG_SERVER, connectionTimeoutMillis: 5_000 });
  await admin.connect();
  try {
    return await work(admin);
  } finally {
    await admin.end();
  }
}

/** Why PostgreSQL is not measured, or null when it is. */
async function postgresUnavailable(): Promise<string | null> {
  if (process.env.QALA_BENCH_PG === 'off') return 'QALA_BENCH_PG=off';
  try {
    await asPostgresAdmin((admin) => admin.query('select 1'));
    return null;
  } catch (error) {
    return `${redactPassword(PG_SERVER)} does not answer (${error instanceof Error ? error.message || error.name : String(error)})`;
  }
}
const skipPostgres = await postgresUnavailable();
if (skipPostgres) console.log(`NOTICE: PostgreSQL is not measured, SQLite only: ${skipPostgres}`);

/** A repeatable pseudo-random sequence (mulberry32), so every run fills the same data. */
function random(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const WORDS = 'heating network tariff school budget youth college enterprise mine copper tourism water roads housing survey air quality monitoring small business incubator grant migration teachers clinic waste recycling transport bus street lighting park library sport'.split(' ');

async function fillSqlite(): Promise<void> {
  const kysely = createDatabase(path);
  await migrateToLatest(kysely);
  await kysely.destroy();
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = OFF');
  const next = random(42);
  const pick = <T>(items: readonly T[]) => items[Math.floor(next() * items.length)]!;
  const some = <T>(items: readonly T[], count: number) => [...new Set(Array.from({ length: count }, () => pick(items)))];
  const topics = TAXONOMIES.topics.map((term) => term.id);
  const regions = TAXONOMIES.regions.map((term) => term.id);
  const text = (words: number) => Array.from({ length: words }, () => pick(WORDS)).join(' ');
  const now = Math.floor(Date.now() / 1000);
  const hash = await hashPassword(DEMO_PASSWORD);

  const started = performance.now();
  db.transaction(() => {
    const town = db.prepare('INSERT INTO towns (slug, name_kk, name_ru, name_en, region, created_at, updated_at) VALUES (?, ?, ?, ?, ?, 1, 1)');
    for (let i = 1; i <= TOWNS; i++) town.run(`town-${i}`, `Қала ${i}`, `Город ${i}`, `Town ${i}`, pick(regions));
    const user = db.prepare(`INSERT INTO users (id, email, password_hash, display_name, role, town_id, language, created_at, updated_at, languages_spoken, expertise_topics, contactable)
      VALUES (?, ?, ?, ?, 'member', ?, 'ru', 1, 1, ?, ?, ?)`);
    for (let i = 1; i <= USERS; i++) {
      user.run(`user-${String(i).padStart(8, '0')}`, `member${i}@bench.example`, hash, `Member ${i}`, ((i - 1) % TOWNS) + 1, JSON.stringify(some(['kk', 'ru', 'en'], 2)), JSON.stringify(some(topics, 2)), next() < 0.5 ? 1 : 0);
    }
    const request = db.prepare(`INSERT INTO help_requests (town_id, author_id, title, body, help_forms, topics, languages, urgency, deadline, status, outcome, published_at, resolved_at, created_at, updated_at)
      VALUES (?, ?, ?, ?, '["advice"]', ?, ?, 'normal', NULL, ?, NULL, ?, NULL, ?, ?)`);
    const requestTopic = db.prepare('INSERT INTO help_request_topics (request_id, topic, published_at) VALUES (?, ?, ?)');
    const statuses = [...Array(10).fill('draft'), ...Array(40).fill('open'), ...Array(20).fill('in_progress'), ...Array(25).fill('resolved'), ...Array(5).fill('withdrawn')];
    for (let i = 1; i <= REQUESTS; i++) {
      const townId = Math.floor(next() * TOWNS) + 1;
      const author = `user-${String(townId + TOWNS * Math.floor(next() * (USERS / TOWNS))).padStart(8, '0')}`;
      const status = pick(statuses);
      const at = now - Math.floor(next() * 3 * 365 * 86_400);
      const chosen = some(topics, 1 + Math.floor(next() * 3));
      request.run(townId, author, text(8), text(60), JSON.stringify(chosen), JSON.stringify(some(['kk', 'ru', 'en'], 2)), status, status === 'draft' ? null : at, at, at);
      for (const topic of chosen) requestTopic.run(i, topic, status === 'draft' ? null : at);
    }
    const response = db.prepare(`INSERT INTO help_responses (request_id, author_id, town_id, body, links, accepted_at, created_at, updated_at) VALUES (?, ?, ?, ?, '[]', ?, ?, ?)`);
    for (let i = 1; i <= RESPONSES; i++) {
      const userNumber = Math.floor(next() * USERS) + 1;
      const at = now - Math.floor(next() * 3 * 365 * 86_400);
      response.run(Math.floor(next() * REQUESTS) + 1, `user-${String(userNumber).padStart(8, '0')}`, ((userNumber - 1) % TOWNS) + 1, text(40), next() < 0.2 ? at : null, at, at);
    }
    db.exec(`INSERT INTO help_match_index (topic, user_id, accepted, town_id, languages)
      SELECT t.topic, p.author_id, count(*), 0, 0 FROM help_responses p JOIN help_request_topics t ON t.request_id = p.request_id
      WHERE p.accepted_at IS NOT NULL GROUP BY t.topic, p.author_id
      ON CONFLICT (topic, user_id) DO UPDATE SET accepted = excluded.accepted`);
  })();
  db.exec('ANALYZE');
  db.close();
  console.log(`filled ${TOWNS} towns, ${USERS} members, ${REQUESTS} requests, ${RESPONSES} responses in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

/** Times `run` (after 20 rounds of warm-up), prints p50/p95 and keeps them for the closing table. */
async function time(engine: Engine, label: string, run: (round: number) => Promise<unknown>): Promise<void> {
  const times: number[] = [];
  for (let round = 0; round < ROUNDS + 20; round++) {
    const started = performance.now();
    await run(round);
    if (round >= 20) times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))]!;
  const figures = { p50: at(0.5), p95: at(0.95) };
  results.set(label, { ...results.get(label), [engine]: figures });
  console.log(`${engine.padEnd(10)} ${label.padEnd(46)} p50 ${figures.p50.toFixed(2)} ms  p95 ${figures.p95.toFixed(2)} ms  (${times.length} runs)`);
}

/** Every measurement × engine, p50 and p95 in ms; a p95 over the issue's 20 ms goal is starred. */
function printTable(): void {
  const engines = ENGINES.filter((engine) => [...results.values()].some((row) => row[engine]));
  if (engines.length === 0) return;
  const cell = (figures: { p50: number; p95: number } | undefined) =>
    figures ? `${figures.p50.toFixed(2).padStart(9)} ${(figures.p95.toFixed(2) + (figures.p95 > 20 ? '*' : ' ')).padStart(10)}` : `${'–'.padStart(9)} ${'– '.padStart(10)}`;
  const lines = [
    `${''.padEnd(46)}${engines.map((engine) => `   ${engine.padEnd(17)}`).join('')}`,
    `${'measurement'.padEnd(46)}${engines.map(() => `   ${'p50 ms'.padStart(7)} ${'p95 ms'.padStart(9)} `).join('')}`,
    ...[...results].map(([label, row]) => `${label.padEnd(46)}${engines.map((engine) => ` ${cell(row[engine])}`).join('')}`),
    '* p95 over the 20 ms goal',
    ...notes,
    // Other work on the machine moves the figures; say how busy it was.
    `load average ${loadavg().map((load) => load.toFixed(1)).join(' ')} (1, 5, 15 min) on ${availableParallelism()} cores at the end of the run`,
  ];
  console.log(`\n${lines.join('\n')}\n`);
}

/** The open requests measured, the same 500 on both engines (a seeded pick, so runs compare). */
let published: number[] = [];

beforeAll(async () => {
  if (!kept || !existsSync(kept)) await fillSqlite();
  else {
    // A kept database gets the migrations written since it was filled.
    const db = createDatabase(path);
    await migrateToLatest(db);
    await db.destroy();
  }
  const sqlite = new Database(path, { readonly: true });
  const open = (sqlite.prepare("SELECT id FROM help_requests WHERE status = 'open' ORDER BY id").all() as { id: number }[]).map((row) => row.id);
  sqlite.close();
  const next = random(7);
  published = Array.from({ length: 500 }, () => open[Math.floor(next() * open.length)]!);
}, 1_800_000);
afterAll(() => {
  printTable();
  dir.remove();
});

async function measureInProcess(engine: Engine, db: Kysely<Schema>): Promise<void> {
  const viewer = { id: 'user-00000007', townId: 7 };
  const list = (filters: RequestFilters) => listRequests(db, viewer, filters);
  const timed = (label: string, run: (round: number) => Promise<unknown>) => time(engine, label, run);
  // Published cases per town and topic: a few hundred towns with a few cases each.
  const counts: CaseCounts = new Map(Array.from({ length: 300 }, (_, index) => [`town-${index * 3 + 1}`, new Map([[TAXONOMIES.topics[index % 10]!.id, 1 + (index % 4)]])]));

  await timed('list, newest first, page 1', () => list({}));
  await timed('list, page 50', () => list({ page: 50 }));
  await timed('list, one topic', (round) => list({ topic: TAXONOMIES.topics[round % 10]!.id }));
  await timed('list, one region + open', (round) => list({ region: TAXONOMIES.regions[round % TAXONOMIES.regions.length]!.id, status: 'open' }));
  await timed('list, one town', (round) => list({ town: (round % TOWNS) + 1 }));
  await timed('list, matching my expertise', () => list({ scope: 'expertise' }));
  await timed('list, from my town (with drafts)', () => list({ scope: 'town' }));
  await timed('list, requests I answered', () => list({ scope: 'answered' }));
  await timed('list, text search (one word)', (round) => list({ query: WORDS[round % WORDS.length]! }));
  await timed('list, text search (two words) + topic', (round) => list({ query: `${WORDS[round % WORDS.length]} ${WORDS[(round + 7) % WORDS.length]}`, topic: 'youth-skills' }));
  await timed('request page: request + responses', async (round) => {
    const id = published[round % published.length]!;
    await getRequest(db, id);
    await listResponses(db, id, { id: 'bench', moderator: false });
  });
  await timed('matching: scoring people + towns (at publish)', async (round) => {
    const request = (await getRequest(db, published[round % published.length]!))!;
    const match = { townId: request.townId, topics: request.topics, languages: request.languages };
    await suggestPeople(db, match, counts);
    await suggestTowns(db, match, counts);
  });
  // Publishing stores the answer; a view reads it (src/server/exchange/suggestions.ts).
  for (const id of published) {
    const request = (await getRequest(db, id))!;
    await refreshSuggestions(db, { id, townId: request.townId, topics: request.topics, languages: request.languages }, counts);
  }
  await timed('matching: stored suggestions on a view', async (round) => {
    const request = (await getRequest(db, published[round % published.length]!))!;
    await suggestionsFor(db, request, async () => counts);
  });
}

async function measureOverHttp(engine: Engine, server: RunningServer): Promise<void> {
  const cookie = await signIn(server.url, 'member7@bench.example', DEMO_PASSWORD);
  // The requests measured are those scored in process above (as publishing does).
  const ids = published.slice(0, 200);
  const get = async (pathname: string) => {
    const response = await fetch(server.url + pathname, { headers: { Cookie: cookie }, redirect: 'manual' });
    await response.arrayBuffer();
    if (response.status !== 200) throw new Error(`${pathname} answered ${response.status}\n${server.output().slice(-3000)}`);
  };
  await time(engine, 'HTTP /en/exchange/', () => get('/en/exchange/'));
  await time(engine, 'HTTP /en/exchange/?topic=…&status=open', () => get('/en/exchange/?topic=utilities-housing&status=open'));
  await time(engine, 'HTTP request page (with matching)', (round) => get(`/en/exchange/${ids[round % ids.length]}/`));
  const rss = (await import('node:child_process')).execSync(`ps -o rss= -p ${server.pid}`).toString().trim();
  notes.push(`${engine}: server resident memory after the HTTP run ${(Number(rss) / 1024).toFixed(0)} MiB`);
}

/** Row counts of the tables the bench fills, to tell a complete kept copy from a broken one. */
async function benchRows(db: Kysely<Schema>): Promise<number> {
  const row = await db.selectFrom('help_responses').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * The PostgreSQL bench database: the kept one when QALA_BENCH_PG=keep and it holds the
 * whole data set, otherwise created afresh, migrated and filled from the SQLite
 * database with `copyDatabase` (what `qala copy-database` does), then vacuumed and
 * analysed: a bulk load leaves no planner statistics and no visibility map, which
 * autovacuum would make later in production.
 */
async function fillPostgres(): Promise<void> {
  if (keepPostgres) {
    const exists = await asPostgresAdmin((admin) => admin.query('select 1 from pg_database where datname = $1', [PG_DATABASE]));
    if (exists.rowCount) {
      const db = createDatabase(postgresUrl);
      try {
        await migrateToLatest(db);
        if ((await benchRows(db)) === RESPONSES) {
          console.log(`reusing the kept PostgreSQL database ${PG_DATABASE}`);
          return;
        }
      } finally {
        await db.destroy();
      }
    }
  }
  await asPostgresAdmin(async (admin) => {
    await admin.query(`drop database if exists ${PG_DATABASE} with (force)`);
    await admin.query(`create database ${PG_DATABASE}`);
  });
  const source = createDatabase(path);
  const target = createDatabase(postgresUrl);
  try {
    await migrateToLatest(target);
    const started = performance.now();
    const report = await copyDatabase(source, target);
    const copied = (performance.now() - started) / 1000;
    const rows = report.tables.reduce((sum, table) => sum + table.targetRows, 0);
    const vacuumed = performance.now();
    await sql`VACUUM (ANALYZE)`.execute(target);
    const line = `PostgreSQL filled with copyDatabase: ${rows.toLocaleString('en')} rows in ${copied.toFixed(1)} s, VACUUM (ANALYZE) ${((performance.now() - vacuumed) / 1000).toFixed(1)} s`;
    console.log(line);
    notes.push(line);
  } finally {
    await source.destroy();
    await target.destroy();
  }
}

async function dropPostgres(): Promise<void> {
  await asPostgresAdmin((admin) => admin.query(`drop database if exists ${PG_DATABASE} with (force)`));
}

describe('SQLite', () => {
  it('measures the exchange in process', { timeout: 900_000 }, async () => {
    const db = createDatabase(path);
    try {
      await measureInProcess('SQLite', db);
    } finally {
      await db.destroy();
    }
  });

  it('measures the exchange pages over HTTP', { timeout: 900_000 }, async () => {
    const server = await startServer({ databasePath: path, env: { DEMO_DATA: 'false' } });
    try {
      await measureOverHttp('SQLite', server);
    } finally {
      await server.stop();
    }
  });
});

describe.skipIf(skipPostgres !== null)('PostgreSQL', () => {
  beforeAll(fillPostgres, 3_600_000);
  afterAll(async () => {
    if (!keepPostgres) await dropPostgres();
  });

  it('measures the exchange in process', { timeout: 900_000 }, async () => {
    const db = createDatabase(postgresUrl);
    try {
      await measureInProcess('PostgreSQL', db);
    } finally {
      await db.destroy();
    }
  });

  it('measures the exchange pages over HTTP', { timeout: 900_000 }, async () => {
    const server = await startServer({ databaseUrl: postgresUrl, env: { DEMO_DATA: 'false' } });
    try {
      await measureOverHttp('PostgreSQL', server);
    } finally {
      await server.stop();
    }
  });
});
