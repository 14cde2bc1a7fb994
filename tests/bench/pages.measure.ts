import { execSync } from 'node:child_process';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { TAXONOMIES } from '~/schemas/taxonomy.ts';
import { createDatabase } from '~/server/db/connection.ts';
import { DATABASE_SOURCES_VERSION } from '~/server/search/sources/registry.ts';
import { signIn } from '../helpers/http.ts';
import { startServer, type RunningServer } from '../helpers/server.ts';
import { BUSIEST, BUSY_GROUPS, BUSY_THREADS, DEMO_PASSWORD, nationalPostgres, nationalSqlite, postgresUnavailable, processCpuMs, Results, SCALE, userEmail, WORDS, type Engine } from './national.ts';
import { LoggedTimes } from './logged-times.ts';

// Every page that reads the database, at national scale (tests/bench/national.ts: 1,000
// towns × 10 indicators × 10 years, 2,000 groups, 100,000 threads, 1,000,000 replies,
// 5,000 member cases, 1,000,000 notifications, 200,000 exchange requests): p50/p95 of
// server time over HTTP (the built server on a random port, signed in where the page
// needs it, one request at a time), on SQLite and on PostgreSQL. The goal is p95 ≤ 20 ms.
// Search is measured by its own bench. Run:
//   npm run build && npx vitest run --config vitest.bench.config.ts tests/bench/pages.measure.ts
//   QALA_BENCH_SQLITE=off  PostgreSQL only.
//   QALA_BENCH_ROUNDS=<n>  rounds per page (default 200); QALA_BENCH_WARMUP=<n> rounds before (default 20).
//   PAGE_CACHE_MB=0        anonymous pages rendered on every view (no page cache).
//   QALA_BENCH_ONLY=<re>   only the pages whose label matches.
//   QALA_BENCH_NODE_OPTIONS=…  NODE_OPTIONS for the server, e.g. `--import <file>` of a preload that
//                          starts node:inspector's profiler (Node 20 refuses --cpu-prof there).
//   QALA_BENCH_ENTRY=<dist/qala.mjs of another build>  measures that build (e.g. an earlier commit's,
//                          built into another folder) with this bench, for before/after in one sitting.
const ROUNDS = Number(process.env.QALA_BENCH_ROUNDS) || 200;
const WARM_UP = Number(process.env.QALA_BENCH_WARMUP) || 20;
/** QALA_BENCH_SQLITE=off: measures PostgreSQL only. */
const skipSqlite = process.env.QALA_BENCH_SQLITE === 'off';
/** QALA_BENCH_ONLY=<regular expression>: measures only the pages whose label matches. */
const ONLY = process.env.QALA_BENCH_ONLY ? new RegExp(process.env.QALA_BENCH_ONLY) : null;
const results = new Results(20);
/** PAGE_CACHE_MB=0 renders anonymous pages on every view (without src/node/page-cache.ts), for comparing. */
const SERVER_ENV: Record<string, string> = {
  DEMO_DATA: 'false',
  ...(process.env.PAGE_CACHE_MB ? { PAGE_CACHE_MB: process.env.PAGE_CACHE_MB } : {}),
  ...(process.env.QALA_BENCH_NODE_OPTIONS ? { NODE_OPTIONS: process.env.QALA_BENCH_NODE_OPTIONS } : {}),
};
/** QALA_BENCH_ENTRY: another build's entry to measure instead of this worktree's dist/. */
const ENTRY = process.env.QALA_BENCH_ENTRY ? { entry: process.env.QALA_BENCH_ENTRY } : {};
const skipPostgres = await postgresUnavailable();
if (skipPostgres) console.log(`NOTICE: PostgreSQL is not measured, SQLite only: ${skipPostgres}`);

/**
 * Records the database search sources as indexed, so the server does not start its
 * background pass over them (issue 16): on a freshly filled national data set that pass
 * rewrites a million replies' documents for many minutes, and its CPU would be counted
 * against every page measured. Search is measured by its own bench.
 * QALA_BENCH_RESYNC=on leaves the pass to run.
 */
async function skipSearchResync(url: string): Promise<void> {
  if (process.env.QALA_BENCH_RESYNC === 'on') return;
  const db = createDatabase(url);
  try {
    await db.deleteFrom('search_resync_progress').execute();
    await db
      .insertInto('search_syncs')
      .values({ name: 'database', fingerprint: DATABASE_SOURCES_VERSION, synced_at: Math.floor(Date.now() / 1000) })
      .onConflict((conflict) => conflict.column('name').doUpdateSet({ fingerprint: DATABASE_SOURCES_VERSION }))
      .execute();
  } finally {
    await db.destroy();
  }
}

let sqlitePath = '';
beforeAll(async () => {
  if (!skipSqlite) sqlitePath = await nationalSqlite();
}, 1_800_000);
afterAll(() => results.print());

async function measurePages(engine: Engine, server: RunningServer): Promise<void> {
  // A town administrator in 40 groups with 20,000 unread notifications and twenty cases.
  const cookie = await signIn(server.url, userEmail(BUSIEST), DEMO_PASSWORD);
  // As a browser asks: brotli first (undici's fetch offers only gzip and deflate by itself,
  // and gzip 6 of a large page costs the server several times brotli 3).
  const get = async (pathname: string, signedIn = true) => {
    const headers: Record<string, string> = { 'Accept-Encoding': 'br, gzip' };
    if (signedIn) headers.Cookie = cookie;
    const response = await fetch(server.url + pathname, { headers, redirect: 'manual' });
    await response.arrayBuffer();
    if (response.status !== 200) throw new Error(`${pathname} answered ${response.status}\n${server.output().slice(-3000)}`);
    return response.headers.get('x-request-id') ?? '';
  };
  const logged = new LoggedTimes(server);
  // CPU over the measured rounds only, as wall time: the warm-up's first views carry what a
  // process does once (the first page rendered after start loads and walks the content
  // collections and the modules it needs, ~260–410 ms at national scale), which counted
  // against the first page measured, the home page, as 2–8 ms a request. That first view
  // is measured on its own below.
  const time = async (label: string, run: (round: number) => Promise<string>) => {
    if (ONLY && !ONLY.test(label)) return;
    let cpuBefore = 0;
    const ids: string[] = [];
    const measured = async (round: number) => {
      const id = await run(round);
      if (round >= WARM_UP) ids.push(id);
    };
    await results.time(engine, label, measured, { rounds: ROUNDS, warmUp: WARM_UP, measuring: () => (cpuBefore = processCpuMs(server.pid)) });
    results.cpu(engine, label, (processCpuMs(server.pid) - cpuBefore) / ROUNDS);
    results.server(engine, label, await logged.of(ids));
  };
  {
    const cpuBefore = processCpuMs(server.pid);
    const started = performance.now();
    await get('/en/', false);
    results.notes.push(`${engine}: the first page rendered after start and sign-in (the home, anonymous): ${(performance.now() - started).toFixed(0)} ms, server CPU ${processCpuMs(server.pid) - cpuBefore} ms (once per process)`);
  }
  const town = (round: number) => `town-${((round * 37) % SCALE.towns) + 1}`;
  const topic = (round: number) => TAXONOMIES.topics[round % TAXONOMIES.topics.length]!.id;

  // Anonymous public pages on demand: after the first view, from the page cache (src/node/page-cache.ts).
  await time('home / (anonymous)', () => get('/en/', false));
  await time('committees /committees/ (anonymous)', () => get('/en/committees/', false));
  await time('groups list /groups/ (anonymous)', () => get('/en/groups/', false));
  await time('events calendar /events/ (anonymous)', () => get('/en/events/', false));
  await time('news list /news/ (anonymous)', () => get('/en/news/', false));
  await time('dialogue list /dialogue/ (anonymous)', () => get('/en/dialogue/', false));
  await time('positions list /positions/ (anonymous)', () => get('/en/positions/', false));
  await time('town directory /towns/', () => get('/en/towns/', false));
  await time('town profile with dashboards /towns/<slug>/', (round) => get(`/en/towns/${town(round)}/`, false));
  await time('compare /towns/compare/?town=…', (round) => get(`/en/towns/compare/?town=${town(round)}`, false));
  await time('group page (10,000 threads)', (round) => get(`/en/groups/group-${(round % BUSY_GROUPS) + 1}/`));
  await time('thread page (1,000 replies)', (round) => {
    const thread = (round % BUSY_THREADS) + 1;
    return get(`/en/groups/group-${((thread - 1) % BUSY_GROUPS) + 1}/threads/${thread}/`);
  });
  await time('member cases list /account/cases/', () => get('/en/account/cases/'));
  await time('a case page /account/cases/<id>/', (round) => get(`/en/account/cases/${(round % 20) + 1}/`));
  await time('notifications /account/notifications/', () => get('/en/account/notifications/'));
  await time('member home /account/', () => get('/en/account/'));
  await time('exchange list /exchange/', () => get('/en/exchange/'));
  await time('exchange list, text search + topic', (round) => get(`/en/exchange/?q=${WORDS[round % WORDS.length]}+${WORDS[(round + 7) % WORDS.length]}&topic=${topic(round)}`));
  await time('people directory /members/', () => get('/en/members/'));
  await time('people directory, topic filter', (round) => get(`/en/members/?topic=${topic(round)}`));
  // Last: it lists every public group (1,500 at national scale, unpaged).
  await time('groups list /groups/ (signed in, 40 groups)', () => get('/en/groups/'));
  const rss = execSync(`ps -o rss= -p ${server.pid}`).toString().trim();
  results.notes.push(`${engine}: server resident memory after the run ${(Number(rss) / 1024).toFixed(0)} MiB`);
}

describe.skipIf(skipSqlite)('SQLite', () => {
  it('measures every database page over HTTP', { timeout: 1_800_000 }, async () => {
    await skipSearchResync(sqlitePath);
    const server = await startServer({ databasePath: sqlitePath, env: SERVER_ENV, ...ENTRY });
    try {
      await measurePages('SQLite', server);
    } finally {
      await server.stop();
    }
  });
});

describe.skipIf(skipPostgres !== null)('PostgreSQL', () => {
  let url = '';
  beforeAll(async () => {
    const filled = await nationalPostgres();
    url = filled.url;
    if (filled.note) results.notes.push(filled.note);
  }, 3_600_000);

  it('measures every database page over HTTP', { timeout: 1_800_000 }, async () => {
    await skipSearchResync(url);
    const server = await startServer({ databaseUrl: url, env: SERVER_ENV, ...ENTRY });
    try {
      await measurePages('PostgreSQL', server);
    } finally {
      await server.stop();
    }
  });
});
