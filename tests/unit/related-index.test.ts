import { describe, expect, it } from 'vitest';
import { LANGUAGES, type Language } from '~/i18n/languages.ts';
import type { SectionCollection } from '~/lib/knowledge/sections.ts';
import type { KnowledgeItem } from '~/server/knowledge/items.ts';
import { buildRelatedIndex, type RelatedTo } from '~/server/knowledge/related-index.ts';

/** An item in `languages`, each version with these topics, date and town. */
function item(collection: SectionCollection, slug: string, languages: Language[], data: { topics: string[]; date: string; town?: string }): KnowledgeItem {
  const versions: KnowledgeItem['versions'] = {};
  for (const lang of languages) {
    versions[lang] = { id: `${lang}/${slug}`, collection, data: { title: slug, summary: slug, featured: false, related: [], ...data, date: new Date(data.date) } } as never;
  }
  return { collection, slug, source: 'file', languages, versions };
}

const ORDER: SectionCollection[] = ['resources', 'cases', 'news', 'events', 'programmes'];

/** The scan-and-sort the index replaces: every item scored and sorted, for every page. */
function scanAndSort(all: Array<[SectionCollection, KnowledgeItem[]]>, of: RelatedTo, lang: Language, limit: number): string[] {
  const candidates: Array<{ key: string; inLang: boolean; score: number; date: number }> = [];
  for (const [collection, items] of all) {
    for (const other of items) {
      if (collection === of.collection && other.slug === of.slug) continue;
      const shown = other.versions[lang] ? lang : other.languages[0]!;
      const data = other.versions[shown]!.data as { topics: string[]; date: Date; town?: string };
      const score = data.topics.filter((topic) => of.topics.includes(topic)).length + (of.town && data.town === of.town ? 2 : 0);
      if (score > 0) candidates.push({ key: `${collection}/${other.slug}`, inLang: shown === lang, score, date: data.date.getTime() });
    }
  }
  candidates.sort((a, b) => Number(b.inLang) - Number(a.inLang) || b.score - a.score || b.date - a.date);
  return candidates.slice(0, limit).map((candidate) => candidate.key);
}

describe('the related-items index', () => {
  const resources = [
    item('resources', 'heating-guide', ['en'], { topics: ['utilities-housing'], date: '2025-01-01' }),
    item('resources', 'water-guide', ['kk'], { topics: ['utilities-housing', 'ecology'], date: '2025-06-01' }),
    item('resources', 'youth-brief', ['en', 'ru'], { topics: ['youth-skills'], date: '2024-01-01' }),
  ];
  const cases = [item('cases', 'ridder-heating', ['ru'], { topics: ['utilities-housing'], date: '2023-01-01', town: 'ridder' })];
  const news = [item('news', 'ridder-news', ['en'], { topics: ['youth-skills'], date: '2026-01-01', town: 'ridder' })];
  const collections: Array<[SectionCollection, KnowledgeItem[]]> = [['resources', resources], ['cases', cases], ['news', news]];

  it('puts the reader’s language first, then the most shared, then the newest; never the item itself', () => {
    const index = buildRelatedIndex(collections, 'en');
    const of = { collection: 'resources' as const, slug: 'heating-guide', topics: ['utilities-housing'] };
    expect(index.related(of, 4).map((found) => found.slug)).toEqual(['water-guide', 'ridder-heating']);
    const ridder = { collection: 'cases' as const, slug: 'ridder-heating', topics: ['utilities-housing'], town: 'ridder' };
    // The English news item shares only the town (2 points) and comes first in English.
    expect(index.related(ridder, 4).map((found) => found.slug)).toEqual(['ridder-news', 'heating-guide', 'water-guide']);
  });

  it('leaves out the items named already, and gives at most `limit`', () => {
    const index = buildRelatedIndex(collections, 'en');
    const ridder = { collection: 'cases' as const, slug: 'ridder-heating', topics: ['utilities-housing'], town: 'ridder' };
    expect(index.related(ridder, 4, new Set(['news/ridder-news'])).map((found) => found.slug)).toEqual(['heating-guide', 'water-guide']);
    expect(index.related(ridder, 1).map((found) => found.slug)).toEqual(['ridder-news']);
    expect(index.related(ridder, 0)).toEqual([]);
  });

  it('finds what scanning and sorting every item finds, on many items in every language', () => {
    let state = 7;
    const next = () => (state = (state * 1664525 + 1013904223) >>> 0) / 2 ** 32;
    const topics = ['a', 'b', 'c', 'd', 'e', 'f'];
    const towns = ['ridder', 'temirtau', 'satpayev'];
    const all: Array<[SectionCollection, KnowledgeItem[]]> = ORDER.map((collection) => [
      collection,
      Array.from({ length: 120 }, (_, number) => {
        const languages = LANGUAGES.filter(() => next() < 0.5);
        return item(collection, `${collection}-${number}`, languages.length > 0 ? languages : ['ru'], {
          topics: [...new Set([topics[Math.floor(next() * 6)]!, topics[Math.floor(next() * 6)]!])],
          // Distinct dates, so the order has no ties left to chance.
          date: new Date(Date.UTC(2020, 0, 1) + number * 86_400_000 + ORDER.indexOf(collection) * 3_600_000).toISOString(),
          ...(next() < 0.3 ? { town: towns[Math.floor(next() * 3)]! } : {}),
        });
      }),
    ]);
    for (const lang of LANGUAGES) {
      const index = buildRelatedIndex(all, lang);
      for (const [collection, items] of all) {
        for (const subject of items.slice(0, 30)) {
          const shown = subject.versions[lang] ? lang : subject.languages[0]!;
          const data = subject.versions[shown]!.data as { topics: string[]; town?: string };
          const of = { collection, slug: subject.slug, topics: data.topics, town: data.town };
          const found = index.related(of, 4).map((other) => `${other.collection}/${other.slug}`);
          expect(found, `${lang} ${collection}/${subject.slug}`).toEqual(scanAndSort(all, of, lang, 4));
          // Leaving one out lets the fifth in; an item with only a town ranks by it alone.
          if (found[0]) expect(index.related(of, 4, new Set([found[0]])).map((other) => `${other.collection}/${other.slug}`)).toEqual(scanAndSort(all, of, lang, 5).slice(1));
          if (data.town) {
            const byTown = { ...of, topics: [] };
            expect(index.related(byTown, 4).map((other) => `${other.collection}/${other.slug}`)).toEqual(scanAndSort(all, byTown, lang, 4));
          }
        }
      }
    }
  });
});
