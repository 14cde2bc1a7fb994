import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, it } from 'vitest';
import { withServerDatabase } from '../helpers/server-database.ts';
import { startServer, type RunningServer } from '../helpers/server.ts';

// Server time per request for knowledge pages with 10,000 published portal items (issue 22's
// goal: list and item pages p95 ≤ 20 ms), one client at a time over loopback, as
// http-latency.measure.ts measures. Run: npx vitest run -c vitest.bench.config.ts tests/bench/editorial.measure.ts
const ITEMS = 10_000;
const ROUNDS = 100;
let server: RunningServer;

beforeAll(async () => {
  server = await startServer();
  await withServerDatabase(server.databaseUrl, async (db) => {
    const now = Math.floor(Date.now() / 1000);
    const topics = ['utilities-housing', 'municipal-finance', 'planning-governance', 'indicators-data'];
    for (let start = 0; start < ITEMS; start += 250) {
      await db.transaction().execute(async (trx) => {
        const ids = [];
        for (let index = start; index < Math.min(ITEMS, start + 250); index++) {
          const row = await trx
            .insertInto('editorial_items')
            .values({ collection: 'news', slug: `bench-news-${index}`, source_lang: 'ru', state: 'published', version: 2, is_public: 1, publish_at: null, published_at: now, withdrawn_at: null, withdrawn_reason: null, created_by: null, updated_by: null, created_at: now, updated_at: now })
            .returning('id')
            .executeTakeFirstOrThrow();
          ids.push({ id: row.id, index });
        }
        const texts = ids.map(({ id, index }) => {
          const data = JSON.stringify({ title: `Новость портала номер ${index}`, summary: `Краткое описание новости номер ${index}, написанной на портале.`, date: new Date((now - index * 3600) * 1000).toISOString().slice(0, 10), topics: [topics[index % topics.length]] });
          return { item_id: id, lang: 'ru' as const, data, body: `Текст новости ${index}.\n\n## Раздел\n\nЕщё абзац текста.`, revision: 1 };
        });
        await trx.insertInto('editorial_published').values(texts).execute();
        await trx.insertInto('editorial_texts').values(texts.map((text) => ({ ...text, source_revision: null, updated_by: null, updated_at: now }))).execute();
      });
    }
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
}, 300_000);
afterAll(() => server?.stop());

/** The server process's CPU time so far (user + system), in ms: unlike wall time, not inflated by other processes on a busy machine. */
function serverCpuMs(): number {
  const fields = readFileSync(`/proc/${server.pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
}

async function measure(label: string, path: string) {
  const times: number[] = [];
  let cpuBefore = 0;
  let status = 0;
  for (let i = 0; i < ROUNDS + 10; i++) {
    const started = performance.now();
    const response = await fetch(server.url + (path.endsWith('=') ? `${path}${(i % 40) + 1}&topic=${['utilities-housing', 'municipal-finance'][i % 2]}` : path), { redirect: 'manual' });
    await response.arrayBuffer();
    status = response.status;
    if (i >= 10) times.push(performance.now() - started); // the first 10 warm up (the first loads the items)
    if (i === 9) cpuBefore = serverCpuMs();
  }
  const cpuPerRequest = (serverCpuMs() - cpuBefore) / ROUNDS;
  times.sort((a, b) => a - b);
  const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))]!.toFixed(2);
  console.log(`${label.padEnd(44)} ${status} p50 ${at(0.5)} ms  p95 ${at(0.95)} ms  p99 ${at(0.99)} ms  server CPU ${cpuPerRequest.toFixed(2)} ms/request  (${ROUNDS} requests)`);
}

it(`prints list and item page latency with ${ITEMS} portal items`, { timeout: 900_000 }, async () => {
  await measure('news list, first page', '/ru/news/');
  await measure('news list, 40 different filter pages', '/ru/news/?page=');
  await measure('news list, filtered by topic, page 3', '/ru/news/?topic=municipal-finance&page=3');
  await measure('portal news item page', '/ru/news/bench-news-5000/');
  await measure('file news item page (on demand)', '/ru/news/association-founded/');
  const [memberCase] = await withServerDatabase(server.databaseUrl, (db) => db.selectFrom('member_cases').select('slug').where('published_content', 'is not', null).where('unpublished_at', 'is', null).limit(1).execute());
  if (memberCase?.slug) await measure('member case page (for comparison)', `/ru/cases/${memberCase.slug}/`);
  await measure('cases list (for comparison)', '/ru/cases/');
  await measure('news RSS feed', '/ru/news/rss.xml');
  await measure('association page from its file (on demand)', '/en/about/');
  await measure('association page, portal version', '/en/privacy/');
  await measure('prerendered page (for comparison)', '/en/indicators/');
});
