import { getCollection, type CollectionEntry } from 'astro:content';
import type { Kysely } from 'kysely';
import { LANGUAGES, isLanguage, type Language } from '~/i18n/index.ts';
import { SECTIONS, type SectionCollection } from '~/lib/knowledge/sections.ts';
import { keptPerObject } from '~/lib/kept-per-object.ts';
import { keptUntilChanged } from '~/server/cache/changes.ts';
import { publishedCases } from '~/server/cases/cases.ts';
import { caseText } from '~/server/cases/render.ts';
import type { CaseContent, MemberCase } from '~/server/cases/types.ts';
import type { Database } from '~/server/db/schema.ts';
import { isKnowledgeEditorialCollection, type KnowledgeEditorialCollection } from '~/lib/editorial/frontmatter.ts';
import { publishedPortalItems, type PublishedItem, type PublishedText } from '~/server/editorial/published.ts';
import { log } from '~/server/log.ts';
import { eventFormat, type EventFormat } from '~/lib/events/format.ts';
import { TOWN_REGIONS } from '~/schemas/taxonomy.ts';
import { buildRelatedIndex, type RelatedIndex } from './related-index.ts';

/** A file entry of any knowledge-centre collection (content/<collection>/<lang>/<slug>.md). */
export type FileEntry = CollectionEntry<SectionCollection>;

/**
 * A case a member town wrote and editors approved, shaped like a file case: the same
 * `data` (so facts, cards, filters and feeds read it alike), plus what only it has.
 */
export interface MemberEntry {
  id: string;
  collection: 'cases';
  data: CollectionEntry<'cases'>['data'];
  /** The six sections as markdown, one after another (for search). */
  body: string;
  member: {
    caseId: number;
    town: { slug: string; name: Record<Language, string> };
    /** The published text, rendered on the page with renderCaseBody (the one sanitiser). */
    content: CaseContent;
  };
}

/**
 * An item the association wrote in the portal (the editorial workspace) and published,
 * shaped like a file entry: the same `data` (parsed by the same schema), the markdown body.
 */
export interface PortalEntry {
  id: string;
  collection: KnowledgeEditorialCollection;
  data: CollectionEntry<KnowledgeEditorialCollection>['data'];
  body: string;
  portal: { itemId: number; text: PublishedText };
}

/** One language version of an item, from a file, a member town or the editorial workspace. */
export type KnowledgeEntry = FileEntry | MemberEntry | PortalEntry;

/** Whether a version is a member town's published case. */
export function isMemberEntry(entry: KnowledgeEntry): entry is MemberEntry {
  return 'member' in entry;
}

/** Whether a version was written and published in the portal's editorial workspace. */
export function isPortalEntry(entry: KnowledgeEntry): entry is PortalEntry {
  return 'portal' in entry;
}

/** One item: the same slug in one or more languages. */
export interface KnowledgeItem {
  collection: SectionCollection;
  slug: string;
  /** Where it comes from: a content file, a member town's published submission, or the editorial workspace. */
  source: 'file' | 'member' | 'portal';
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
  /** A case's town and region. */
  town?: string;
  region?: string;
  /** The towns an item concerns: a case's town, a resource's towns (none: every town). */
  towns: string[];
  /** The regions an item concerns: those named, and the regions of its towns. */
  regions: string[];
  /** The funding programmes a resource serves (slugs). */
  programmes: string[];
  illustrative?: boolean;
  deadline?: Date;
  start?: Date;
  end?: Date;
  /** How one takes part (events only). */
  format?: EventFormat;
  /** The member town that submitted it (member cases only). */
  submittedBy?: Record<Language, string>;
}

/** Splits an entry id `<lang>/<slug>`. */
export function parseEntryId(id: string): { lang: Language; slug: string } {
  const [lang, slug] = id.split('/');
  if (!isLanguage(lang) || !slug) throw new Error(`Content id "${id}" is not <lang>/<slug>`);
  return { lang, slug };
}

/** The page of an item in a reader's interface language (it shows another language's text, marked, when the item lacks the reader's). */
export function itemHref(collection: SectionCollection, slug: string, lang: Language): string {
  return `/${lang}/${SECTIONS[collection].path}/${slug}/`;
}

const cache = new Map<SectionCollection, Promise<KnowledgeItem[]>>();

/** The items written as content files, grouped across languages. Files do not change while the server runs. */
export function loadFileItems(collection: SectionCollection): Promise<KnowledgeItem[]> {
  let items = cache.get(collection);
  if (!items) {
    items = getCollection(collection).then((entries) => groupBySlug(collection, entries as FileEntry[]));
    cache.set(collection, items);
  }
  return items;
}

/**
 * Every language version of every item, for the file collections' `getStaticPaths`. A
 * reader of a language the item lacks gets the one on-demand page for that
 * (`src/pages/[lang]/<section>/[slug].astro`), not a copy prerendered per item.
 */
export async function itemStaticPaths(collection: SectionCollection) {
  const items = await loadFileItems(collection);
  return items.flatMap((item) => item.languages.map((lang) => ({ params: { lang, slug: item.slug } })));
}

/**
 * All items of a collection, grouped across languages: the content files and, given the
 * database, the member towns' published cases beside the file cases (the one place the
 * two sources meet). Prerendered pages call it without a database (files only); every
 * on-demand page that lists or shows cases passes `db`, e.g. `loadItems('cases', db())`.
 */
export async function loadItems(collection: SectionCollection, db?: Kysely<Database>): Promise<KnowledgeItem[]> {
  const files = await loadFileItems(collection);
  if (!db) return files;
  const fileSlugs = fileSlugSet(collection, files);
  if (isKnowledgeEditorialCollection(collection)) {
    const published = await publishedPortalItems(db, collection);
    // One merged list per published set: the same array while nothing changes, so lists can keep their pages.
    let merged = mergedLists.get(published);
    if (!merged) {
      const portal = published.filter((item) => !collides(fileSlugs, item)).map(portalItem);
      merged = portal.length === 0 ? files : [...files, ...portal];
      mergedLists.set(published, merged);
    }
    return merged;
  }
  if (collection !== 'cases') return files;
  return mergedCases.get(db);
}

/**
 * The file cases and the member towns' published cases, merged once per change of either
 * (a case approved or taken down, a town renamed: its name is on its cases), so the same
 * array comes back while nothing changed and what is kept per list (the related-items
 * index, cards, list pages) is built once, not on every view.
 */
const mergedCases = keptUntilChanged(['cases', 'towns'], async (db): Promise<KnowledgeItem[]> => {
  const files = await loadFileItems('cases');
  const fileSlugs = fileSlugSet('cases', files);
  const members = (await publishedCases(db)).filter((memberCase) => !fileSlugs.has(memberCase.slug!)).map(memberItem);
  return members.length === 0 ? files : [...files, ...members];
});

const mergedLists = new WeakMap<PublishedItem[], KnowledgeItem[]>();
const fileSlugSets = new WeakMap<KnowledgeItem[], Set<string>>();
function fileSlugSet(collection: SectionCollection, files: KnowledgeItem[]): Set<string> {
  let slugs = fileSlugSets.get(files);
  if (!slugs) {
    slugs = new Set(files.map((item) => item.slug));
    fileSlugSets.set(files, slugs);
  }
  return slugs;
}

const reportedCollisions = new Set<string>();
/**
 * A portal item whose slug a content file of the same collection uses would be a second
 * page at one address: the file wins, and the clash is logged once (the form refuses such
 * a slug, `qala content export` refuses to write it and the build fails on it when it can
 * reach the database, src/server/editorial/slug-clashes.ts; so this only happens when a
 * release was built without the database, and the server logged it at start too).
 */
function collides(fileSlugs: ReadonlySet<string>, item: PublishedItem): boolean {
  if (!fileSlugs.has(item.slug)) return false;
  const key = `${item.collection}/${item.slug}`;
  if (!reportedCollisions.has(key)) {
    reportedCollisions.add(key);
    log.error('a portal item and a content file have the same slug: the file is shown', { file: `content/${item.collection}/<lang>/${item.slug}.md`, portalItem: item.itemId });
  }
  return true;
}

const portalItems = new WeakMap<PublishedItem, KnowledgeItem>();
/** A published portal item of the knowledge centre as an item (built once per published copy). */
export function portalItem(published: PublishedItem): KnowledgeItem {
  let item = portalItems.get(published);
  if (!item) {
    const collection = published.collection as KnowledgeEditorialCollection;
    const versions: KnowledgeItem['versions'] = {};
    for (const lang of published.languages) {
      const text = published.texts[lang]!;
      versions[lang] = {
        id: `${lang}/${published.slug}`,
        collection,
        data: text.data as unknown as PortalEntry['data'],
        body: text.body,
        portal: { itemId: published.itemId, text },
      };
    }
    item = { collection, slug: published.slug, source: 'portal', languages: published.languages, versions };
    portalItems.set(published, item);
  }
  return item;
}

/** A published member case as an item: one text, listed under each language it is written in. */
export function memberItem(memberCase: MemberCase): KnowledgeItem {
  const content = memberCase.published!;
  const slug = memberCase.slug!;
  const languages = LANGUAGES.filter((language) => content.languages.includes(language));
  if (languages.length === 0) languages.push('kk');
  const versions: KnowledgeItem['versions'] = {};
  for (const lang of languages) {
    versions[lang] = {
      id: `${lang}/${slug}`,
      collection: 'cases',
      data: {
        title: content.title,
        summary: content.summary,
        date: new Date(memberCase.publishedAt! * 1000),
        topics: content.topics,
        featured: false,
        related: [],
        town: memberCase.townSlug,
        region: memberCase.townRegion,
        period: content.period,
        cost: content.cost ?? undefined,
        funding: content.funding,
        contact: { name: content.contact.name, role: content.contact.role, ...(content.contact.email ? { email: content.contact.email } : {}) },
        indicators: content.indicators,
        illustrative: memberCase.illustrative,
      },
      body: caseText(content),
      member: { caseId: memberCase.id, town: { slug: memberCase.townSlug, name: memberCase.townName }, content },
    };
  }
  return { collection: 'cases', slug, source: 'member', languages, versions };
}

/** Each list of items by slug, made once per list (the file lists live as long as the process). */
const slugMaps = new WeakMap<readonly KnowledgeItem[], Map<string, KnowledgeItem>>();

function bySlug(items: readonly KnowledgeItem[]): Map<string, KnowledgeItem> {
  let map = slugMaps.get(items);
  if (!map) {
    map = new Map(items.map((item) => [item.slug, item]));
    slugMaps.set(items, map);
  }
  return map;
}

/** One item by slug (files and, given the database, published member cases). */
export async function findItem(collection: SectionCollection, slug: string, db?: Kysely<Database>): Promise<KnowledgeItem | undefined> {
  return bySlug(await loadItems(collection, db)).get(slug);
}

/** A town's cases as cards for a reader, newest first: for the town's profile page. */
export async function townCaseCards(db: Kysely<Database>, townSlug: string, readerLang: Language): Promise<ItemCard[]> {
  // From the kept merged cases (files and published member cases, read again only when a
  // case or a town changes), indexed by town once per list and reader language: neither a
  // query per view nor carding every town's cases on each view of one town's profile.
  const merged = await loadItems('cases', db);
  const byTown = caseCardsByTown(merged, readerLang, () => {
    const index = new Map<string, ItemCard[]>();
    for (const item of merged) {
      const card = toCard(item, readerLang);
      if (!card.town) continue;
      const cards = index.get(card.town);
      if (cards) cards.push(card);
      else index.set(card.town, [card]);
    }
    for (const cards of index.values()) cards.sort(byReaderLanguageThenDate(readerLang));
    return index;
  });
  return [...(byTown.get(townSlug) ?? [])];
}

/** Each kept list of cases' cards by town, per reader language (see townCaseCards). */
const caseCardsByTown = keptPerObject<KnowledgeItem[], Language, ReadonlyMap<string, readonly ItemCard[]>>();

/**
 * The resources, programmes, news and events that name a town (files and published portal
 * items alike), as cards for a reader, newest first: for the town's profile page. Items for
 * every town (naming none) are not listed there.
 */
export async function townItemCards(db: Kysely<Database>, townSlug: string, readerLang: Language, limit = 6): Promise<ItemCard[]> {
  const collections: SectionCollection[] = ['resources', 'programmes', 'news', 'events'];
  const lists = await Promise.all(collections.map((collection) => loadItems(collection, db)));
  return lists
    .flat()
    .filter((item) => Object.values(item.versions).some((entry) => ((entry.data as { towns?: string[] }).towns ?? []).includes(townSlug)))
    .map((item) => toCard(item, readerLang))
    .sort(byReaderLanguageThenDate(readerLang))
    .slice(0, limit);
}

function groupBySlug(collection: SectionCollection, entries: FileEntry[]): KnowledgeItem[] {
  const bySlug = new Map<string, KnowledgeItem>();
  for (const entry of entries) {
    const { lang, slug } = parseEntryId(entry.id);
    const item = bySlug.get(slug) ?? { collection, slug, source: 'file' as const, languages: [], versions: {} };
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

/**
 * An item as a card for a reader of `readerLang`, showing the `textLang` version where
 * there is one (a list filtered by language); its link stays in the reader's interface.
 */
export function toCard(item: KnowledgeItem, readerLang: Language, textLang: Language = readerLang): ItemCard {
  // Items from files and published portal items live as long as their cache: their cards are
  // made once per reader and text language (a list of 10,000 items costs no card-building per request).
  return cards(item, `${readerLang}/${textLang}`, () => Object.freeze(buildCard(item, readerLang, textLang)));
}

const cards = keptPerObject<KnowledgeItem, string, ItemCard>();

function buildCard(item: KnowledgeItem, readerLang: Language, textLang: Language): ItemCard {
  const { entry, lang } = versionFor(item, textLang);
  const data = entry.data as Record<string, unknown> & KnowledgeEntry['data'];
  return {
    collection: item.collection,
    slug: item.slug,
    href: itemHref(item.collection, item.slug, readerLang),
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
    ...places(data),
    programmes: (data.programmes as string[] | undefined) ?? [],
    illustrative: data.illustrative as boolean | undefined,
    deadline: data.deadline as Date | undefined,
    start: data.start as Date | undefined,
    end: data.end as Date | undefined,
    ...(item.collection === 'events' ? { format: eventFormat(data as Parameters<typeof eventFormat>[0]) } : {}),
    ...(isMemberEntry(entry) ? { submittedBy: entry.member.town.name } : {}),
  };
}

/** The towns and regions an entry concerns (a case has one town; a resource any number). */
function places(data: Record<string, unknown>): { towns: string[]; regions: string[] } {
  const towns = [...((data.towns as string[] | undefined) ?? []), ...(typeof data.town === 'string' ? [data.town] : [])];
  const named = [...((data.regions as string[] | undefined) ?? []), ...(typeof data.region === 'string' ? [data.region] : [])];
  const regions = [...named, ...towns.map((town) => TOWN_REGIONS.get(town)).filter((region): region is string => region !== undefined)];
  return { towns: [...new Set(towns)], regions: [...new Set(regions)] };
}

/** Newest first; for a reader, items in their language before the others. */
export function byReaderLanguageThenDate(readerLang: Language) {
  return (a: ItemCard, b: ItemCard) => Number(b.lang === readerLang) - Number(a.lang === readerLang) || b.date.getTime() - a.date.getTime();
}

/** What related items are chosen from, for one reader language: every item (given the database, member cases and portal items too). */
export interface RelatedSource {
  index: RelatedIndex;
  /** One item by collection and slug, as a named `related:` reference finds it. */
  find(collection: SectionCollection, slug: string): KnowledgeItem | undefined;
}

/** The related-items source per reader language, files only or with the database; rebuilt when a list it was built from is replaced. */
const relatedSources = new Map<string, { sources: readonly KnowledgeItem[][]; source: RelatedSource }>();

/** The items related items are chosen from, read once (one small query per source with `db`), for many pages. */
export async function relatedSource(readerLang: Language, db?: Kysely<Database>): Promise<RelatedSource> {
  const collections = Object.keys(SECTIONS) as SectionCollection[];
  const sources = await Promise.all(collections.map((collection) => loadItems(collection, db)));
  const key = `${readerLang}:${db ? 'with-database' : 'files'}`;
  const cached = relatedSources.get(key);
  if (cached && cached.sources.every((items, index) => items === sources[index])) return cached.source;
  const source = relatedSourceOf(
    collections.map((collection, position) => [collection, sources[position]!] as const),
    readerLang,
  );
  relatedSources.set(key, { sources, source });
  return source;
}

/** A related-items source over these lists (in the collections' order), for readers of `readerLang`. */
export function relatedSourceOf(collections: ReadonlyArray<readonly [SectionCollection, readonly KnowledgeItem[]]>, readerLang: Language): RelatedSource {
  const lists = new Map(collections);
  return {
    index: buildRelatedIndex(collections, readerLang),
    find: (collection, slug) => {
      const items = lists.get(collection);
      return items ? bySlug(items).get(slug) : undefined;
    },
  };
}

/**
 * The items related to an entry, best first: those it names (collection/slug; unknown ones
 * are skipped), then items sharing a topic or a town: the reader's language first, then the
 * most shared, then the newest (src/server/knowledge/related-index.ts).
 */
export function relatedItems(source: RelatedSource, entry: KnowledgeEntry, collection: SectionCollection, limit = 4): KnowledgeItem[] {
  const { slug } = parseEntryId(entry.id);
  const named: KnowledgeItem[] = [];
  for (const reference of entry.data.related ?? []) {
    const [otherCollection, otherSlug = ''] = reference.split('/') as [SectionCollection, string];
    const item = source.find(otherCollection, otherSlug);
    if (item) named.push(item);
  }
  const exclude = new Set(named.map((item) => `${item.collection}/${item.slug}`));
  const town = (entry.data as { town?: string }).town;
  const others = source.index.related({ collection, slug, topics: entry.data.topics, town }, limit - named.length, exclude);
  return [...named, ...others];
}

/** The related items of an entry as cards for a reader of `readerLang` (see `relatedItems`). */
export async function relatedCards(entry: KnowledgeEntry, collection: SectionCollection, readerLang: Language, limit = 4, db?: Kysely<Database>): Promise<ItemCard[]> {
  const source = await relatedSource(readerLang, db);
  return relatedItems(source, entry, collection, limit).map((item) => toCard(item, readerLang));
}
