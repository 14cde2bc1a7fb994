import { request as send } from 'node:http';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postForm, signIn } from '../helpers/http.ts';
import { readRows } from '../helpers/server-database.ts';
import { DEMO_PASSWORD, startServer, type RunningServer } from '../helpers/server.ts';

// QALA_WORKERS=2: a primary (migrations, demo data, scheduled jobs) and two workers
// sharing the port (src/node/workers.ts), on SQLite (WAL) and PostgreSQL.
let server: RunningServer;

beforeAll(async () => {
  server = await startServer({ env: { QALA_WORKERS: '2', METRICS_TOKEN: 'a-metrics-token-of-enough-length' } });
}, 60_000);

afterAll(async () => {
  await server?.stop();
});

/** One request on its own connection, so the workers take turns (round robin per connection). */
function get(path: string, cookie?: string): Promise<{ status: number; body: string; setCookie: string[] }> {
  return new Promise((resolve, reject) => {
    const outgoing = send(new URL(path, server.url), { agent: false, headers: { Connection: 'close', ...(cookie ? { Cookie: cookie } : {}) } }, (incoming) => {
      let body = '';
      incoming.setEncoding('utf8');
      incoming.on('data', (chunk: string) => (body += chunk));
      incoming.on('end', () => resolve({ status: incoming.statusCode ?? 0, body, setCookie: incoming.headers['set-cookie'] ?? [] }));
    });
    outgoing.on('error', reject);
    outgoing.end();
  });
}

/** The workers that wrote a request log line for `path`. */
function workersServing(path: string): Set<number> {
  const workers = new Set<number>();
  for (const line of server.stdout().split('\n')) {
    if (!line.includes('"msg":"request"')) continue;
    const entry = JSON.parse(line) as { path: string; worker?: number };
    if (entry.path === path && entry.worker !== undefined) workers.add(entry.worker);
  }
  return workers;
}

describe('QALA_WORKERS=2', () => {
  it('journals the SQLite database in WAL mode, so the processes read and write side by side', async () => {
    if (!server.databaseUrl.startsWith('file:')) return;
    const [mode] = await readRows<{ journal_mode: string }>(server.databaseUrl, sql`PRAGMA journal_mode`);
    expect(mode?.journal_mode).toBe('wal');
  });

  it('serves member pages across many requests from both workers, with one session', async () => {
    const cookie = await signIn(server.url, 'temirtau@example.org', DEMO_PASSWORD);
    const [thread] = await readRows<{ id: number; slug: string }>(
      server.databaseUrl,
      sql`SELECT t.id, g.slug FROM group_threads t JOIN groups g ON g.id = t.group_id JOIN group_members m ON m.group_id = g.id JOIN users u ON u.id = m.user_id WHERE u.email = 'temirtau@example.org' AND t.hidden_at IS NULL ORDER BY t.id LIMIT 1`,
    );
    expect(thread).toBeDefined();
    const pages = ['/en/account/', '/en/exchange/', `/en/groups/${thread!.slug}/threads/${thread!.id}/`];
    for (let round = 0; round < 8; round++) {
      const answers = await Promise.all(pages.map((page) => get(page, cookie)));
      for (const answer of answers) {
        expect(answer.status).toBe(200);
        expect(answer.body).toContain('Yerlan Bekov');
      }
    }
    for (const page of pages) expect(workersServing(page)).toEqual(new Set([1, 2]));
  });

  it('a sign-out on one worker ends the session on both', async () => {
    const cookie = await signIn(server.url, 'ridder@example.org', DEMO_PASSWORD);
    const out = await postForm(server.url, '/en/sign-out/?_action=auth.signOut', {}, { cookie });
    expect(out.status).toBe(303);
    const after = await Promise.all(Array.from({ length: 6 }, () => get('/en/account/', cookie)));
    for (const answer of after) expect(answer.status).toBe(303);
  });

  it('gathers every process into /metrics, whichever worker answers', async () => {
    for (let i = 0; i < 6; i++) await get('/en/indicators/'); // prerendered: a static file
    const scrape = () =>
      new Promise<string>((resolve, reject) => {
        const outgoing = send(new URL('/metrics', server.url), { agent: false, headers: { Authorization: 'Bearer a-metrics-token-of-enough-length', Connection: 'close' } }, (incoming) => {
          let body = '';
          incoming.on('data', (chunk: Buffer) => (body += chunk.toString()));
          incoming.on('end', () => resolve(body));
        });
        outgoing.on('error', reject);
        outgoing.end();
      });
    for (const text of [await scrape(), await scrape()]) {
      const line = text.split('\n').find((row) => row.startsWith('qala_http_request_duration_seconds_count{route="static",method="GET",status_class="2xx"}'));
      expect(Number(line?.split(' ').pop())).toBeGreaterThanOrEqual(6);
      // The mail queue is counted once, by the primary.
      expect(text).toContain('qala_mail_queue');
    }
  });

  it('stops on SIGTERM: the workers finish and the primary exits 0', async () => {
    await server.stop();
    expect(server.exitCode()).toBe(0);
    expect(server.stdout()).toContain('"msg":"stopped"');
    expect((await fetch(`${server.url}/healthz`).catch(() => null))?.status).toBeUndefined();
  });
});
