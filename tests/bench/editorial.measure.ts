import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { execSync } from 'node:child_process';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, it } from 'vitest';
import { recordChange } from '~/server/cache/changes.ts';
import type { Database } from '~/server/db/schema.ts';
import { TAXONOMIES } from '~/schemas/taxonomy.ts';
import { testEngine } from '../helpers/database.ts';
import { withServerDatabase } from '../helpers/server-database.ts';
import { startServer, type RunningServer } from '../helpers/server.ts';
import { LoggedTimes } from './logged-times.ts';

/**
 * Server time per request for knowledge pages with 10,000 published portal news items (plus
 * 2,000 resources and 500 events written in the portal): issue 22's goal is list and item
 * pages p95 ≤ 20 ms of server time, and a portal item page costing no more than a member case
 * page. One client at a time over loopback, as http-latency.measure.ts measures.
 *
 * For each page: wall time p50/p95 (client), server time p50/p95 (the server's own log line
 * for the request, `ms`, matched by X-Request-Id), and server CPU per request (user + system
 * of the server process from /proc over the timed requests: on a busy machine, what a request
 * costs rather than how much CPU it was given). "Unseen" addresses differ on every request
 * (another page, filter or item), so neither the anonymous page cache nor a kept list page
 * answers them: they are the first, rendered cost. "Repeated" is one address again and again.
 *
 * QALA_BENCH_BEFORE=<path to an earlier build's dist/qala.mjs> also starts that build on the
 * same database and measures it in the same run, alternating which goes first per page.
 * QALA_TEST_ENGINE=postgres runs on PostgreSQL. QALA_BENCH_ROUNDS (default 100).
 * QALA_BENCH_PROFILE=<folder> writes a CPU profile of the (after) server there when it stops
 * (node --cpu-prof); QALA_BENCH_ONLY=<regular expression> measures only the pages it matches.
 * Run: npx vitest run -c vitest.bench.config.ts tests/bench/editorial.measure.ts
 */
const NEWS = 10_000;
const RESOURCES = 2_000;
const EVENTS = 500;
const ROUNDS = Number(process.env.QALA_BENCH_ROUNDS ?? 100);
const WARMUP = 10;
const PROFILE = process.env.QALA_BENCH_PROFILE;
const ONLY = process.env.QALA_BENCH_ONLY ? new RegExp(process.env.QALA_BENCH_ONLY) : undefined;
const BEFORE = process.env.QALA_BENCH_BEFORE ? join(process.cwd(), process.env.QALA_BENCH_BEFORE) : undefined;

const TOPICS = TAXONOMIES.topics.map((term) => term.id);
const TOWNS = TAXONOMIES.towns.map((town) => town.id);
const TYPES = TAXONOMIES.resourceTypes.map((term) => term.id);

interface Measured {
  server: RunningServer;
  name: string;
  /** The server's own time per request, from its log. */
  logged: LoggedTimes;
}
const servers: Measured[] = [];

type Collection = 'news' | 'resources' | 'events';

/** Item `index` of a collection: its languages and each language's frontmatter and body. */
function portalTexts(collection: Collection, index: number, now: number): Array<{ lang: 'ru' | 'kk' | 'en'; data: string; body: string }> {
  const langs: Array<'ru' | 'kk' | 'en'> = ['ru', ...(index % 3 === 0 ? ['kk' as const] : []), ...(index % 7 === 0 ? ['en' as const] : [])];
  const date = new Date((now - index * 3600) * 1000).toISOString().slice(0, 10);
  const topics = [TOPICS[index % TOPICS.length]!, ...(index % 5 === 0 ? [TOPICS[(index + 1) % TOPICS.length]!] : [])];
  return langs.map((lang) => {
    const base = { title: `${collection} ${lang} ${index}: материал портала`, summary: `Краткое описание материала номер ${index}, написанного на портале.`, date, topics };
    const data =
      collection === 'resources'
        ? { ...base, type: TYPES[index % TYPES.length], towns: index % 4 === 0 ? [] : [TOWNS[index % TOWNS.length]], authors: ['Ассоциация'] }
        : collection === 'events'
          ? { ...base, start: new Date((now + (index - EVENTS / 2) * 86_400) * 1000).toISOString(), place: 'Караганда', registration: 'Открыта для городов-членов' }
          : base;
    return { lang, data: JSON.stringify(data), body: `Текст ${index}.\n\n## Раздел\n\n${'Ещё абзац текста. '.repeat(40)}\n\n## Итоги\n\nКонец.` };
  });
}

async function seedPortalItems(db: Kysely<Database>, collection: Collection, count: number, now: number) {
  for (let start = 0; start < count; start += 250) {
    await db.transaction().execute(async (trx) => {
      const indexes = Array.from({ length: Math.min(count, start + 250) - start }, (_, offset) => start + offset);
      const rows = await trx
        .insertInto('editorial_items')
        .values(indexes.map((index) => ({ collection, slug: `bench-${collection}-${index}`, source_lang: 'ru' as const, state: 'published', version: 2, is_public: 1, publish_at: null, published_at: now, withdrawn_at: null, withdrawn_reason: null, created_by: null, updated_by: null, created_at: now, updated_at: now })))
        .returning(['id', 'slug'])
        .execute();
      const texts = rows.flatMap((row) => portalTexts(collection, Number(row.slug.slice(`bench-${collection}-`.length)), now).map((text) => ({ item_id: row.id, ...text, revision: 1 })));
      await trx.insertInto('editorial_published').values(texts).execute();
      await trx.insertInto('editorial_texts').values(texts.map((text) => ({ ...text, source_revision: null, updated_by: null, updated_at: now }))).execute();
    });
  }
}

beforeAll(async () => {
  const after = await startServer(PROFILE ? { nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${PROFILE}`] } : {});
  servers.push({ server: after, name: 'after', logged: new LoggedTimes(after) });
  await withServerDatabase(after.databaseUrl, async (db) => {
    const now = Math.floor(Date.now() / 1000);
    await seedPortalItems(db, 'news', NEWS, now);
    await seedPortalItems(db, 'resources', RESOURCES, now);
    await seedPortalItems(db, 'events', EVENTS, now);
    // The privacy page edited in the portal and published (the about page stays its file).
    const page = await db
      .insertInto('editorial_items')
      .values({ collection: 'pages', slug: 'privacy', source_lang: 'en', state: 'published', version: 2, is_public: 1, publish_at: null, published_at: now, withdrawn_at: null, withdrawn_reason: null, created_by: null, updated_by: null, created_at: now, updated_at: now })
      .returning('id')
      .executeTakeFirstOrThrow();
    const pageText = { item_id: page.id, lang: 'en' as const, data: JSON.stringify({ title: 'Privacy', description: 'What personal data the portal stores and why.', updated: '2026-12-07' }), body: `## Privacy\n\n${'The portal keeps as little as it needs. '.repeat(200)}`, revision: 1 };
    await db.insertInto('editorial_published').values(pageText).execute();
    await db.insertInto('editorial_texts').values({ ...pageText, source_revision: null, updated_by: null, updated_at: now }).execute();
    await db.updateTable('changes').set({ serial: 1_000_000 }).where('area', '=', 'editorial').execute();
  });
  if (BEFORE) {
    const before = await startServer({ databaseUrl: after.databaseUrl, entry: BEFORE });
    servers.unshift({ server: before, name: 'before', logged: new LoggedTimes(before) });
  }
  // The search pass each server starts (it indexes what it finds) runs in the background:
  // measured, it would be counted as the pages' CPU. Wait until both are idle.
  for (const { server } of servers) await idle(server);
}, 900_000);

/** Waits until a server spends under 2% of a core for two seconds running (at most five minutes). */
async function idle(server: RunningServer) {
  const until = Date.now() + 300_000;
  let quiet = 0;
  while (quiet < 2 && Date.now() < until) {
    const before = serverCpuMs(server);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    quiet = serverCpuMs(server) - before < 20 ? quiet + 1 : 0;
  }
}
afterAll(async () => {
  // The server that made the database ('after') removes it: stop the other first.
  for (const { server } of [...servers].sort((a, b) => Number(a.name === 'after') - Number(b.name === 'after'))) await server.stop();
});

/** The server process's CPU time so far (user + system), in ms. */
function serverCpuMs(server: RunningServer): number {
  const fields = readFileSync(`/proc/${server.pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
}

const at = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;

/** Something done before each request of a page (not timed), e.g. a change the page must show. */
type BeforeEach = (round: number) => Promise<void>;

async function measureOn(measured: Measured, path: (round: number) => string, rounds: number, beforeEach?: BeforeEach) {
  const { server } = measured;
  const wall: number[] = [];
  const ids: string[] = [];
  const statuses = new Set<number>();
  let cpuBefore = 0;
  measured.logged.sinceLastCall();
  let cpu = 0;
  for (let i = 0; i < rounds + WARMUP; i++) {
    if (beforeEach) await beforeEach(i);
    cpuBefore = serverCpuMs(server);
    const started = performance.now();
    const response = await fetch(server.url + path(i), { redirect: 'manual', headers: { 'Accept-Encoding': 'br, gzip' } });
    await response.arrayBuffer();
    if (i < WARMUP) continue; // the first requests warm up (the first loads the items)
    cpu += serverCpuMs(server) - cpuBefore;
    wall.push(performance.now() - started);
    ids.push(response.headers.get('x-request-id') ?? '');
    statuses.add(response.status);
  }
  cpu /= rounds;
  const inServer = await measured.logged.of(ids);
  wall.sort((a, b) => a - b);
  return { statuses: [...statuses].join('/'), wall, inServer, cpu };
}

let measured = 0;

async function measure(label: string, path: (round: number) => string, options: { rounds?: number; beforeEach?: BeforeEach } = {}) {
  if (ONLY && !ONLY.test(label)) return;
  // Alternate which build goes first, so neither always meets the machine's quieter moments.
  const order = measured++ % 2 === 0 ? servers : [...servers].reverse();
  const results = new Map<string, Awaited<ReturnType<typeof measureOn>>>();
  for (const measured of order) results.set(measured.name, await measureOn(measured, path, options.rounds ?? ROUNDS, options.beforeEach));
  for (const measured of servers) {
    const r = results.get(measured.name)!;
    const line = `| ${label} | ${measured.name} | ${r.statuses} | ${at(r.wall, 0.5).toFixed(1)} / ${at(r.wall, 0.95).toFixed(1)} | ${r.inServer.length ? `${at(r.inServer, 0.5).toFixed(1)} / ${at(r.inServer, 0.95).toFixed(1)}` : '–'} | ${r.cpu.toFixed(2)} |`;
    console.log(line);
  }
}

const unique = (path: string) => (round: number) => `${path}${path.includes('?') ? '&' : '?'}r=${round}`;
const same = (path: string) => () => path;

it(`prints list and item page times with ${NEWS} portal news items, ${RESOURCES} resources and ${EVENTS} events`, { timeout: 3_600_000 }, async () => {
  const load = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  const loadAtStart = load();
  console.log(`engine ${testEngine()}, ${ROUNDS} requests a page after ${WARMUP}, load average ${loadAtStart}`);
  console.log('| page | build | status | wall p50 / p95 ms | server p50 / p95 ms | server CPU ms/request |\n|---|---|---|---|---|---|');
  // Plain lists: the first address repeated (kept after its first view when the page cache keeps it).
  for (const path of ['news', 'resources', 'cases', 'events', 'funding']) await measure(`${path} list, repeated`, same(`/ru/${path}/`));
  // Unseen filters: each request another combination, so nothing kept answers it.
  await measure('news list, unseen page N', (round) => `/ru/news/?page=${round + 2}`);
  await measure('news list, unseen topic + page', (round) => `/ru/news/?topic=${TOPICS[round % TOPICS.length]}&page=${Math.floor(round / TOPICS.length) + 1}`);
  await measure('news list, unseen language + page', (round) => `/ru/news/?language=${['kk', 'en'][round % 2]}&page=${Math.floor(round / 2) + 1}`);
  await measure('news list, unseen year + topic + page', (round) => `/ru/news/?year=${new Date().getFullYear() - (round % 2)}&topic=${TOPICS[round % TOPICS.length]}&page=${(round % 7) + 1}&q=${round % 3 === 0 ? '' : round}`);
  await measure('resources list, unseen town + page', (round) => `/ru/resources/?town=${TOWNS[round % TOWNS.length]}&page=${Math.floor(round / TOWNS.length) + 1}`);
  await measure('events list, unseen when + page', (round) => `/ru/events/?when=${['upcoming', 'past'][round % 2]}&page=${Math.floor(round / 2) + 1}`);
  await measure('cases list, unseen town', (round) => `/ru/cases/?town=${TOWNS[round % TOWNS.length]}&page=${Math.floor(round / TOWNS.length) + 1}`);
  // After a change (the editorial counter moved, as a publication moves it): the first view reads and prepares the items again.
  const change = async () => {
    await withServerDatabase(servers[0]!.server.databaseUrl, (db) => db.transaction().execute((trx) => recordChange(trx, 'editorial')));
  };
  await measure('news list, first view after a change', (round) => `/ru/news/?page=${round + 500}`, { rounds: 10, beforeEach: change });
  await measure('news list, unseen page N, after that first view', (round) => `/ru/news/?page=${round + 600}`);
  // The home page.
  await measure('home page, repeated', same('/ru/'));
  await measure('home page, unseen address', unique('/ru/'));
  // Item pages: another item each request (rendered), and one item repeated.
  await measure('portal news item, unseen item', (round) => `/ru/news/bench-news-${(round * 97) % NEWS}/`);
  // As the member case page below: two items, each address new (their markdown rendered once, as a member case's is).
  await measure('portal news item, unseen address (2 items)', (round) => `/ru/news/bench-news-${5000 + (round % 2)}/?r=${round}`);
  await measure('portal news item, repeated', same('/ru/news/bench-news-5000/'));
  await measure('portal resource item, unseen item', (round) => `/ru/resources/bench-resources-${(round * 13) % RESOURCES}/`);
  const memberCases = await withServerDatabase(servers[0]!.server.databaseUrl, (db) =>
    db.selectFrom('member_cases').select('slug').where('published_content', 'is not', null).where('unpublished_at', 'is', null).execute(),
  );
  const caseSlugs = memberCases.map((row) => row.slug!).filter(Boolean);
  if (caseSlugs.length > 0) {
    await measure(`member case page, unseen address (${caseSlugs.length} cases)`, (round) => `/ru/cases/${caseSlugs[round % caseSlugs.length]}/?r=${round}`);
    await measure('member case page, repeated', same(`/ru/cases/${caseSlugs[0]}/`));
  }
  await measure('file news item in another language, unseen address', unique('/ru/news/indicator-pilot-call/'));
  await measure('file news item in another language, repeated', same('/ru/news/indicator-pilot-call/'));
  await measure('news RSS feed', same('/ru/news/rss.xml'));
  await measure('association page from its file (on demand)', same('/en/about/'));
  await measure('association page, portal version', same('/en/privacy/'));
  await measure('prerendered page (for comparison)', same('/en/indicators/'));
  console.log(`\nload average at start ${loadAtStart}, at end ${load()}; ${execSync('nproc').toString().trim()} cores`);
});
