import type { Kysely } from 'kysely';
import { afterAll, beforeAll, it, vi } from 'vitest';
import { seedDemoData } from '../../db/seed/index.ts';
import { recordChange } from '~/server/cache/changes.ts';
import type { Database } from '~/server/db/schema.ts';
import { createTestDatabase } from '../helpers/database.ts';

// What computing the set of prerendered item pages whose related items the database
// changes costs (src/server/knowledge/live-related.ts): once per change of portal items,
// member cases or towns, on the first item page asked for after it. N file items (over
// resources, programmes, news, events and cases, in 1–3 languages, 10 topics) stand in for
// the build's content files; the database is the demo's (its published portal items and
// member cases) plus PORTAL more published portal news in Russian, newer than every file and sharing both topics with a tenth of them.
// Run: npx vitest run --config vitest.bench.config.ts tests/bench/live-related.measure.ts
//   QALA_BENCH_SIZES (default 2000,10000), QALA_BENCH_PORTAL (default 50), QALA_BENCH_ROUNDS (default 5)
const SIZES = (process.env.QALA_BENCH_SIZES ?? '2000,10000').split(',').map(Number);
const PORTAL = Number(process.env.QALA_BENCH_PORTAL ?? 50);
const ROUNDS = Number(process.env.QALA_BENCH_ROUNDS ?? 5);
const TOPICS = ['utilities-housing', 'economic-diversification', 'sme-support', 'youth-skills', 'environment-health', 'municipal-finance', 'planning-governance', 'indicators-data', 'public-participation', 'migration-demography'];
const COLLECTIONS = ['resources', 'programmes', 'news', 'events', 'cases'] as const;

const files = vi.hoisted(() => ({ size: 0 }));
vi.mock('astro:content', () => ({
  getCollection: async (collection: string) => {
    const entries = [];
    const langs = ['kk', 'ru', 'en'];
    for (let index = 0; index < files.size; index++) {
      if (COLLECTIONS[index % COLLECTIONS.length] !== collection) continue;
      const slug = `${collection}-${index}`;
      for (let lang = 0; lang < 3; lang++) {
        // Every item in one language, two in three in two, one in three in all three.
        if (lang > 0 && (index + lang) % 3 === 0) continue;
        const language = langs[(index + lang) % 3]!;
        const topics = [TOPICS[index % TOPICS.length]!, TOPICS[(index * 7 + 3) % TOPICS.length]!];
        entries.push({
          id: `${language}/${slug}`,
          collection,
          data: { title: slug, summary: slug, date: new Date(Date.UTC(2020, 0, 1) + (index % 2000) * 86_400_000), topics: [...new Set(topics)], featured: false, related: index % 5 === 0 ? [`news/news-${index + 2}`] : [], ...(collection === 'cases' ? { town: 'temirtau', region: 'karaganda' } : {}) },
          body: '',
        });
      }
    }
    return entries;
  },
}));

let db: Kysely<Database>;
let cleanup: () => Promise<void>;

beforeAll(async () => {
  ({ db, cleanup } = await createTestDatabase());
  await seedDemoData(db);
  const now = Math.floor(Date.now() / 1000);
  for (let index = 0; index < PORTAL; index++) {
    const row = await db
      .insertInto('editorial_items')
      .values({ collection: 'news', slug: `bench-portal-${index}`, source_lang: 'ru', state: 'published', version: 2, is_public: 1, publish_at: null, published_at: now, withdrawn_at: null, withdrawn_reason: null, created_by: null, updated_by: null, created_at: now, updated_at: now })
      .returning('id')
      .executeTakeFirstOrThrow();
    const text = { item_id: row.id, lang: 'ru' as const, data: JSON.stringify({ title: `Портал ${index}`, summary: `Новость портала номер ${index}, написанная на портале.`, date: '2030-01-01', topics: [...new Set([TOPICS[index % TOPICS.length]!, TOPICS[(index * 7 + 3) % TOPICS.length]!])] }), body: 'Текст.', revision: 1 };
    await db.insertInto('editorial_published').values(text).execute();
    await db.insertInto('editorial_texts').values({ ...text, source_revision: null, updated_by: null, updated_at: now }).execute();
  }
  await recordChange(db, 'editorial');
}, 120_000);
afterAll(() => cleanup?.());

/** Watches the event loop (a timer every millisecond) until `stop`, which returns the longest gap between two ticks. */
function longestPause(): { stop: () => number } {
  let last = performance.now();
  let longest = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    longest = Math.max(longest, now - last);
    last = now;
  }, 1);
  return {
    stop: () => {
      clearInterval(timer);
      return Math.max(longest, performance.now() - last);
    },
  };
}

function cpuMs(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
}

it('computes the set once per change', async () => {
  const rows: string[] = [];
  for (const size of SIZES) {
    files.size = size;
    // Fresh modules: the file lists and related-items indexes are kept per process.
    vi.resetModules();
    const { liveRelatedPages } = await import('~/server/knowledge/live-related.ts');
    let wall = performance.now();
    let cpu = cpuMs();
    // The longest the event loop waited meanwhile: what a request arriving then waits at worst.
    const pause = longestPause();
    const first = await liveRelatedPages(db);
    const cold = { wall: performance.now() - wall, cpu: cpuMs() - cpu, longestPause: pause.stop() };
    const changed: Array<{ wall: number; cpu: number }> = [];
    for (let round = 0; round < ROUNDS; round++) {
      // A change: every kept list of portal items is read again, the indexes rebuilt, the set computed.
      await recordChange(db, 'editorial');
      wall = performance.now();
      cpu = cpuMs();
      await liveRelatedPages(db);
      changed.push({ wall: performance.now() - wall, cpu: cpuMs() - cpu });
    }
    wall = performance.now();
    await liveRelatedPages(db);
    const unchanged = performance.now() - wall;
    const pages = (await import('~/server/knowledge/live-related.ts')).PRERENDERED_ITEM_COLLECTIONS.length;
    const median = (values: number[]) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
    rows.push(
      `${size} file items (${pages} prerendered collections): ${first.affected.size} pages affected; ` +
        `first (files loaded, indexes built) ${cold.wall.toFixed(0)} ms wall / ${cold.cpu.toFixed(0)} ms CPU, event loop blocked ${cold.longestPause.toFixed(0)} ms at most; ` +
        `after a change, median of ${ROUNDS}: ${median(changed.map((entry) => entry.wall)).toFixed(0)} ms wall / ${median(changed.map((entry) => entry.cpu)).toFixed(0)} ms CPU; ` +
        `unchanged (counters read only) ${unchanged.toFixed(2)} ms`,
    );
  }
  const { loadavg } = await import('node:os');
  console.log(`\nlive related pages, ${PORTAL} extra portal items + the demo's, load average ${loadavg().map((value) => value.toFixed(1)).join(' ')}:\n${rows.join('\n')}\n`);
});
