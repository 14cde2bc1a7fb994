import { join } from 'node:path';
import autocannon from 'autocannon';
import { sql } from 'kysely';
import { afterAll, beforeAll, it } from 'vitest';
import { signIn } from '../helpers/http.ts';
import { readRows } from '../helpers/server-database.ts';
import { temporaryDirectory } from '../helpers/database.ts';
import { DEMO_PASSWORD } from '../helpers/server.ts';
import { machineNote, startBenchServer } from './load.ts';

// Memory over a long run: 120,000 requests (by default) to the built server on the demo
// data, half from anonymous readers (prerendered pages and assets, the home, lists, town
// profiles and compare with changing towns, a search with changing words) and half from a
// signed-in member (exchange with changing searches, member home, a thread, notifications,
// the profile form), at 20 connections. After every tenth of the run it reads the server's
// own heap and resident memory (/metrics) and prints them: what is kept in memory is
// bounded (the page cache, static files, rendered markdown, prefix terms), so after the
// first tenths the figures should stay level. Run:
//   npm run build && npx vitest run --config vitest.bench.config.ts tests/bench/soak.measure.ts
//   QALA_BENCH_REQUESTS (default 120000), QALA_BENCH_WORKERS (QALA_WORKERS of the server, default 1)
const REQUESTS = Number(process.env.QALA_BENCH_REQUESTS ?? 120_000);
const STEPS = 10;
const TOKEN = 'soak-bench-metrics-token';
const WORDS = ['heating', 'water', 'school', 'roads', 'budget', 'transport', 'housing', 'waste', 'lighting', 'clinic', 'тепло', 'вода', 'мектеп', 'жол'];

const dir = temporaryDirectory('qala-bench-soak-');
let server: Awaited<ReturnType<typeof startBenchServer>>;
let cookie: string;
let threadPath: string;
let towns: string[];

beforeAll(async () => {
  const databaseUrl = `file:${join(dir.path, 'qala.db')}`;
  server = await startBenchServer({ databaseUrl, env: { METRICS_TOKEN: TOKEN, QALA_WORKERS: process.env.QALA_BENCH_WORKERS ?? '1' } });
  cookie = await signIn(server.url, 'temirtau@example.org', DEMO_PASSWORD);
  const [thread] = await readRows<{ id: number; slug: string }>(
    databaseUrl,
    sql`SELECT t.id, g.slug FROM group_threads t JOIN groups g ON g.id = t.group_id JOIN group_members m ON m.group_id = g.id JOIN users u ON u.id = m.user_id WHERE u.email = 'temirtau@example.org' AND t.hidden_at IS NULL ORDER BY t.id LIMIT 1`,
  );
  threadPath = `/en/groups/${thread!.slug}/threads/${thread!.id}/`;
  towns = (await readRows<{ slug: string }>(databaseUrl, sql`SELECT slug FROM towns ORDER BY slug`)).map((town) => town.slug);
}, 180_000);

afterAll(async () => {
  await server?.stop();
  dir.remove();
});

/** The server's heap in use and resident memory, in MiB, from its own metrics. */
async function memory(): Promise<{ heap: number; rss: number }> {
  const text = await (await fetch(`${server.url}/metrics`, { headers: { Authorization: `Bearer ${TOKEN}` } })).text();
  const sum = (name: string) => [...text.matchAll(new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, 'gm'))].reduce((total, match) => total + Number(match[1]), 0);
  return { heap: sum('nodejs_heap_size_used_bytes') / 2 ** 20, rss: sum('process_resident_memory_bytes') / 2 ** 20 };
}

/** `amount` requests at 20 connections, each path from `pathOf(n)` with the n-th request's number. */
async function drive(amount: number, pathOf: (n: number) => string, headers: Record<string, string>): Promise<{ errors: number; non2xx: number }> {
  let n = 0;
  const result = await autocannon({
    url: server.url,
    connections: 20,
    amount,
    headers: { 'Accept-Encoding': 'br, gzip', ...headers },
    requests: [{ setupRequest: (request) => ({ ...request, path: pathOf(n++) }) }],
  });
  return { errors: result.errors, non2xx: result.non2xx };
}

it(`keeps memory level over ${REQUESTS.toLocaleString('en')} requests`, { timeout: 3_600_000 }, async () => {
  const anonymous = (n: number): string => {
    const word = WORDS[n % WORDS.length]!;
    const town = towns[n % towns.length]!;
    const pages = [
      '/en/',
      '/ru/',
      '/kk/',
      '/en/resources/',
      '/en/resources/monotown-indicator-toolkit/',
      '/en/news/',
      '/en/events/',
      `/en/towns/${town}/`,
      `/en/towns/compare/?town=${town}&town=${towns[(n + 7) % towns.length]}`,
      `/en/search/?q=${encodeURIComponent(word)}${n % 3 === 0 ? 'ing' : ''}`,
      '/en/groups/',
      '/en/towns/',
    ];
    return pages[n % pages.length]!;
  };
  const member = (n: number): string => {
    const word = WORDS[n % WORDS.length]!;
    const pages = ['/en/exchange/', `/en/exchange/?q=${encodeURIComponent(word.slice(0, 3 + (n % 4)))}`, '/en/account/', threadPath, '/en/account/notifications/', '/en/account/profile/', '/ru/exchange/'];
    return pages[n % pages.length]!;
  };
  const rows: string[] = [];
  const start = await memory();
  rows.push(`${'0'.padStart(9)} ${start.heap.toFixed(0).padStart(9)} ${start.rss.toFixed(0).padStart(9)}`);
  let done = 0;
  let failed = 0;
  const started = performance.now();
  for (let step = 1; step <= STEPS; step++) {
    const share = Math.round(REQUESTS / STEPS / 2);
    const runs = await Promise.all([drive(share, anonymous, {}), drive(share, member, { Cookie: cookie })]);
    failed += runs.reduce((sum, run) => sum + run.errors + run.non2xx, 0);
    done += share * 2;
    const now = await memory();
    rows.push(`${done.toLocaleString('en').padStart(9)} ${now.heap.toFixed(0).padStart(9)} ${now.rss.toFixed(0).padStart(9)}`);
  }
  console.log(`\nSoak: ${done.toLocaleString('en')} requests in ${((performance.now() - started) / 1000).toFixed(0)} s (half anonymous, half a member; 2 × 20 connections), ${failed} failed or not 2xx; ${machineNote()}`);
  console.log(`${'requests'.padStart(9)} ${'heap MiB'.padStart(9)} ${'RSS MiB'.padStart(9)}`);
  for (const row of rows) console.log(row);
});
