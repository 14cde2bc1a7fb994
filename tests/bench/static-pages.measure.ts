import { writeFileSync } from 'node:fs';
import { request as send } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, it } from 'vitest';
import { temporaryDirectory } from '../helpers/database.ts';
import { load, machineNote, range, startBenchServer, startChild, type LoadRun } from './load.ts';

// Static pages against the machine's limit, in the same run: Qala's built server
// (src/node/static-files.ts) and a raw node:http server sending the same bytes from
// memory (tests/bench/raw-static-server.mjs), each with autocannon at 50 connections,
// interleaved (the order alternates each round), then req/s and Qala's ratio per round.
// Run: npm run build && npx vitest run --config vitest.bench.config.ts tests/bench/static-pages.measure.ts
//   QALA_BENCH_ROUNDS (default 3), QALA_BENCH_SECONDS (default 5)
const ROUNDS = Number(process.env.QALA_BENCH_ROUNDS ?? 3);
const SECONDS = Number(process.env.QALA_BENCH_SECONDS ?? 5);
const ARTICLE = '/en/news/portal-launch/';
const HOME = '/en/';

const CASES = [
  { label: 'prerendered article, identity', path: ARTICLE, encoding: 'identity' },
  { label: 'prerendered article, br', path: ARTICLE, encoding: 'br' },
  { label: 'prerendered article, gzip', path: ARTICLE, encoding: 'gzip' },
  { label: 'home page (on demand), br', path: HOME, encoding: 'br' },
] as const;

let qala: Awaited<ReturnType<typeof startBenchServer>>;
let raw: Awaited<ReturnType<typeof startChild>>;
const dir = temporaryDirectory('qala-bench-static-');

function fetchBytes(url: string, encoding: string): Promise<{ body: Buffer; type: string; coding: string }> {
  return new Promise((resolve, reject) => {
    const outgoing = send(url, { headers: { 'Accept-Encoding': encoding } }, (incoming) => {
      const chunks: Buffer[] = [];
      incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
      incoming.on('end', () => resolve({ body: Buffer.concat(chunks), type: String(incoming.headers['content-type']), coding: String(incoming.headers['content-encoding'] ?? 'identity') }));
    });
    outgoing.on('error', reject);
    outgoing.end();
  });
}

beforeAll(async () => {
  qala = await startBenchServer({ databaseUrl: `file:${join(dir.path, 'qala.db')}` });
  // The raw server gets the very bytes Qala sends, per encoding.
  const manifest: Record<string, Record<string, string>> = {};
  for (const path of [ARTICLE, HOME]) {
    const entry: Record<string, string> = {};
    for (const encoding of ['identity', 'br', 'gzip']) {
      const answer = await fetchBytes(qala.url + path, encoding);
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
  const headersFor = (encoding: string): Record<string, string> => (encoding === 'identity' ? {} : { 'Accept-Encoding': encoding });
  // Warm both (JIT, caches).
  for (const { path, encoding } of CASES) {
    await load(qala.url + path, headersFor(encoding), 2);
    await load(rawUrl + path, headersFor(encoding), 2);
  }
  const results = CASES.map(() => ({ qala: [] as LoadRun[], raw: [] as LoadRun[] }));
  for (let round = 0; round < ROUNDS; round++) {
    for (const [index, { path, encoding }] of CASES.entries()) {
      const runQala = async () => results[index]!.qala.push(await load(qala.url + path, headersFor(encoding), SECONDS, 50, qala.pid));
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
