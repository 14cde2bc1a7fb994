import type { Kysely } from 'kysely';
import { LANGUAGES, type Language } from '~/i18n/index.ts';
import { changeSerials, keptUntilChanged, stampOf } from '~/server/cache/changes.ts';
import type { Database } from '~/server/db/schema.ts';
import { log } from '~/server/log.ts';
import { itemHref, loadFileItems, loadItems, relatedItems, relatedSource, type KnowledgeItem, type RelatedSource } from './items.ts';
import { LIVE_RELATED_AREAS, type LiveRelatedPages } from './live-related-pages.ts';
import { SECTIONS, type SectionCollection } from '~/lib/knowledge/sections.ts';

/**
 * The collections whose file items are prerendered (`src/pages/[lang]/<section>/[...slug].astro`);
 * cases are rendered on demand, member towns' cases beside them.
 */
export const PRERENDERED_ITEM_COLLECTIONS = ['resources', 'programmes', 'news', 'events'] as const satisfies readonly SectionCollection[];

/**
 * The prerendered item pages (`/<lang>/<section>/<slug>/`, each file item in each language
 * it is written in) whose related items, chosen with the database, include an item that
 * is not a file: a published portal item or a member town's case, ranked among the best or
 * named in `related:`. Every other page's related items are the build's: items from the
 * database are appended after the files of their collection (`loadItems`), so the files
 * keep their order and ties between them break as at build time.
 *
 * Only pages sharing a topic or a town with an item from the database, or naming one, can
 * be affected, so only those are ranked.
 */
export function affectedItemPages(
  prerendered: ReadonlyArray<readonly [SectionCollection, readonly KnowledgeItem[]]>,
  sources: Readonly<Record<Language, RelatedSource>>,
  fromDatabase: readonly KnowledgeItem[],
): Set<string> {
  const affected = new Set<string>();
  if (fromDatabase.length === 0) return affected;
  const topics = new Set<string>();
  const towns = new Set<string>();
  const named = new Set<string>();
  for (const item of fromDatabase) {
    named.add(`${item.collection}/${item.slug}`);
    for (const entry of Object.values(item.versions)) {
      const data = entry.data as { topics: string[]; town?: string };
      for (const topic of data.topics) topics.add(topic);
      if (data.town) towns.add(data.town);
    }
  }
  for (const [collection, items] of prerendered) {
    for (const item of items) {
      for (const lang of item.languages) {
        const entry = item.versions[lang]!;
        const data = entry.data as { topics: string[]; town?: string; related?: string[] };
        const reachable =
          data.topics.some((topic) => topics.has(topic)) || (data.town !== undefined && towns.has(data.town)) || (data.related ?? []).some((reference) => named.has(reference));
        if (!reachable) continue;
        if (relatedItems(sources[lang], entry, collection).some((other) => other.source !== 'file')) affected.add(itemHref(collection, item.slug, lang));
      }
    }
  }
  return affected;
}

/** The set, read once per change of what it depends on (not on each view). */
const kept = keptUntilChanged(LIVE_RELATED_AREAS, async (db): Promise<LiveRelatedPages> => {
  // Read before the items, so the set is never older than its stamp.
  const stamp = stampOf(await changeSerials(db), LIVE_RELATED_AREAS);
  const started = performance.now();
  const prerendered = await Promise.all(PRERENDERED_ITEM_COLLECTIONS.map(async (collection) => [collection, await loadFileItems(collection)] as const));
  const sourceList = await Promise.all(LANGUAGES.map((lang) => relatedSource(lang, db)));
  const sources = Object.fromEntries(LANGUAGES.map((lang, index) => [lang, sourceList[index]!])) as Record<Language, RelatedSource>;
  const fromDatabase = await itemsFromDatabase(db);
  const affected = affectedItemPages(prerendered, sources, fromDatabase);
  log.info('prerendered item pages with related items from the database', { stamp, pages: affected.size, fromDatabase: fromDatabase.length, ms: Math.round(performance.now() - started) });
  return { stamp, affected };
});

/** Which prerendered item pages the database's items change, with the counters they were read at. */
export function liveRelatedPages(db: Kysely<Database>): Promise<LiveRelatedPages> {
  return kept.get(db);
}

/** The published portal items and member towns' cases, as items. */
async function itemsFromDatabase(db: Kysely<Database>): Promise<KnowledgeItem[]> {
  const collections = Object.keys(SECTIONS) as SectionCollection[];
  const lists = await Promise.all(collections.map((collection) => loadItems(collection, db)));
  return lists.flat().filter((item) => item.source !== 'file');
}
