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
  /** The same, each with what ranked it. */
  ranked(of: RelatedTo, limit: number, exclude?: ReadonlySet<string>): RankedItem[];
}

/** A related item and what ranked it: the reader's language, then score, then date, then position. */
export interface RankedItem {
  item: KnowledgeItem;
  collection: SectionCollection;
  inReaderLanguage: boolean;
  /** One per shared topic, two for the same town. */
  score: number;
  /** The date of the version the reader is shown, in milliseconds. */
  date: number;
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

function push<K>(map: Map<K, number[]>, key: K, position: number) {
  const list = map.get(key);
  if (list) list.push(position);
  else map.set(key, [position]);
}

/** Builds the index of every item of `collections` (in the order given) for readers of `lang`. */
export function buildRelatedIndex(collections: ReadonlyArray<readonly [SectionCollection, readonly KnowledgeItem[]]>, lang: Language): RelatedIndex {
  const indexed: Indexed[] = [];
  const topicLists = new Map<string, number[]>();
  const townLists = new Map<string, number[]>();
  for (const [collection, items] of collections) {
    for (const item of items) {
      const shown = shownData(item, lang);
      const position = indexed.length;
      indexed.push({ collection, item, inReaderLanguage: shown.lang === lang, date: shown.data.date.getTime(), position });
      for (const topic of new Set(shown.data.topics)) push(topicLists, topic, position);
      if (shown.data.town) push(townLists, shown.data.town, position);
    }
  }
  // What ranking reads, by position, in typed arrays: ranking every page of a large site
  // (and each item page of 10,000 portal items sharing four topics) is the loop below.
  const count = indexed.length;
  const inReaderLanguage = Uint8Array.from(indexed, (entry) => (entry.inReaderLanguage ? 1 : 0));
  const dates = Float64Array.from(indexed, (entry) => entry.date);
  /** Whether the item at `a` comes before the one at `b` (reader's language, then score, then newest, then position). */
  const before = (a: number, aScore: number, b: number, bScore: number): boolean => {
    if (inReaderLanguage[a] !== inReaderLanguage[b]) return inReaderLanguage[a] === 1;
    if (aScore !== bScore) return aScore > bScore;
    if (dates[a] !== dates[b]) return dates[a]! > dates[b]!;
    return a < b;
  };
  // Each list in ranking order among equal scores, so an item sharing one topic (or only a
  // town) with nothing else to add reads just the head of its list.
  const sorted = (lists: Map<string, number[]>) =>
    new Map([...lists].map(([key, positions]) => [key, Int32Array.from(positions.sort((a, b) => (before(a, 1, b, 1) ? -1 : before(b, 1, a, 1) ? 1 : 0)))]));
  const byTopic = sorted(topicLists);
  const byTown = sorted(townLists);
  const scores = new Int32Array(count);
  const touched = new Int32Array(count);

  const ranked = (of: RelatedTo, limit: number, exclude: ReadonlySet<string> = new Set()): RankedItem[] => {
    if (limit <= 0) return [];
    const lists: Array<{ positions: Int32Array; points: number }> = [];
    for (const topic of new Set(of.topics)) {
      const positions = byTopic.get(topic);
      if (positions) lists.push({ positions, points: 1 });
    }
    const town = of.town === undefined ? undefined : byTown.get(of.town);
    if (town) lists.push({ positions: town, points: 2 });
    const best: Array<{ position: number; score: number }> = [];
    const offer = (position: number, score: number): boolean => {
      if (best.length === limit && !before(position, score, best[limit - 1]!.position, best[limit - 1]!.score)) return false;
      const other = indexed[position]!;
      if (other.collection === of.collection && other.item.slug === of.slug) return true;
      if (exclude.size > 0 && exclude.has(`${other.collection}/${other.item.slug}`)) return true;
      let at = best.length;
      while (at > 0 && before(position, score, best[at - 1]!.position, best[at - 1]!.score)) at -= 1;
      best.splice(at, 0, { position, score });
      if (best.length > limit) best.pop();
      return true;
    };
    if (lists.length === 1) {
      // Every candidate scores the same: the list's own order is the ranking.
      const { positions, points } = lists[0]!;
      for (let i = 0; i < positions.length && offer(positions[i]!, points); i++);
    } else {
      let n = 0;
      for (const { positions, points } of lists) {
        for (let i = 0; i < positions.length; i++) {
          const position = positions[i]!;
          if (scores[position] === 0) touched[n++] = position;
          scores[position]! += points;
        }
      }
      for (let i = 0; i < n; i++) {
        const position = touched[i]!;
        const score = scores[position]!;
        scores[position] = 0;
        offer(position, score);
      }
    }
    return best.map(({ position, score }) => {
      const entry = indexed[position]!;
      return { item: entry.item, collection: entry.collection, inReaderLanguage: entry.inReaderLanguage, score, date: entry.date };
    });
  };
  return {
    ranked,
    related: (of, limit, exclude) => ranked(of, limit, exclude).map((entry) => entry.item),
  };
}
