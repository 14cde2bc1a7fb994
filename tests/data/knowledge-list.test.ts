import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Language } from '~/i18n/index.ts';
import { zonedYear } from '~/lib/format.ts';
import { PAGE_SIZE, type ListQuery } from '~/lib/knowledge/list-query.ts';
import { SECTIONS, type FilterName, type Section, type SectionCollection } from '~/lib/knowledge/sections.ts';
import { eventIsPast, programmeStatus } from '~/lib/knowledge/status.ts';
import { EDITORIAL_SCHEMAS } from '~/lib/editorial/frontmatter.ts';
import { TAXONOMIES } from '~/schemas/taxonomy.ts';
import { recordChange } from '~/server/cache/changes.ts';
import type { Database } from '~/server/db/schema.ts';
import { homePage } from '~/server/home/home.ts';
import { byReaderLanguageThenDate, loadItems, toCard, type ItemCard, type KnowledgeItem } from '~/server/knowledge/items.ts';
import { listPage, type ListPage } from '~/server/knowledge/list.ts';
import { createTestDatabase } from '../helpers/database.ts';

/**
 * src/server/knowledge/list.ts keeps what does not change between requests (cards, their
 * filter values, the order, the unfiltered facets) once per list of items. These tests hold
 * its pages to the plain computation it replaced (every card filtered, sorted and counted on
 * each request, kept below as `referencePage`), over content files and portal items mixed,
 * for every filter, the text search, languages and pages; and check that a publication or a
 * withdrawal shows in the list, its counts and the home page at once.
 */

const TOPICS = TAXONOMIES.topics.map((term) => term.id);
const TOWNS = TAXONOMIES.towns.map((town) => town.id);
const TYPES = TAXONOMIES.resourceTypes.map((term) => term.id);
const LANGS: Language[] = ['kk', 'ru', 'en'];
const NOW = new Date('2026-12-07T06:00:00Z');

type Listed = 'news' | 'resources' | 'events';

/** Frontmatter of item `index` of a collection, in one language (a few dates repeat, so ties are ordered too). */
function frontmatter(collection: Listed, index: number, lang: Language, source: string): Record<string, unknown> {
  const base = {
    title: `${source} ${collection} ${lang} ${index} ${index % 4 === 0 ? 'water' : 'roads'}`,
    summary: `A summary of item ${index}, long enough for the schema.`,
    // Item 600 and later (published during a test) are the newest.
    date: index >= 600 ? '2026-12-06' : new Date(Date.UTC(2024 + (index % 3), index % 12, 1 + (index % 5))).toISOString().slice(0, 10),
    topics: [TOPICS[index % TOPICS.length]!, ...(index % 3 === 0 ? [TOPICS[(index + 2) % TOPICS.length]!] : [])],
  };
  if (collection === 'resources') return { ...base, type: TYPES[index % TYPES.length], towns: index % 4 === 0 ? [] : [TOWNS[index % TOWNS.length], ...(index % 5 === 0 ? [TOWNS[(index + 3) % TOWNS.length]] : [])], regions: index % 7 === 0 ? [TAXONOMIES.regions[0]!.id] : [], authors: ['The association'] };
  if (collection === 'events') {
    const start = new Date(NOW.getTime() + (index - 10) * 86_400_000 * 3);
    return { ...base, start: start.toISOString(), ...(index % 2 === 0 ? { place: 'Karaganda' } : { online: true }), registration: 'Open to member towns' };
  }
  return base;
}

function languagesOf(index: number): Language[] {
  return LANGS.filter((lang, position) => (index + position) % 3 !== 0 || position === 1);
}

/** Content files: `FILES` items per collection, as getCollection gives them (data parsed by the build's schema). */
const FILES = 12;
const files = new Map<string, unknown[]>();
for (const collection of ['news', 'resources', 'events'] as const) {
  files.set(
    collection,
    Array.from({ length: FILES }, (_, index) =>
      languagesOf(index).map((lang) => ({ id: `${lang}/file-${collection}-${index}`, collection, data: EDITORIAL_SCHEMAS[collection].parse(frontmatter(collection, index, lang, 'File')), body: 'Text.' })),
    ).flat(),
  );
}
vi.mock('astro:content', () => ({ getCollection: async (collection: string) => files.get(collection) ?? [] }));

let db: Kysely<Database>;
let cleanup: () => Promise<void>;
const PORTAL = 40;

async function publish(collection: Listed, index: number): Promise<number> {
  const now = Math.floor(NOW.getTime() / 1000);
  return db.transaction().execute(async (trx) => {
    const item = await trx
      .insertInto('editorial_items')
      .values({ collection, slug: `portal-${collection}-${index}`, source_lang: 'ru', state: 'published', version: 2, is_public: 1, publish_at: null, published_at: now, withdrawn_at: null, withdrawn_reason: null, created_by: null, updated_by: null, created_at: now, updated_at: now })
      .returning('id')
      .executeTakeFirstOrThrow();
    const texts = languagesOf(index + 1).map((lang) => ({ item_id: item.id, lang, data: JSON.stringify(frontmatter(collection, index + 100, lang, 'Portal')), body: 'Text.', revision: 1 }));
    await trx.insertInto('editorial_published').values(texts).execute();
    await recordChange(trx, 'editorial');
    return item.id;
  });
}

beforeAll(async () => {
  ({ db, cleanup } = await createTestDatabase());
  for (const collection of ['news', 'resources', 'events'] as const) for (let index = 0; index < PORTAL; index++) await publish(collection, index);
});
afterAll(async () => {
  await cleanup?.();
});

// The list as it was computed before: every card made, filtered, sorted and counted on each request.
function valuesOf(card: ItemCard, name: FilterName, now: Date): string[] {
  switch (name) {
    case 'topic': return card.topics;
    case 'type': return card.type ? [card.type] : [];
    case 'programme': return card.programmes;
    case 'region': return card.regions;
    case 'town': return card.towns;
    case 'language': return card.languages;
    case 'year': return [String(zonedYear(card.date))];
    case 'status': return card.collection === 'programmes' ? [programmeStatus(card.deadline, now)] : [];
    case 'when': return card.start ? [eventIsPast(card.start, card.end, now) ? 'past' : 'upcoming'] : [];
    case 'format': return card.format ? [card.format] : [];
  }
}
function chosen(query: ListQuery, section: Section): Array<[FilterName, string]> {
  return section.filters.flatMap((name) => {
    const value = (query as unknown as Record<string, unknown>)[name];
    return value === undefined ? [] : [[name, String(value)] as [FilterName, string]];
  });
}
const matchesText = (card: ItemCard, q: string | undefined) => !q || `${card.title} ${card.summary}`.toLocaleLowerCase().includes(q.toLocaleLowerCase());
const matches = (card: ItemCard, filters: Array<[FilterName, string]>, now: Date, except?: FilterName) => filters.every(([name, value]) => name === except || valuesOf(card, name, now).includes(value));
function referencePage(items: KnowledgeItem[], section: Section, query: ListQuery, readerLang: Language, now: Date): ListPage {
  const shown = items.map((item) => toCard(item, readerLang, query.language));
  const filters = chosen(query, section);
  const matching = shown.filter((card) => matchesText(card, query.q) && matches(card, filters, now));
  matching.sort(
    section.collection === 'events'
      ? (a, b) => {
          const aPast = eventIsPast(a.start!, a.end, now);
          const bPast = eventIsPast(b.start!, b.end, now);
          if (aPast !== bPast) return aPast ? 1 : -1;
          return aPast ? b.start!.getTime() - a.start!.getTime() : a.start!.getTime() - b.start!.getTime();
        }
      : byReaderLanguageThenDate(query.language ?? readerLang),
  );
  const facets: ListPage['facets'] = {};
  const searched = shown.filter((card) => matchesText(card, query.q));
  for (const name of section.filters) {
    const counts = new Map<string, number>();
    for (const card of shown) for (const value of valuesOf(card, name, now)) counts.set(value, 0);
    for (const card of searched) {
      if (!matches(card, filters, now, name)) continue;
      for (const value of new Set(valuesOf(card, name, now))) counts.set(value, (counts.get(value) ?? 0) + 1);
    }
    const current = filters.find(([filter]) => filter === name)?.[1];
    if (current !== undefined && !counts.has(current)) counts.set(current, 0);
    facets[name] = [...counts].map(([value, count]) => ({ value, count }));
  }
  return { cards: matching.slice((query.page - 1) * PAGE_SIZE, query.page * PAGE_SIZE), total: matching.length, page: query.page, pages: Math.max(1, Math.ceil(matching.length / PAGE_SIZE)), facets };
}

/** Queries covering each filter's values alone and in pairs, the text search, and pages. */
function queriesFor(section: Section, items: KnowledgeItem[]): ListQuery[] {
  const valuesByFilter = new Map<FilterName, string[]>();
  for (const name of section.filters) {
    const values = new Set<string>();
    for (const item of items) for (const lang of LANGS) for (const value of valuesOf(toCard(item, lang), name, NOW)) values.add(value);
    valuesByFilter.set(name, [...values].slice(0, 6));
  }
  const typed = (name: FilterName, value: string) => ({ [name]: name === 'year' ? Number(value) : value }) as Partial<ListQuery>;
  const queries: ListQuery[] = [{ page: 1 }, { page: 2 }, { page: 99 }, { page: 1, q: 'WATER' }, { page: 1, q: 'portal roads' }, { page: 1, q: 'nothing like this' }];
  for (const [name, values] of valuesByFilter) {
    for (const [position, value] of values.entries()) {
      queries.push({ page: 1, ...typed(name, value) }, { page: 2, ...typed(name, value), q: 'water' });
      if (position < 2) for (const [other, otherValues] of valuesByFilter) if (other !== name) queries.push({ page: 1, ...typed(name, value), ...typed(other, otherValues[position] ?? otherValues[0]!) });
    }
  }
  // A value no item has: its count is shown as 0.
  queries.push({ page: 1, topic: 'no-such-topic' });
  return queries;
}

describe('a knowledge list over content files and portal items', () => {
  it.each(['news', 'resources', 'events'] as const)('%s: the same cards, totals, pages and counts as every card computed on each request', async (collection: SectionCollection) => {
    const section = SECTIONS[collection];
    const items = await loadItems(collection, db);
    expect(items.filter((item) => item.source === 'portal')).toHaveLength(PORTAL);
    expect(items.filter((item) => item.source === 'file')).toHaveLength(FILES);
    const queries = queriesFor(section, items);
    expect(queries.length).toBeGreaterThan(30);
    for (const lang of LANGS) {
      for (const query of queries) {
        const expected = referencePage(items, section, query, lang, NOW);
        const page = await listPage(section, query, lang, NOW, db);
        expect({ ...page, cards: page.cards.map((card) => card.href + card.lang) }, `${lang} ${JSON.stringify(query)}`).toEqual({ ...expected, cards: expected.cards.map((card) => card.href + card.lang) });
        expect(page.total, `${lang} ${JSON.stringify(query)}`).toBe(expected.total);
      }
    }
  });

  it('a publication and a withdrawal show in the list, its counts and the home page at the next request', async () => {
    const section = SECTIONS.news;
    const before = await listPage(section, { page: 1 }, 'ru', NOW, db);
    const topicCount = (page: ListPage, topic: string) => page.facets.topic!.find((facet) => facet.value === topic)?.count ?? 0;
    const itemsBefore = await loadItems('news', db);
    const id = await publish('news', 500);
    const itemsAfter = await loadItems('news', db);
    expect(itemsAfter).not.toBe(itemsBefore);
    // Only the new text is read and parsed: every other item is the same object, so its card is kept too.
    const bySlug = new Map(itemsAfter.map((item) => [item.slug, item]));
    for (const item of itemsBefore) expect(bySlug.get(item.slug), item.slug).toBe(item);
    const newest = itemsAfter.find((item) => item.slug === 'portal-news-500')!;
    const card = toCard(newest, 'ru');
    const published = await listPage(section, { page: 1 }, 'ru', NOW, db);
    expect(published.total).toBe(before.total + 1);
    for (const topic of card.topics) expect(topicCount(published, topic)).toBe(topicCount(before, topic) + 1);
    const filtered = await listPage(section, { page: 1, topic: card.topics[0]! }, 'ru', NOW, db);
    expect(filtered.cards.map((shown) => shown.slug)).toContain('portal-news-500');
    expect((await homePage(db, 'ru', NOW)).news.map((shown) => shown.slug)).toContain('portal-news-500');

    await db.transaction().execute(async (trx) => {
      await trx.updateTable('editorial_items').set({ state: 'withdrawn', is_public: 0, withdrawn_at: Math.floor(NOW.getTime() / 1000) }).where('id', '=', id).execute();
      await recordChange(trx, 'editorial');
    });
    const withdrawn = await listPage(section, { page: 1 }, 'ru', NOW, db);
    expect(withdrawn.total).toBe(before.total);
    expect(withdrawn.facets).toEqual(before.facets);
    expect((await listPage(section, { page: 1, topic: card.topics[0]! }, 'ru', NOW, db)).cards.map((shown) => shown.slug)).not.toContain('portal-news-500');
    expect((await homePage(db, 'ru', NOW)).news.map((shown) => shown.slug)).not.toContain('portal-news-500');
  });
});
