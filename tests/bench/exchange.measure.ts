import Database from 'better-sqlite3';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, it } from 'vitest';
import { hashPassword } from '~/server/auth/password.ts';
import { createDatabase } from '~/server/db/connection.ts';
import { migrateToLatest } from '~/server/db/migrate.ts';
import { suggestPeople, suggestTowns, type CaseCounts } from '~/server/exchange/matching.ts';
import { getRequest, listRequests, type RequestFilters } from '~/server/exchange/requests.ts';
import { listResponses } from '~/server/exchange/responses.ts';
import { refreshSuggestions, suggestionsFor } from '~/server/exchange/suggestions.ts';
import { TAXONOMIES } from '~/schemas/taxonomy.ts';
import { temporaryDirectory } from '../helpers/database.ts';
import { signIn } from '../helpers/http.ts';
import { DEMO_PASSWORD, startServer, type RunningServer } from '../helpers/server.ts';

// The expertise exchange at national scale: 1,000 towns, 20,000 members, 200,000
// requests and 1,000,000 responses. Prints p50/p95 server time of the list, a
// request page and the matching, in process and over HTTP. Run: npm run bench
const TOWNS = 1_000;
const USERS = 20_000;
const REQUESTS = 200_000;
const RESPONSES = 1_000_000;
const ROUNDS = 200;

const dir = temporaryDirectory('qala-bench-');
// QALA_BENCH_DB=<file> keeps the filled database there and reuses it on the next run.
const kept = process.env.QALA_BENCH_DB;
const path = kept ?? join(dir.path, 'exchange.db');
let server: RunningServer | undefined;

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

async function fill(): Promise<void> {
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

function report(label: string, times: number[]): void {
  times.sort((a, b) => a - b);
  const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))]!.toFixed(2);
  console.log(`${label.padEnd(44)} p50 ${at(0.5)} ms  p95 ${at(0.95)} ms  (${times.length} runs)`);
}

async function time(label: string, run: (round: number) => Promise<unknown>): Promise<void> {
  const times: number[] = [];
  for (let round = 0; round < ROUNDS + 20; round++) {
    const started = performance.now();
    await run(round);
    if (round >= 20) times.push(performance.now() - started);
  }
  report(label, times);
}

beforeAll(async () => {
  if (!kept || !existsSync(kept)) await fill();
}, 900_000);
afterAll(async () => {
  await server?.stop();
  dir.remove();
});

it('measures the exchange in process', { timeout: 900_000 }, async () => {
  const db = createDatabase(path);
  const viewer = { id: 'user-00000007', townId: 7 };
  const list = (filters: RequestFilters) => listRequests(db, viewer, filters);
  const published = new Database(path, { readonly: true }).prepare("SELECT id FROM help_requests WHERE status = 'open' ORDER BY random() LIMIT 500").all() as { id: number }[];
  // Published cases per town and topic: a few hundred towns with a few cases each.
  const counts: CaseCounts = new Map(Array.from({ length: 300 }, (_, index) => [`town-${index * 3 + 1}`, new Map([[TAXONOMIES.topics[index % 10]!.id, 1 + (index % 4)]])]));

  await time('list, newest first, page 1', () => list({}));
  await time('list, page 50', () => list({ page: 50 }));
  await time('list, one topic', (round) => list({ topic: TAXONOMIES.topics[round % 10]!.id }));
  await time('list, one region + open', (round) => list({ region: TAXONOMIES.regions[round % TAXONOMIES.regions.length]!.id, status: 'open' }));
  await time('list, one town', (round) => list({ town: (round % TOWNS) + 1 }));
  await time('list, matching my expertise', () => list({ scope: 'expertise' }));
  await time('list, from my town (with drafts)', () => list({ scope: 'town' }));
  await time('list, requests I answered', () => list({ scope: 'answered' }));
  await time('list, text search (one word)', (round) => list({ query: WORDS[round % WORDS.length]! }));
  await time('list, text search (two words) + topic', (round) => list({ query: `${WORDS[round % WORDS.length]} ${WORDS[(round + 7) % WORDS.length]}`, topic: 'youth-skills' }));
  await time('request page: request + responses', async (round) => {
    const id = published[round % published.length]!.id;
    await getRequest(db, id);
    await listResponses(db, id);
  });
  await time('matching: scoring people + towns (at publish)', async (round) => {
    const request = (await getRequest(db, published[round % published.length]!.id))!;
    const match = { townId: request.townId, topics: request.topics, languages: request.languages };
    await suggestPeople(db, match, counts);
    await suggestTowns(db, match, counts);
  });
  // Publishing stores the answer; a view reads it (src/server/exchange/suggestions.ts).
  for (const { id } of published) {
    const request = (await getRequest(db, id))!;
    await refreshSuggestions(db, { id, townId: request.townId, topics: request.topics, languages: request.languages }, counts);
  }
  await time('matching: stored suggestions on a view', async (round) => {
    const request = (await getRequest(db, published[round % published.length]!.id))!;
    await suggestionsFor(db, request, async () => counts);
  });
  await db.destroy();
});

it('measures the exchange pages over HTTP', async () => {
  server = await startServer({ databasePath: path, env: { DEMO_DATA: 'false' } });
  const cookie = await signIn(server.url, 'member7@bench.example', DEMO_PASSWORD);
  // The requests measured are those scored in process above (as publishing does).
  const ids = (new Database(path, { readonly: true }).prepare('SELECT request_id AS id FROM help_request_suggestions LIMIT 200').all() as { id: number }[]).map((row) => row.id);
  const get = async (pathname: string) => {
    const response = await fetch(server!.url + pathname, { headers: { Cookie: cookie }, redirect: 'manual' });
    await response.arrayBuffer();
    if (response.status !== 200) throw new Error(`${pathname} answered ${response.status}\n${server!.output().slice(-3000)}`);
  };
  await time('HTTP /en/exchange/', () => get('/en/exchange/'));
  await time('HTTP /en/exchange/?topic=…&status=open', () => get('/en/exchange/?topic=utilities-housing&status=open'));
  await time('HTTP request page (with matching)', (round) => get(`/en/exchange/${ids[round % ids.length]}/`));
  const rss = (await import('node:child_process')).execSync(`ps -o rss= -p ${server.pid}`).toString().trim();
  console.log(`server resident memory after the run: ${(Number(rss) / 1024).toFixed(0)} MiB`);
});
