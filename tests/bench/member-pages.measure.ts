import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { sql } from 'kysely';
import { afterAll, beforeAll, it } from 'vitest';
import { signIn } from '../helpers/http.ts';
import { readRows } from '../helpers/server-database.ts';
import { temporaryDirectory } from '../helpers/database.ts';
import { DEMO_PASSWORD } from '../helpers/server.ts';
import { load, loadAtRate, machineNote, range, startBenchServer, startChild, type LoadRun, type RateRun } from './load.ts';

// Member pages (exchange, member home, a thread, the account's profile, a town's profile
// signed in) against a raw handler that does the
// same session check and the same calls into Qala's data functions and answers JSON
// (tests/bench/raw-member-server.ts, one process), in the same run, with autocannon at
// 50 connections, interleaved; Qala with QALA_WORKERS=1 and 2, on SQLite with the demo data.
// The same raw handler also answers, after the same work, with the page's own HTML as
// Qala sent it, compressed per request as Qala does ("raw+HTML"): Qala's ratio to that is
// what rendering the page through Astro costs, the JSON ratio what the page's HTML costs too.
// The first page, the signed-in header parts (session check and ~1 KB of HTML), is the floor:
// what any page rendered through Astro costs at least.
// Prints req/s, Qala's ratio and p99 per page and worker count, then what one worker's CPU per
// request gives on a machine with more cores and the client elsewhere (QALA_BENCH_PROJECTED_CORES,
// default 4: an estimate, see printProjection). Then, since at 50
// connections without a limit p99 is the queue (Little's law), the same pages at fixed
// offered rates well below capacity (autocannon's overallRate, still 50 connections):
// p50 and p99 of Qala with each worker count and of the raw handler at that rate.
// Run: npm run build && npx vitest run --config vitest.bench.config.ts tests/bench/member-pages.measure.ts
//   QALA_BENCH_ROUNDS (default 3), QALA_BENCH_SECONDS (default 5), QALA_BENCH_WORKERS (default "1,2"),
//   QALA_BENCH_ONLY=<regular expression> (only the pages whose label matches, e.g. 'town profile')
//   QALA_BENCH_RATES (req/s, default "100,200"; empty for none)
const ROUNDS = Number(process.env.QALA_BENCH_ROUNDS ?? 3);
const SECONDS = Number(process.env.QALA_BENCH_SECONDS ?? 5);
const WORKER_COUNTS = (process.env.QALA_BENCH_WORKERS ?? '1,2').split(',').map(Number);
const RATES = (process.env.QALA_BENCH_RATES ?? '100,200').split(',').filter(Boolean).map(Number);
const EMAIL = 'temirtau@example.org';
const ONLY = process.env.QALA_BENCH_ONLY ? new RegExp(process.env.QALA_BENCH_ONLY) : null;

const servers = new Map<number, Awaited<ReturnType<typeof startBenchServer>>>();
const dir = temporaryDirectory('qala-bench-members-');
const databaseUrl = `file:${join(dir.path, 'qala.db')}`;
let raw: Awaited<ReturnType<typeof startChild>>;
let cookie: string;
let pages: Array<{ label: string; qala: string; raw: string }>;

beforeAll(async () => {
  // One database: the first server seeds it; the others and the raw handler share it.
  const first = await startBenchServer({ databaseUrl, env: { QALA_WORKERS: String(WORKER_COUNTS[0]) } });
  servers.set(WORKER_COUNTS[0]!, first);
  for (const count of WORKER_COUNTS.slice(1)) servers.set(count, await startBenchServer({ databaseUrl, env: { QALA_WORKERS: String(count) } }));
  cookie = await signIn(first.url, EMAIL, DEMO_PASSWORD);
  const [thread] = await readRows<{ id: number; slug: string }>(
    databaseUrl,
    sql`SELECT t.id, g.slug FROM group_threads t JOIN groups g ON g.id = t.group_id JOIN group_members m ON m.group_id = g.id JOIN users u ON u.id = m.user_id WHERE u.email = ${EMAIL} AND t.hidden_at IS NULL ORDER BY t.id LIMIT 1`,
  );
  const threadPath = `/groups/${thread!.slug}/threads/${thread!.id}/`;
  pages = [
    // The lightest answer a member gets (the header parts prerendered pages fetch): the
    // session check and about 1 KB of HTML, so its ratio is the floor of any page rendered
    // through Astro.
    { label: 'user menu (floor)', qala: '/en/user-menu/', raw: '/user-menu/' },
    { label: 'exchange', qala: '/en/exchange/', raw: '/exchange/' },
    { label: 'member home (account)', qala: '/en/account/', raw: '/account/' },
    { label: 'a thread', qala: `/en${threadPath}`, raw: threadPath },
    { label: 'account (profile)', qala: '/en/account/profile/', raw: '/account/profile/' },
    { label: 'town profile', qala: '/en/towns/temirtau/', raw: '/towns/temirtau/' },
  ].filter((page) => !ONLY || ONLY.test(page.label));
  // The raw handler, bundled like dist/qala.mjs (packages stay in node_modules).
  const outDir = join(process.cwd(), 'node_modules', '.cache', 'qala-bench');
  mkdirSync(outDir, { recursive: true });
  const outfile = join(outDir, 'raw-member-server.mjs');
  await build({ entryPoints: ['tests/bench/raw-member-server.ts'], outfile, bundle: true, platform: 'node', format: 'esm', target: 'node20', packages: 'external', alias: { '~': './src' }, logLevel: 'warning' });
  // The pages as Qala renders them for this member, for the raw handler's HTML answers.
  const captured: Record<string, string> = {};
  for (const page of pages) {
    const answer = await fetch(first.url + page.qala, { headers: { Cookie: cookie, 'Accept-Encoding': 'identity' }, redirect: 'manual' });
    if (answer.status !== 200) throw new Error(`Qala ${page.qala}: ${answer.status}`);
    captured[page.raw] = await answer.text();
  }
  const pagesFile = join(dir.path, 'raw-pages.json');
  writeFileSync(pagesFile, JSON.stringify(captured));
  raw = await startChild(process.execPath, [outfile], { DATABASE_URL: databaseUrl, PORT: '0', RAW_PAGES: pagesFile });
}, 180_000);

afterAll(async () => {
  await raw?.stop();
  for (const server of [...servers.values()].reverse()) await server.stop();
  dir.remove();
});

it('prints member pages req/s and p99 against a raw handler, with 1 and 2 workers', { timeout: 3_600_000 }, async () => {
  const rawUrl = `http://127.0.0.1:${raw.port}`;
  const headers = { Cookie: cookie, 'Accept-Encoding': 'br, gzip' };
  for (const page of pages) {
    const check = await fetch(rawUrl + page.raw, { headers });
    if (check.status !== 200) throw new Error(`raw ${page.raw}: ${check.status}`);
    const checkHtml = await fetch(rawUrl + '/html' + page.raw, { headers });
    if (checkHtml.status !== 200 || checkHtml.headers.get('content-encoding') !== 'br') throw new Error(`raw+HTML ${page.raw}: ${checkHtml.status} ${checkHtml.headers.get('content-encoding')}`);
    for (const server of servers.values()) {
      const answer = await fetch(server.url + page.qala, { headers, redirect: 'manual' });
      if (answer.status !== 200) throw new Error(`Qala ${page.qala}: ${answer.status}`);
    }
  }
  const results = new Map<string, { qala: LoadRun[]; raw: LoadRun[]; rawHtml: LoadRun[] }>();
  const key = (count: number, label: string) => `${count}|${label}`;
  for (const count of servers.keys()) for (const page of pages) results.set(key(count, page.label), { qala: [], raw: [], rawHtml: [] });
  // Warm up.
  for (const page of pages) {
    await load(rawUrl + page.raw, headers, 2);
    await load(rawUrl + '/html' + page.raw, headers, 2);
    for (const server of servers.values()) await load(server.url + page.qala, headers, 2);
  }
  for (let round = 0; round < ROUNDS; round++) {
    for (const [count, server] of servers) {
      for (const page of pages) {
        const entry = results.get(key(count, page.label))!;
        const runQala = async () => entry.qala.push(await load(server.url + page.qala, headers, SECONDS, 50, server.pid));
        const runRaw = async () => entry.raw.push(await load(rawUrl + page.raw, headers, SECONDS, 50, raw.pid));
        const runRawHtml = async () => entry.rawHtml.push(await load(rawUrl + '/html' + page.raw, headers, SECONDS, 50, raw.pid));
        const runs = [runQala, runRaw, runRawHtml];
        for (const run of round % 2 === 0 ? runs : runs.reverse()) await run();
      }
    }
  }
  console.log(`\nMember pages, autocannon 50 connections, ${SECONDS} s runs, ${ROUNDS} interleaved rounds; ${machineNote()}`);
  console.log('ratio = Qala req/s ÷ raw req/s in the same round; CPU ratio = raw CPU per request ÷ Qala CPU per request (all processes: primary, workers)');
  console.log('raw = the raw handler answering JSON; +HTML = the same work, then the page as Qala sent it, compressed per request (rendering left out)');
  console.log(
    `${'workers  page'.padEnd(32)} ${'Qala req/s'.padStart(12)} ${'raw req/s'.padStart(12)} ${'ratio'.padStart(10)} ${'+HTML req/s'.padStart(12)} ${'ratio'.padStart(10)} ${'Qala ms CPU'.padStart(12)} ${'raw ms CPU'.padStart(11)} ${'+HTML ms'.padStart(10)} ${'CPU ratio'.padStart(10)} ${'+HTML'.padStart(10)} ${'Qala p99 ms'.padStart(12)} ${'raw p99 ms'.padStart(11)} ${'+HTML p99'.padStart(10)} failed`,
  );
  for (const count of servers.keys()) {
    for (const page of pages) {
      const { qala: q, raw: r, rawHtml: h } = results.get(key(count, page.label))!;
      const ratios = (baseline: LoadRun[]) => range(q.map((run, i) => run.rps / baseline[i]!.rps), 2);
      const cpuRatios = (baseline: LoadRun[]) => range(q.map((run, i) => baseline[i]!.cpuMicros / run.cpuMicros), 2);
      const failed = [...q, ...r, ...h].reduce((sum, run) => sum + run.failed, 0);
      const ms = (runs: LoadRun[]) => range(runs.map((run) => run.cpuMicros / 1000), 2);
      const rps = (runs: LoadRun[]) => range(runs.map((run) => run.rps));
      const p99 = (runs: LoadRun[]) => range(runs.map((run) => run.p99));
      console.log(
        `${`${count}        ${page.label}`.padEnd(32)} ${rps(q).padStart(12)} ${rps(r).padStart(12)} ${ratios(r).padStart(10)} ${rps(h).padStart(12)} ${ratios(h).padStart(10)} ${ms(q).padStart(12)} ${ms(r).padStart(11)} ${ms(h).padStart(10)} ${cpuRatios(r).padStart(10)} ${cpuRatios(h).padStart(10)} ${p99(q).padStart(12)} ${p99(r).padStart(11)} ${p99(h).padStart(10)} ${failed}`,
      );
    }
  }

  printProjection(results.get.bind(results), key);

  if (RATES.length === 0) return;
  // Fixed offered rates: the order of servers alternates per round as above.
  const atRate = new Map<string, RateRun[]>();
  const rateKey = (rate: number, who: string, label: string) => `${rate}|${who}|${label}`;
  for (let round = 0; round < ROUNDS; round++) {
    for (const rate of RATES) {
      for (const page of pages) {
        const runs: Array<[string, string]> = [...[...servers].map(([count, server]): [string, string] => [`Qala ${count}w`, server.url + page.qala]), ['raw', rawUrl + page.raw]];
        for (const [who, url] of round % 2 === 0 ? runs : runs.reverse()) {
          const run = await loadAtRate(url, headers, SECONDS, 50, rate);
          const entry = atRate.get(rateKey(rate, who, page.label)) ?? [];
          entry.push(run);
          atRate.set(rateKey(rate, who, page.label), entry);
        }
      }
    }
  }
  console.log(`\nThe same pages at fixed offered rates (50 connections, overallRate), ${SECONDS} s runs, ${ROUNDS} rounds; ${machineNote()}`);
  console.log(`${'rate  page'.padEnd(32)} ${'server'.padEnd(8)} ${'req/s'.padStart(10)} ${'p50 ms'.padStart(9)} ${'p99 ms'.padStart(11)} failed`);
  for (const rate of RATES) {
    for (const page of pages) {
      for (const who of [...[...servers.keys()].map((count) => `Qala ${count}w`), 'raw']) {
        const runs = atRate.get(rateKey(rate, who, page.label))!;
        console.log(
          `${`${rate}   ${page.label}`.padEnd(32)} ${who.padEnd(8)} ${range(runs.map((run) => run.rps)).padStart(10)} ${range(runs.map((run) => run.p50)).padStart(9)} ${range(runs.map((run) => run.p99)).padStart(11)} ${runs.reduce((sum, run) => sum + run.failed, 0)}`,
        );
      }
    }
  }
});

/** Cores of the machine the projection is for ("what a 4-core machine would give"). */
const PROJECTED_CORES = Number(process.env.QALA_BENCH_PROJECTED_CORES ?? 4);

/**
 * What one worker's measured CPU per request gives on a machine with PROJECTED_CORES cores,
 * QALA_WORKERS at that many and the load generator on another machine (here autocannon
 * takes a core of two, so a second worker mostly waits for it): Qala's req/s is the cores
 * over its CPU per request, the raw handler stays one process as measured, and p99 at 50
 * connections is the queue that req/s gives (Little's law: 50 requests in flight each wait
 * 50 ÷ req/s on average) times the ratio of p99 to that mean measured with one worker.
 * An estimate, printed as one: it leaves out what the cores share (memory bandwidth,
 * SQLite's WAL index, the primary handing out connections).
 */
function printProjection(resultsOf: (key: string) => { qala: LoadRun[]; raw: LoadRun[]; rawHtml: LoadRun[] } | undefined, key: (count: number, label: string) => string): void {
  const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;
  console.log(`\nEstimated for ${PROJECTED_CORES} cores (QALA_WORKERS=${PROJECTED_CORES}, the client elsewhere), from one worker's CPU per request above:`);
  console.log(`${'page'.padEnd(24)} ${'Qala req/s'.padStart(11)} ${'vs raw JSON'.padStart(12)} ${'vs +HTML'.padStart(9)} ${'per core: JSON'.padStart(15)} ${'+HTML'.padStart(7)} ${'p99 ms'.padStart(8)}`);
  for (const page of pages) {
    const measured = resultsOf(key(1, page.label));
    if (!measured) return;
    const qalaMs = mean(measured.qala.map((run) => run.cpuMicros / 1000));
    const rawMs = mean(measured.raw.map((run) => run.cpuMicros / 1000));
    const htmlMs = mean(measured.rawHtml.map((run) => run.cpuMicros / 1000));
    const qalaRps = (PROJECTED_CORES * 1000) / qalaMs;
    // p99 over the mean wait of the measured runs (mean = 50 connections ÷ req/s).
    const tail = mean(measured.qala.map((run) => run.p99 / ((50 / run.rps) * 1000)));
    const p99 = tail * ((50 / qalaRps) * 1000);
    const fixed = (value: number, digits = 2) => value.toFixed(digits);
    console.log(
      `${page.label.padEnd(24)} ${Math.round(qalaRps).toLocaleString('en').padStart(11)} ${fixed(qalaRps / (1000 / rawMs)).padStart(12)} ${fixed(qalaRps / (1000 / htmlMs)).padStart(9)} ${fixed(rawMs / qalaMs).padStart(15)} ${fixed(htmlMs / qalaMs).padStart(7)} ${fixed(p99, 0).padStart(8)}`,
    );
  }
}
