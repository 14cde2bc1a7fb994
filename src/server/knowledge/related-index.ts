import type { Language } from '~/i18n/languages.ts';
import type { SectionCollection } from '~/lib/knowledge/sections.ts';
import type { KnowledgeItem } from './items.ts';

/**
 * Items sharing a topic or a town, found through an index built once per set of items
 * and reader language, instead of scanning and sorting every item for every page (which
 * made a build of N documents cost N² comparisons).
 *
 * The order is the one readers were promised: items with a version in the reader's
 * language first, then the most shared (one per topic, two for the same town), then the
 * newest; ties keep the order of the collections and of the items within them.
 */
export interface RelatedIndex {
  /** Up to `limit` items related to `of` (never itself), best first, leaving out those in `exclude` (`collection/slug`). */
  related(of: RelatedTo, limit: number, exclude?: ReadonlySet<string>): KnowledgeItem[];
}

/** The item whose related items are wanted: what the reader is shown of it. */
export interface RelatedTo {
  collection: SectionCollection;
  slug: string;
  topics: readonly string[];
  town?: string | undefined;
}

interface Indexed {
  collection: SectionCollection;
  item: KnowledgeItem;
  /** Whether the reader reads the item in their own language. */
  inReaderLanguage: boolean;
  /** The date of the version the reader is shown, in milliseconds. */
  date: number;
  /** Position in the collections' order, for ties. */
  position: number;
}

/** The version a reader of `lang` is shown: theirs, else the first written. */
function shownData(item: KnowledgeItem, lang: Language) {
  const chosen = item.versions[lang] ? lang : item.languages[0]!;
  return { data: item.versions[chosen]!.data as { topics: string[]; date: Date; town?: string }, lang: chosen };
}

function push<K>(map: Map<K, Indexed[]>, key: K, value: Indexed) {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** Whether `a` comes before `b` (reader's language, then score, then newest, then position). */
function before(a: Indexed, aScore: number, b: Indexed, bScore: number): boolean {
  if (a.inReaderLanguage !== b.inReaderLanguage) return a.inReaderLanguage;
  if (aScore !== bScore) return aScore > bScore;
  if (a.date !== b.date) return a.date > b.date;
  return a.position < b.position;
}

/** Builds the index of every item of `collections` (in the order given) for readers of `lang`. */
export function buildRelatedIndex(collections: ReadonlyArray<readonly [SectionCollection, readonly KnowledgeItem[]]>, lang: Language): RelatedIndex {
  const byTopic = new Map<string, Indexed[]>();
  const byTown = new Map<string, Indexed[]>();
  let position = 0;
  for (const [collection, items] of collections) {
    for (const item of items) {
      const shown = shownData(item, lang);
      const indexed: Indexed = { collection, item, inReaderLanguage: shown.lang === lang, date: shown.data.date.getTime(), position: position++ };
      for (const topic of new Set(shown.data.topics)) push(byTopic, topic, indexed);
      if (shown.data.town) push(byTown, shown.data.town, indexed);
    }
  }

  return {
    related(of, limit, exclude = new Set()) {
      if (limit <= 0) return [];
      const scores = new Map<Indexed, number>();
      const add = (list: Indexed[] | undefined, points: number) => {
        for (const other of list ?? []) scores.set(other, (scores.get(other) ?? 0) + points);
      };
      for (const topic of new Set(of.topics)) add(byTopic.get(topic), 1);
      if (of.town) add(byTown.get(of.town), 2);
      // The best `limit`, kept sorted in a short array: no sort of every candidate.
      const best: Array<{ indexed: Indexed; score: number }> = [];
      for (const [other, score] of scores) {
        if (other.collection === of.collection && other.item.slug === of.slug) continue;
        // (Most items name no related items: no key is made per candidate then.)
        if (exclude.size > 0 && exclude.has(`${other.collection}/${other.item.slug}`)) continue;
        if (best.length === limit && !before(other, score, best[limit - 1]!.indexed, best[limit - 1]!.score)) continue;
        let at = best.length;
        while (at > 0 && before(other, score, best[at - 1]!.indexed, best[at - 1]!.score)) at -= 1;
        best.splice(at, 0, { indexed: other, score });
        if (best.length > limit) best.pop();
      }
      return best.map((entry) => entry.indexed.item);
    },
  };
}
