import { type Kysely } from 'kysely';
import { availableParallelism, loadavg } from 'node:os';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { createDatabase } from '~/server/db/connection.ts';
import type { Database as Schema } from '~/server/db/schema.ts';
import { suggestPeople, suggestTowns, type CaseCounts } from '~/server/exchange/matching.ts';
import { getRequest } from '~/server/exchange/requests.ts';
import { listRequests, type RequestFilters } from '~/server/exchange/request-list.ts';
import { listResponses } from '~/server/exchange/responses.ts';
import { refreshSuggestions, suggestionsFor } from '~/server/exchange/suggestions.ts';
import { TAXONOMIES } from '~/schemas/taxonomy.ts';
import { signIn } from '../helpers/http.ts';
import { startServer, type RunningServer } from '../helpers/server.ts';
import { DEMO_PASSWORD, nationalPostgres, nationalSqlite, postgresUnavailable, random, SCALE, WORDS } from './national.ts';

// The expertise exchange at national scale, on the data set every database bench shares
// (tests/bench/national.ts: 1,000 towns, 20,000 members, 200,000 requests, 1,000,000
// responses, and the rest of a national association). Prints p50/p95 server time of the
// list, a request page and the matching, in process and over HTTP, on SQLite and on
// PostgreSQL (a copy of the same data), then one table of both side by side.
// Run: npm run bench (the data set is filled once and kept; see national.ts for its settings).
const TOWNS = SCALE.towns;
const ROUNDS = 200;
let path = '';
let postgresUrl = '';

type Engine = 'SQLite' | 'PostgreSQL';
const ENGINES: readonly Engine[] = ['SQLite', 'PostgreSQL'];
/** p50 and p95 per measurement and engine, in the order measured, for the closing table. */
const results = new Map<string, Partial<Record<Engine, { p50: number; p95: number }>>>();
/** Lines printed under the table (fill time, memory). */
const notes: string[] = [];

const skipPostgres = await postgresUnavailable();
if (skipPostgres) console.log(`NOTICE: PostgreSQL is not measured, SQLite only: ${skipPostgres}`);

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
  path = await nationalSqlite();
  const sqlite = new Database(path, { readonly: true });
  const open = (sqlite.prepare("SELECT id FROM help_requests WHERE status = 'open' ORDER BY id").all() as { id: number }[]).map((row) => row.id);
  sqlite.close();
  const next = random(7);
  published = Array.from({ length: 500 }, () => open[Math.floor(next() * open.length)]!);
}, 1_800_000);
afterAll(() => printTable());

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
  beforeAll(async () => {
    const filled = await nationalPostgres();
    postgresUrl = filled.url;
    if (filled.note) notes.push(filled.note);
  }, 3_600_000);

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
