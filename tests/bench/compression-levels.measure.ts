import { sql } from 'kysely';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, it } from 'vitest';
import { signIn } from '../helpers/http.ts';
import { readRows } from '../helpers/server-database.ts';
import { DEMO_PASSWORD, startServer, type RunningServer } from '../helpers/server.ts';

// How the compression level of pages rendered on demand was chosen (src/node/whole-body.ts):
// size and time of each brotli quality and gzip level on real member pages.
// Run: npm run build && npx vitest run --config vitest.bench.config.ts tests/bench/compression-levels.measure.ts
let server: RunningServer;
const bodies: Array<{ label: string; body: Buffer }> = [];

beforeAll(async () => {
  server = await startServer();
  const cookie = await signIn(server.url, 'temirtau@example.org', DEMO_PASSWORD);
  const [thread] = await readRows<{ id: number; slug: string }>(
    server.databaseUrl,
    sql`SELECT t.id, g.slug FROM group_threads t JOIN groups g ON g.id = t.group_id ORDER BY t.id LIMIT 1`,
  );
  for (const [label, path] of [
    ['home', '/en/'],
    ['exchange', '/en/exchange/'],
    ['account', '/en/account/'],
    ['thread', `/en/groups/${thread!.slug}/threads/${thread!.id}/`],
    ['towns', '/en/towns/'],
  ] as const) {
    const response = await fetch(server.url + path, { headers: { Cookie: cookie, 'Accept-Encoding': 'identity' } });
    bodies.push({ label, body: Buffer.from(await response.arrayBuffer()) });
  }
}, 60_000);
afterAll(() => server?.stop());

function time(work: () => Buffer): { ms: number; bytes: number } {
  let bytes = 0;
  for (let i = 0; i < 5; i++) bytes = work().length; // warm
  const started = performance.now();
  const rounds = 40;
  for (let i = 0; i < rounds; i++) work();
  return { ms: (performance.now() - started) / rounds, bytes };
}

it('prints size and time per level', () => {
  const levels: Array<[string, (body: Buffer) => Buffer]> = [
    ...[1, 3, 4, 5, 6, 8, 11].map((quality): [string, (body: Buffer) => Buffer] => [`br ${quality}`, (body) => brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: quality } })]),
    ...[1, 4, 6, 9].map((level): [string, (body: Buffer) => Buffer] => [`gzip ${level}`, (body) => gzipSync(body, { level })]),
  ];
  console.log(`\n${'page'.padEnd(10)} ${'bytes'.padStart(7)}  ${levels.map(([name]) => name.padStart(16)).join('')}`);
  for (const { label, body } of bodies) {
    const cells = levels.map(([, compress]) => {
      const { ms, bytes } = time(() => compress(body));
      return `${(bytes / 1024).toFixed(1)}K ${ms.toFixed(2)}ms`.padStart(16);
    });
    console.log(`${label.padEnd(10)} ${String(body.length).padStart(7)}  ${cells.join('')}`);
  }
});
