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

const published = keptUntilChanged(['editorial'], async (db): Promise<Map<EditorialCollection, PublishedItem[]>> => {
  const rows = await db
    .selectFrom('editorial_published')
    .innerJoin('editorial_items', 'editorial_items.id', 'editorial_published.item_id')
    .select(['editorial_items.id as itemId', 'collection', 'slug', 'lang', 'data', 'body'])
    .where('is_public', '=', 1)
    .execute();
  const items = new Map<number, PublishedItem>();
  for (const row of rows) {
    const parsed = EDITORIAL_SCHEMAS[row.collection].safeParse(JSON.parse(row.data));
    // Published texts passed the schema when published; a schema tightened since leaves the version out, loudly.
    if (!parsed.success) {
      log.error('portal item no longer passes its schema', { itemId: row.itemId, lang: row.lang, issues: parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`) });
      continue;
    }
    const item = items.get(row.itemId) ?? { itemId: row.itemId, collection: row.collection, slug: row.slug, languages: [], texts: {} };
    item.texts[row.lang as Language] = { itemId: row.itemId, collection: row.collection, slug: row.slug, lang: row.lang as Language, data: parsed.data as Record<string, unknown>, body: row.body };
    items.set(row.itemId, item);
  }
  const byCollection = new Map<EditorialCollection, PublishedItem[]>();
  for (const item of items.values()) {
    item.languages = LANGUAGES.filter((lang) => item.texts[lang]);
    if (item.languages.length === 0) continue;
    const list = byCollection.get(item.collection) ?? [];
    list.push(item);
    byCollection.set(item.collection, list);
  }
  return byCollection;
});

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
