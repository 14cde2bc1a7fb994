import type { Kysely } from 'kysely';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { LANGUAGES, type Language } from '~/i18n/index.ts';
import { changeSerials, keptUntilChanged, stampOf } from '~/server/cache/changes.ts';
import type { Database } from '~/server/db/schema.ts';
import { log } from '~/server/log.ts';
import { itemHref, loadFileItems, loadItems, relatedSource, type KnowledgeItem, type RelatedSource } from './items.ts';
import { buildRelatedIndex, type RankedItem, type RelatedIndex } from './related-index.ts';
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
 * is not a file: a published portal item or a member town's case, named in `related:` or
 * ranked among the best. Every other page's related items are the build's: items from the
 * database come after the files of their collection (`loadItems`), so the files keep their
 * order and ties between them break as at build time.
 *
 * Without ranking every page again: an item from the database joins a page's list exactly
 * when the best of them for that page (ranked in an index of the database's items alone)
 * comes before the last file item the page lists by rank, or the page lists fewer than it
 * may. The file items' lists never change while the process runs, so their last ranked
 * item is worked out once per page (`FileRanks`) and a change costs one small ranking per
 * page that shares a topic or a town with an item from the database.
 */
export function affectedItemPages(input: AffectedInput): Set<string> {
  const steps = affectedSteps(input);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/**
 * `affectedItemPages` computed in slices of about `sliceMs` of CPU, handing the event loop
 * back between them (setImmediate), so a process computing the set for 10,000 file items
 * (about 2.5 s) goes on answering requests meanwhile.
 */
export async function affectedItemPagesInSlices(input: AffectedInput, sliceMs = 10): Promise<Set<string>> {
  const steps = affectedSteps(input);
  let sliceStart = performance.now();
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
    if (performance.now() - sliceStart >= sliceMs) {
      await nextTurn();
      sliceStart = performance.now();
    }
  }
}

/** What `affectedItemPages` reads. */
export interface AffectedInput {
  prerendered: ReadonlyArray<readonly [SectionCollection, readonly KnowledgeItem[]]>;
  /** Related-items sources of the files alone, per reader language. */
  files: Readonly<Record<Language, RelatedSource>>;
  /** Related-items sources with the database, per reader language. */
  withDatabase: Readonly<Record<Language, RelatedSource>>;
  /** The published portal items and member cases. */
  fromDatabase: readonly KnowledgeItem[];
  /** What is kept of the files' lists between calls (for the same `files`). */
  fileRanks?: FileRanks;
  limit?: number;
}

/** The work of `affectedItemPages`, pausing (yielding) after each file item; returns the set. */
function* affectedSteps(input: AffectedInput): Generator<void, Set<string>, void> {
  const { prerendered, files, withDatabase, fromDatabase } = input;
  const limit = input.limit ?? 4;
  const fileRanks = input.fileRanks ?? new FileRanks();
  const affected = new Set<string>();
  if (fromDatabase.length === 0) return affected;

  const order = new Map(SECTION_ORDER.map((collection, position) => [collection, position]));
  const databaseLists = SECTION_ORDER.map((collection) => [collection, fromDatabase.filter((item) => item.collection === collection)] as const);
  const databaseIndexes = Object.fromEntries(LANGUAGES.map((lang) => [lang, buildRelatedIndex(databaseLists, lang)])) as Record<Language, RelatedIndex>;
  const topics = new Set<string>();
  const towns = new Set<string>();
  for (const item of fromDatabase) {
    for (const entry of Object.values(item.versions)) {
      const data = entry.data as { topics: string[]; town?: string };
      for (const topic of data.topics) topics.add(topic);
      if (data.town) towns.add(data.town);
    }
  }

  for (const [collection, items] of prerendered) {
    for (const item of items) {
      yield;
      for (const lang of item.languages) {
        const entry = item.versions[lang]!;
        const data = entry.data as { topics: string[]; town?: string; related?: string[] };
        const named: KnowledgeItem[] = [];
        for (const reference of data.related ?? []) {
          const [otherCollection, otherSlug = ''] = reference.split('/') as [SectionCollection, string];
          const found = withDatabase[lang].find(otherCollection, otherSlug);
          if (found) named.push(found);
        }
        const path = itemHref(collection, item.slug, lang);
        if (named.some((other) => other.source !== 'file')) {
          affected.add(path);
          continue;
        }
        const ranks = limit - named.length;
        if (ranks <= 0) continue;
        if (!data.topics.some((topic) => topics.has(topic)) && !(data.town !== undefined && towns.has(data.town))) continue;
        const of = { collection, slug: item.slug, topics: data.topics, town: data.town };
        const exclude = new Set(named.map((other) => `${other.collection}/${other.slug}`));
        const best = databaseIndexes[lang].ranked(of, 1, exclude)[0];
        if (!best) continue;
        const last = fileRanks.last(entry, () => {
          const ranked = files[lang].index.ranked(of, ranks, exclude);
          return ranked.length < ranks ? null : ranked[ranks - 1]!;
        });
        if (last === null || comesBefore(best, last, order)) affected.add(path);
      }
    }
  }
  return affected;
}

/** The collections in the order related items break ties (the index's order). */
const SECTION_ORDER = Object.keys(SECTIONS) as SectionCollection[];

/**
 * Whether an item from the database comes before a file item in a page's related items:
 * by the index's order, where the database's items of a collection follow its files.
 */
function comesBefore(fromDatabase: RankedItem, file: RankedItem, order: ReadonlyMap<SectionCollection, number>): boolean {
  if (fromDatabase.inReaderLanguage !== file.inReaderLanguage) return fromDatabase.inReaderLanguage;
  if (fromDatabase.score !== file.score) return fromDatabase.score > file.score;
  if (fromDatabase.date !== file.date) return fromDatabase.date > file.date;
  return order.get(fromDatabase.collection)! < order.get(file.collection)!;
}

/**
 * The last file item each page's list shows by rank (null: it shows fewer than it may),
 * per version of a file item; files do not change while the process runs.
 */
export class FileRanks {
  readonly #kept = new WeakMap<object, RankedItem | null>();
  last(entry: object, rank: () => RankedItem | null): RankedItem | null {
    if (this.#kept.has(entry)) return this.#kept.get(entry)!;
    const value = rank();
    this.#kept.set(entry, value);
    return value;
  }
}

const fileRanks = new FileRanks();

/** The set, read once per change of what it depends on (not on each view). */
const kept = keptUntilChanged(LIVE_RELATED_AREAS, async (db): Promise<LiveRelatedPages> => {
  // Read before the items, so the set is never older than its stamp.
  const stamp = stampOf(await changeSerials(db), LIVE_RELATED_AREAS);
  const started = performance.now();
  const prerendered = await Promise.all(PRERENDERED_ITEM_COLLECTIONS.map(async (collection) => [collection, await loadFileItems(collection)] as const));
  // One language's index at a time (each a synchronous build over every item), handing the
  // event loop back between them, as the set itself is computed in slices.
  const sources = async (database?: Kysely<Database>) => {
    const list: RelatedSource[] = [];
    for (const lang of LANGUAGES) {
      list.push(await relatedSource(lang, database));
      await nextTurn();
    }
    return Object.fromEntries(LANGUAGES.map((lang, index) => [lang, list[index]!])) as Record<Language, RelatedSource>;
  };
  const fromDatabase = await itemsFromDatabase(db);
  const affected = await affectedItemPagesInSlices({ prerendered, files: await sources(), withDatabase: await sources(db), fromDatabase, fileRanks });
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
