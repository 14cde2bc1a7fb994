import { getCollection, type CollectionEntry } from 'astro:content';
import { LANGUAGES, isLanguage, type Language } from '../../i18n/index.ts';
import { SECTIONS, type SectionCollection } from './sections.ts';

/** An entry of any knowledge-centre collection. */
export type KnowledgeEntry = CollectionEntry<SectionCollection>;

/** One item: the same slug in one or more languages. */
export interface KnowledgeItem {
  collection: SectionCollection;
  slug: string;
  /** The languages the item is written in, in the portal's language order. */
  languages: Language[];
  versions: Partial<Record<Language, KnowledgeEntry>>;
}

/** The shape every list, feed and card uses, whichever collection an item is from. */
export interface ItemCard {
  collection: SectionCollection;
  slug: string;
  href: string;
  /** The language of the version shown (the reader's when it exists). */
  lang: Language;
  languages: Language[];
  title: string;
  summary: string;
  date: Date;
  topics: string[];
  featured: boolean;
  type?: string;
  town?: string;
  region?: string;
  illustrative?: boolean;
  deadline?: Date;
  start?: Date;
  end?: Date;
}

/** Splits an entry id `<lang>/<slug>`. */
export function parseEntryId(id: string): { lang: Language; slug: string } {
  const [lang, slug] = id.split('/');
  if (!isLanguage(lang) || !slug) throw new Error(`Content id "${id}" is not <lang>/<slug>`);
  return { lang, slug };
}

/** The page of an item in a language (which may say the item is not written in it). */
export function itemHref(collection: SectionCollection, slug: string, lang: Language): string {
  return `/${lang}/${SECTIONS[collection].path}/${slug}/`;
}

const cache = new Map<SectionCollection, Promise<KnowledgeItem[]>>();

/** All items of a collection, grouped across languages. Content does not change while the server runs. */
export function loadItems(collection: SectionCollection): Promise<KnowledgeItem[]> {
  let items = cache.get(collection);
  if (!items) {
    items = getCollection(collection).then((entries) => groupBySlug(collection, entries as KnowledgeEntry[]));
    cache.set(collection, items);
  }
  return items;
}

function groupBySlug(collection: SectionCollection, entries: KnowledgeEntry[]): KnowledgeItem[] {
  const bySlug = new Map<string, KnowledgeItem>();
  for (const entry of entries) {
    const { lang, slug } = parseEntryId(entry.id);
    const item = bySlug.get(slug) ?? { collection, slug, languages: [], versions: {} };
    item.versions[lang] = entry;
    bySlug.set(slug, item);
  }
  for (const item of bySlug.values()) item.languages = LANGUAGES.filter((lang) => item.versions[lang]);
  return [...bySlug.values()];
}

/** The version a reader of `lang` sees: their own, else the first that exists. */
export function versionFor(item: KnowledgeItem, lang: Language): { entry: KnowledgeEntry; lang: Language } {
  const chosen = item.versions[lang] ? lang : item.languages[0]!;
  return { entry: item.versions[chosen]!, lang: chosen };
}

/** An item as a card for a reader of `readerLang`. */
export function toCard(item: KnowledgeItem, readerLang: Language): ItemCard {
  const { entry, lang } = versionFor(item, readerLang);
  const data = entry.data as Record<string, unknown> & KnowledgeEntry['data'];
  return {
    collection: item.collection,
    slug: item.slug,
    href: itemHref(item.collection, item.slug, lang),
    lang,
    languages: item.languages,
    title: data.title,
    summary: data.summary,
    date: data.date,
    topics: data.topics,
    featured: data.featured,
    type: data.type as string | undefined,
    town: data.town as string | undefined,
    region: data.region as string | undefined,
    illustrative: data.illustrative as boolean | undefined,
    deadline: data.deadline as Date | undefined,
    start: data.start as Date | undefined,
    end: data.end as Date | undefined,
  };
}

/** Newest first; for a reader, items in their language before the others. */
export function byReaderLanguageThenDate(readerLang: Language) {
  return (a: ItemCard, b: ItemCard) => Number(b.lang === readerLang) - Number(a.lang === readerLang) || b.date.getTime() - a.date.getTime();
}

/** The related items an entry names (collection/slug), as cards; unknown ones are skipped. */
export async function relatedCards(entry: KnowledgeEntry, collection: SectionCollection, readerLang: Language, limit = 4): Promise<ItemCard[]> {
  const { slug } = parseEntryId(entry.id);
  const named = (entry.data.related ?? []).map((reference) => reference.split('/') as [SectionCollection, string]);
  const cards: ItemCard[] = [];
  for (const [otherCollection, otherSlug] of named) {
    const item = (await loadItems(otherCollection)).find((candidate) => candidate.slug === otherSlug);
    if (item) cards.push(toCard(item, readerLang));
  }
  // Then items sharing a topic or a town, most shared first.
  const topics = new Set(entry.data.topics);
  const town = (entry.data as { town?: string }).town;
  const candidates: Array<{ card: ItemCard; score: number }> = [];
  for (const other of Object.keys(SECTIONS) as SectionCollection[]) {
    for (const item of await loadItems(other)) {
      if (other === collection && item.slug === slug) continue;
      if (cards.some((card) => card.collection === other && card.slug === item.slug)) continue;
      const card = toCard(item, readerLang);
      const score = card.topics.filter((topic) => topics.has(topic)).length + (town && card.town === town ? 2 : 0);
      if (score > 0) candidates.push({ card, score });
    }
  }
  // The reader's language first, then the most shared, then the newest.
  candidates.sort(
    (a, b) =>
      Number(b.card.lang === readerLang) - Number(a.card.lang === readerLang) || b.score - a.score || b.card.date.getTime() - a.card.date.getTime(),
  );
  return [...cards, ...candidates.map((candidate) => candidate.card)].slice(0, Math.max(limit, cards.length));
}
