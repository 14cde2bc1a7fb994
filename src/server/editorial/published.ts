import type { Kysely } from 'kysely';
import { LANGUAGES, type Language } from '~/i18n/index.ts';
import { EDITORIAL_SCHEMAS, type EditorialCollection } from '~/lib/editorial/frontmatter.ts';
import { keptUntilChanged } from '~/server/cache/changes.ts';
import type { Database } from '~/server/db/schema.ts';
import { log } from '~/server/log.ts';
import { renderMarkdown } from '~/server/markdown.ts';

/**
 * What the public reads of portal items, kept in memory per database handle and reloaded
 * when the `editorial` change counter moved (src/server/cache/changes.ts: every publish,
 * scheduled publication and withdrawal bumps it in its own transaction), so each instance
 * shows a change at its next request for one cheap read, and 10,000 items cost no parse
 * per request.
 */

/** One published language version, shaped like a content file's entry. */
export interface PublishedText {
  itemId: number;
  collection: EditorialCollection;
  slug: string;
  lang: Language;
  /** The frontmatter as the build's schema parses it (dates as Date, defaults filled). */
  data: Record<string, unknown>;
  body: string;
}

/** A published portal item: its language versions in the portal's language order. */
export interface PublishedItem {
  itemId: number;
  collection: EditorialCollection;
  slug: string;
  languages: Language[];
  texts: Partial<Record<Language, PublishedText>>;
}

const html = new WeakMap<PublishedText, string>();

/**
 * What was parsed at the last read, per database handle: each published text by what
 * identifies its content (item, language, revision: a publication writes the revision it
 * copies), and each item. A change re-reads which versions are public, but reads, parses and
 * checks only the texts not seen before, and keeps the same objects for the rest, so what is
 * derived from them (cards, rendered HTML) is kept too: 10,000 items cost no reparse per publication.
 */
interface Parsed {
  texts: Map<string, PublishedText | null>;
  items: Map<number, PublishedItem>;
}
const lastParsed = new WeakMap<Kysely<Database>, Parsed>();

const textKey = (itemId: number, lang: string, revision: number) => `${itemId}:${lang}:${revision}`;

const published = keptUntilChanged(['editorial'], async (db): Promise<Map<EditorialCollection, PublishedItem[]>> => {
  const previous = lastParsed.get(db) ?? { texts: new Map(), items: new Map() };
  const rows = await db
    .selectFrom('editorial_published')
    .innerJoin('editorial_items', 'editorial_items.id', 'editorial_published.item_id')
    .select(['editorial_items.id as itemId', 'collection', 'slug', 'lang', 'revision'])
    .where('is_public', '=', 1)
    .execute();
  const unseen = [...new Set(rows.filter((row) => !previous.texts.has(textKey(row.itemId, row.lang, row.revision))).map((row) => row.itemId))];
  const read = new Map<string, { data: string; body: string }>();
  for (let start = 0; start < unseen.length; start += 500) {
    const texts = await db
      .selectFrom('editorial_published')
      .select(['item_id', 'lang', 'revision', 'data', 'body'])
      .where('item_id', 'in', unseen.slice(start, start + 500))
      .execute();
    for (const text of texts) read.set(textKey(text.item_id, text.lang, text.revision), text);
  }
  const parsed: Parsed = { texts: new Map(), items: new Map() };
  const items = new Map<number, { itemId: number; collection: EditorialCollection; slug: string; texts: Partial<Record<Language, PublishedText>> }>();
  for (const row of rows) {
    const key = textKey(row.itemId, row.lang, row.revision);
    let text = previous.texts.get(key);
    if (text === undefined || (text && (text.slug !== row.slug || text.collection !== row.collection))) {
      // Written after the list was read (another publication meanwhile): the next change reads it.
      const stored = read.get(key);
      if (!stored) continue;
      text = parseText(row, stored);
    }
    parsed.texts.set(key, text);
    if (!text) continue;
    const item = items.get(row.itemId) ?? { itemId: row.itemId, collection: row.collection, slug: row.slug, texts: {} };
    item.texts[row.lang as Language] = text;
    items.set(row.itemId, item);
  }
  const byCollection = new Map<EditorialCollection, PublishedItem[]>();
  for (const fresh of items.values()) {
    const languages = LANGUAGES.filter((lang) => fresh.texts[lang]);
    if (languages.length === 0) continue;
    // The same item object while its texts are the same ones.
    const before = previous.items.get(fresh.itemId);
    const unchanged = before && before.slug === fresh.slug && before.languages.length === languages.length && languages.every((lang) => before.texts[lang] === fresh.texts[lang]);
    const item: PublishedItem = unchanged ? before : { ...fresh, languages };
    parsed.items.set(item.itemId, item);
    const list = byCollection.get(item.collection) ?? [];
    list.push(item);
    byCollection.set(item.collection, list);
  }
  lastParsed.set(db, parsed);
  return byCollection;
});

/** A published text parsed by its collection's schema, or null (logged) when it no longer passes it. */
function parseText(row: { itemId: number; collection: EditorialCollection; slug: string; lang: string }, stored: { data: string; body: string }): PublishedText | null {
  const parsed = EDITORIAL_SCHEMAS[row.collection].safeParse(JSON.parse(stored.data));
  // Published texts passed the schema when published; a schema tightened since leaves the version out, loudly.
  if (!parsed.success) {
    log.error('portal item no longer passes its schema', { itemId: row.itemId, lang: row.lang, issues: parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`) });
    return null;
  }
  return { itemId: row.itemId, collection: row.collection, slug: row.slug, lang: row.lang as Language, data: parsed.data as Record<string, unknown>, body: stored.body };
}

/** The published portal items of a collection (from memory while nothing changed). */
export async function publishedPortalItems(db: Kysely<Database>, collection: EditorialCollection): Promise<PublishedItem[]> {
  const byCollection = await published.get(db);
  // An empty collection gets its own stable empty list too (merged lists are kept per list).
  let list = byCollection.get(collection);
  if (!list) {
    list = [];
    byCollection.set(collection, list);
  }
  return list;
}

/** A published text's body as HTML, through the one sanitising renderer, rendered once. */
export function publishedHtml(text: PublishedText): string {
  let rendered = html.get(text);
  if (rendered === undefined) {
    rendered = renderMarkdown(text.body);
    html.set(text, rendered);
  }
  return rendered;
}

const pagesBySlug = new WeakMap<PublishedItem[], Map<string, PublishedItem>>();

/**
 * The published portal version of one of the association's pages, if any: from the same
 * kept published items (one cheap read of the change counter per request), by slug.
 */
export async function publishedPortalPage(db: Kysely<Database>, slug: string): Promise<PublishedItem | undefined> {
  const pages = await publishedPortalItems(db, 'pages');
  let bySlug = pagesBySlug.get(pages);
  if (!bySlug) {
    bySlug = new Map(pages.map((page) => [page.slug, page]));
    pagesBySlug.set(pages, bySlug);
  }
  return bySlug.get(slug);
}
