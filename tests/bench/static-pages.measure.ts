import { writeFileSync } from 'node:fs';
import { request as send } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, it } from 'vitest';
import { temporaryDirectory } from '../helpers/database.ts';
import { signIn } from '../helpers/http.ts';
import { DEMO_PASSWORD } from '../helpers/server.ts';
import { load, machineNote, range, startBenchServer, startChild, type LoadRun } from './load.ts';

// Static pages against the machine's limit, in the same run: Qala's built server
// (src/node/static-files.ts) and a raw node:http server sending the same bytes from
// memory (tests/bench/raw-static-server.mjs), each with autocannon at 50 connections,
// interleaved (the order alternates each round), then req/s and Qala's ratio per round.
// Run: npm run build && npx vitest run --config vitest.bench.config.ts tests/bench/static-pages.measure.ts
//   QALA_BENCH_ROUNDS (default 3), QALA_BENCH_SECONDS (default 5),
//   QALA_BENCH_ONLY=<regular expression>: only the cases whose label matches; PAGE_CACHE_MB=0: no page cache.
// On-demand pages for anonymous readers come from the page cache (src/node/page-cache.ts)
// after their first view; the member page is rendered on every view (signed in).
const ROUNDS = Number(process.env.QALA_BENCH_ROUNDS ?? 3);
const SECONDS = Number(process.env.QALA_BENCH_SECONDS ?? 5);
const ARTICLE = '/en/news/portal-launch/';
const HOME = '/en/';

const ONLY = process.env.QALA_BENCH_ONLY ? new RegExp(process.env.QALA_BENCH_ONLY) : null;
const ALL_CASES: Array<{ label: string; path: string; encoding: string; signedIn?: true }> = [
  { label: 'prerendered article, identity', path: ARTICLE, encoding: 'identity' },
  { label: 'prerendered article, br', path: ARTICLE, encoding: 'br' },
  { label: 'prerendered article, gzip', path: ARTICLE, encoding: 'gzip' },
  { label: 'home page (on demand), br', path: HOME, encoding: 'br' },
  { label: 'committees (on demand), br', path: '/en/committees/', encoding: 'br' },
  { label: 'town directory (on demand), br', path: '/en/towns/', encoding: 'br' },
  { label: 'groups list (on demand), br', path: '/en/groups/', encoding: 'br' },
  { label: 'member home, signed in (badge), br', path: '/en/account/', encoding: 'br', signedIn: true },
];
const CASES = ALL_CASES.filter((entry) => !ONLY || ONLY.test(entry.label));
let cookie = '';

let qala: Awaited<ReturnType<typeof startBenchServer>>;
let raw: Awaited<ReturnType<typeof startChild>>;
const dir = temporaryDirectory('qala-bench-static-');

function fetchBytes(url: string, encoding: string, signedIn = false): Promise<{ body: Buffer; type: string; coding: string }> {
  return new Promise((resolve, reject) => {
    const outgoing = send(url, { headers: { 'Accept-Encoding': encoding, ...(signedIn ? { Cookie: cookie } : {}) } }, (incoming) => {
      const chunks: Buffer[] = [];
      incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
      incoming.on('end', () => resolve({ body: Buffer.concat(chunks), type: String(incoming.headers['content-type']), coding: String(incoming.headers['content-encoding'] ?? 'identity') }));
    });
    outgoing.on('error', reject);
    outgoing.end();
  });
}

beforeAll(async () => {
  // PAGE_CACHE_MB=0 measures on-demand pages rendered on every view (without the page cache).
  qala = await startBenchServer({ databaseUrl: `file:${join(dir.path, 'qala.db')}`, env: process.env.PAGE_CACHE_MB ? { PAGE_CACHE_MB: process.env.PAGE_CACHE_MB } : {} });
  cookie = await signIn(qala.url, 'temirtau-admin@example.org', DEMO_PASSWORD);
  // The raw server gets the very bytes Qala sends, per encoding.
  const manifest: Record<string, Record<string, string>> = {};
  for (const { path, signedIn: member } of CASES) {
    if (manifest[path]) continue;
    const entry: Record<string, string> = {};
    for (const encoding of ['identity', 'br', 'gzip']) {
      const answer = await fetchBytes(qala.url + path, encoding, member);
      const file = join(dir.path, `${path.replace(/\W+/g, '_')}.${answer.coding}`);
      writeFileSync(file, answer.body);
      entry[answer.coding] = file;
      entry.type = answer.type;
    }
    manifest[path] = entry;
  }
  raw = await startChild(process.execPath, [join(import.meta.dirname, 'raw-static-server.mjs')], { QALA_RAW_FILES: JSON.stringify(manifest) });
}, 120_000);

afterAll(async () => {
  await raw?.stop();
  await qala?.stop();
  dir.remove();
});

it('prints req/s of static pages against a raw server sending the same bytes', async () => {
  const rawUrl = `http://127.0.0.1:${raw.port}`;
  const headersFor = (encoding: string, member = false): Record<string, string> => ({ ...(encoding === 'identity' ? {} : { 'Accept-Encoding': encoding }), ...(member ? { Cookie: cookie } : {}) });
  // Warm both (JIT, caches).
  for (const { path, encoding, signedIn: member } of CASES) {
    await load(qala.url + path, headersFor(encoding, member), 2);
    await load(rawUrl + path, headersFor(encoding), 2);
  }
  const results = CASES.map(() => ({ qala: [] as LoadRun[], raw: [] as LoadRun[] }));
  for (let round = 0; round < ROUNDS; round++) {
    for (const [index, { path, encoding, signedIn: member }] of CASES.entries()) {
      const runQala = async () => results[index]!.qala.push(await load(qala.url + path, headersFor(encoding, member), SECONDS, 50, qala.pid));
      const runRaw = async () => results[index]!.raw.push(await load(rawUrl + path, headersFor(encoding), SECONDS, 50, raw.pid));
      if (round % 2 === 0) {
        await runQala();
        await runRaw();
      } else {
        await runRaw();
        await runQala();
      }
    }
  }
  console.log(`\nStatic pages, autocannon 50 connections, ${SECONDS} s runs, ${ROUNDS} interleaved rounds; ${machineNote()}`);
  console.log('ratio = Qala req/s ÷ raw req/s in the same round; CPU ratio = raw CPU per request ÷ Qala CPU per request (what the ratio is when the server, not the machine, is the limit)');
  console.log(`${'what'.padEnd(34)} ${'Qala req/s'.padStart(14)} ${'raw req/s'.padStart(14)} ${'ratio'.padStart(10)} ${'Qala µs CPU'.padStart(12)} ${'raw µs CPU'.padStart(11)} ${'CPU ratio'.padStart(10)} ${'Qala p99 ms'.padStart(12)} failed`);
  for (const [index, { label }] of CASES.entries()) {
    const { qala: q, raw: r } = results[index]!;
    const ratios = q.map((run, i) => run.rps / r[i]!.rps);
    const cpuRatios = q.map((run, i) => r[i]!.cpuMicros / run.cpuMicros);
    const failed = [...q, ...r].reduce((sum, run) => sum + run.failed, 0);
    console.log(
      `${label.padEnd(34)} ${range(q.map((run) => run.rps)).padStart(14)} ${range(r.map((run) => run.rps)).padStart(14)} ${range(ratios, 2).padStart(10)} ${range(q.map((run) => run.cpuMicros)).padStart(12)} ${range(r.map((run) => run.cpuMicros)).padStart(11)} ${range(cpuRatios, 2).padStart(10)} ${range(q.map((run) => run.p99)).padStart(12)} ${failed}`,
    );
  }
});
