import { describe, expect, it, vi } from 'vitest';
import { LANGUAGES, type Language } from '~/i18n/languages.ts';
import type { SectionCollection } from '~/lib/knowledge/sections.ts';
import { itemPageAddresses } from '~/node/live-related.ts';
import { relatedItems, relatedSourceOf, type KnowledgeItem, type RelatedSource } from '~/server/knowledge/items.ts';
import { affectedItemPages, affectedItemPagesInSlices, FileRanks, PRERENDERED_ITEM_COLLECTIONS } from '~/server/knowledge/live-related.ts';

// Only built lists are used here; astro:content exists only inside Astro.
vi.mock('astro:content', () => ({ getCollection: async () => [] }));

/**
 * src/server/knowledge/live-related.ts: which prerendered file item pages get related items
 * from the database (portal items, member cases), so the Node entry renders those and
 * serves every other from memory.
 */
type Source = KnowledgeItem['source'];
interface Data {
  topics: string[];
  date: string;
  town?: string;
  related?: string[];
}

function item(collection: SectionCollection, slug: string, languages: Language[], data: Data, source: Source = 'file'): KnowledgeItem {
  const versions: KnowledgeItem['versions'] = {};
  for (const lang of languages) {
    const entry = { id: `${lang}/${slug}`, collection, data: { title: slug, summary: slug, featured: false, related: [], ...data, date: new Date(data.date) } };
    versions[lang] = (source === 'portal' ? { ...entry, portal: {} } : source === 'member' ? { ...entry, member: {} } : entry) as never;
  }
  return { collection, slug, source, languages, versions };
}

const ORDER: SectionCollection[] = ['resources', 'cases', 'programmes', 'news', 'events'];
type Lists = Partial<Record<SectionCollection, KnowledgeItem[]>>;

/** As loadItems merges them: each collection's files, then its items from the database. */
function sources(files: Lists, fromDatabase: KnowledgeItem[]): Record<Language, RelatedSource> {
  const lists = ORDER.map((collection) => [collection, [...(files[collection] ?? []), ...fromDatabase.filter((other) => other.collection === collection)]] as const);
  return Object.fromEntries(LANGUAGES.map((lang) => [lang, relatedSourceOf(lists, lang)])) as Record<Language, RelatedSource>;
}

function affected(files: Lists, fromDatabase: KnowledgeItem[]): Set<string> {
  const prerendered = PRERENDERED_ITEM_COLLECTIONS.map((collection) => [collection, files[collection] ?? []] as const);
  return affectedItemPages({ prerendered, files: sources(files, []), withDatabase: sources(files, fromDatabase), fromDatabase });
}

describe('the prerendered item pages the database changes', () => {
  const files: Lists = {
    news: [
      item('news', 'water-tariffs', ['en', 'ru'], { topics: ['utilities-housing'], date: '2025-03-01' }),
      item('news', 'youth-forum', ['en'], { topics: ['youth-skills'], date: '2025-04-01' }),
      item('news', 'names-a-case', ['en'], { topics: ['culture'], date: '2025-04-01', related: ['cases/ridder-heat'] }),
    ],
    resources: [item('resources', 'heating-guide', ['ru'], { topics: ['utilities-housing'], date: '2024-01-01' })],
  };

  it('none without items from the database', () => {
    expect(affected(files, [])).toEqual(new Set());
  });

  it('a portal item sharing a topic joins those pages, in the languages whose lists rank it', () => {
    const portal = item('news', 'new-tariff-rules', ['en'], { topics: ['utilities-housing'], date: '2026-11-01' }, 'portal');
    // The Russian pages list their Russian items first, but have fewer than four: it joins them too.
    expect(affected(files, [portal])).toEqual(new Set(['/en/news/water-tariffs/', '/ru/news/water-tariffs/', '/ru/resources/heating-guide/']));
  });

  it('a member case joins through a shared topic, or by being named in `related:`', () => {
    const member = item('cases', 'ridder-heat', ['en'], { topics: ['youth-skills'], date: '2026-10-01', town: 'ridder' }, 'member');
    expect(affected(files, [member])).toEqual(new Set(['/en/news/youth-forum/', '/en/news/names-a-case/']));
  });

  it('an item from the database that ranks below four files changes nothing', () => {
    const better = [1, 2, 3, 4].map((day) => item('resources', `guide-${day}`, ['en'], { topics: ['ecology', 'water'], date: `2026-0${day}-01` }));
    const page = item('news', 'river-clean-up', ['en'], { topics: ['ecology', 'water'], date: '2025-01-01' });
    const older = item('news', 'old-ecology-note', ['en'], { topics: ['ecology'], date: '2026-12-01' }, 'portal');
    expect(affected({ resources: better, news: [page] }, [older])).toEqual(new Set());
    // Sharing both topics it outranks the older guides.
    const strong = item('news', 'new-water-rules', ['en'], { topics: ['ecology', 'water'], date: '2026-12-01' }, 'portal');
    expect(affected({ resources: better, news: [page] }, [strong])).toEqual(new Set(['/en/news/river-clean-up/', ...better.map((guide) => `/en/resources/${guide.slug}/`)]));
  });

  it('case pages are not prerendered: a file case is never in the set', () => {
    const fileCase = item('cases', 'temirtau-lighting', ['en'], { topics: ['utilities-housing'], date: '2024-01-01' });
    const portal = item('news', 'new-tariff-rules', ['en'], { topics: ['utilities-housing'], date: '2026-11-01' }, 'portal');
    expect([...affected({ cases: [fileCase] }, [portal])]).toEqual([]);
  });

  it('every other page lists exactly what the build listed (many items, ties in dates, every language)', async () => {
    // A fixed pseudo-random set: 150 files and 30 items from the database over 16 topics and 3 towns.
    let seed = 7;
    // mulberry32: small, and good enough in its low bits.
    const next = (n: number) => {
      seed = (seed + 0x6d2b79f5) | 0;
      let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return (((t ^ (t >>> 14)) >>> 0) % n);
    };
    const topics = 'abcdefghijklmnop'.split('');
    const pick = () => [...new Set([topics[next(16)]!, ...(next(2) ? [topics[next(16)]!] : [])])];
    const languages = (): Language[] => LANGUAGES.filter(() => next(3) > 0);
    const make = (collection: SectionCollection, slug: string, source: Source) => {
      const langs = languages();
      return item(collection, slug, langs.length ? langs : ['kk'], { topics: pick(), date: `2025-0${1 + next(3)}-01`, ...(collection === 'cases' ? { town: ['ridder', 'temirtau', 'satpayev'][next(3)]! } : {}) }, source);
    };
    const files: Lists = {};
    for (let index = 0; index < 150; index += 1) {
      const collection = ORDER[next(5)]!;
      (files[collection] ??= []).push(make(collection, `file-${index}`, 'file'));
    }
    const fromDatabase = Array.from({ length: 30 }, (_, index) => {
      const collection = ORDER[next(5)]!;
      return make(collection, `db-${index}`, collection === 'cases' ? 'member' : 'portal');
    });
    const set = affected(files, fromDatabase);
    // What is kept of the files' lists serves the next change alike.
    const fileRanks = new FileRanks();
    const prerendered = PRERENDERED_ITEM_COLLECTIONS.map((collection) => [collection, files[collection] ?? []] as const);
    affectedItemPages({ prerendered, files: sources(files, []), withDatabase: sources(files, fromDatabase.slice(0, 5)), fromDatabase: fromDatabase.slice(0, 5), fileRanks });
    expect(affectedItemPages({ prerendered, files: sources(files, []), withDatabase: sources(files, fromDatabase), fromDatabase, fileRanks })).toEqual(set);
    const withDatabase = sources(files, fromDatabase);
    const buildTime = sources(files, []);
    let checked = 0;
    for (const collection of PRERENDERED_ITEM_COLLECTIONS) {
      for (const page of files[collection] ?? []) {
        for (const lang of page.languages) {
          const entry = page.versions[lang]!;
          const live = relatedItems(withDatabase[lang], entry, collection).map((other) => `${other.collection}/${other.slug}`);
          const built = relatedItems(buildTime[lang], entry, collection).map((other) => `${other.collection}/${other.slug}`);
          const path = `/${lang}/${collection === 'programmes' ? 'funding' : collection}/${page.slug}/`;
          if (set.has(path)) expect(live.some((key) => key.includes('/db-')), path).toBe(true);
          else expect(live, path).toEqual(built);
          checked += 1;
        }
      }
    }
    expect(checked).toBeGreaterThan(100);
    expect(set.size).toBeGreaterThan(20);
    expect(set.size).toBeLessThan(checked);

    // Computed in slices (as the server does, in the background), the same set, with the
    // event loop handed back between slices: other work runs before it is done.
    let otherWorkRan = false;
    setImmediate(() => (otherWorkRan = true));
    const sliced = affectedItemPagesInSlices({ prerendered, files: sources(files, []), withDatabase, fromDatabase }, 0).then((result) => ({ result, otherWorkRanFirst: otherWorkRan }));
    const { result, otherWorkRanFirst } = await sliced;
    expect(result).toEqual(set);
    expect(otherWorkRanFirst).toBe(true);
  });
});

describe('the Node entry finds prerendered item pages among the static files', () => {
  it('by each address of `/<lang>/<section>/<slug>/index.html`, to the canonical one; nothing else', () => {
    const pages = itemPageAddresses([
      ['/en/news/portal-launch/', '/en/news/portal-launch/index.html'],
      ['/en/news/portal-launch', '/en/news/portal-launch/index.html'],
      ['/en/news/portal-launch/index.html', '/en/news/portal-launch/index.html'],
      ['/kk/funding/monotown-grants/', '/kk/funding/monotown-grants/index.html'],
      ['/en/about/', '/en/about/index.html'],
      ['/en/news/', '/en/news/index.html'],
      ['/_astro/site.css', '/_astro/site.css'],
      ['/en/knowledge/topics/x/', '/en/knowledge/topics/x/index.html'],
    ]);
    expect(Object.fromEntries(pages)).toEqual({
      '/en/news/portal-launch/': '/en/news/portal-launch/',
      '/en/news/portal-launch': '/en/news/portal-launch/',
      '/en/news/portal-launch/index.html': '/en/news/portal-launch/',
      '/kk/funding/monotown-grants/': '/kk/funding/monotown-grants/',
    });
  });
});
