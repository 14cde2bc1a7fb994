import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { sql, type Kysely } from 'kysely';
import { LANGUAGES } from '~/i18n/index.ts';
import { isKnowledgeEditorialCollection, KNOWLEDGE_EDITORIAL_COLLECTIONS, type EditorialCollection } from '~/lib/editorial/frontmatter.ts';
import { createDatabase } from '~/server/db/connection.ts';
import { describeLocation, type DatabaseLocation } from '~/server/db/location.ts';
import type { Database, EditorialState } from '~/server/db/schema.ts';
import type { SearchDocument } from '~/server/search/documents.ts';

/**
 * A content file and a portal item with the same slug in one collection would be two
 * pages at one address. The form refuses such a slug and the export refuses to write
 * one, but a file can still arrive in a release after the item was written: the build
 * (`qala content check`, run by scripts/build-entry.mjs) fails naming both, and the
 * server logs each clash as an error at start (the file's page is the one served).
 */

/** The content files of one collection and slug, as paths such as `content/news/ru/budget.md`. */
export type ContentFileIndex = Map<string, string[]>;

export interface SlugClash {
  collection: EditorialCollection;
  slug: string;
  /** The content files with the slug, one per language. */
  files: string[];
  itemId: number;
  state: EditorialState;
}

function indexKey(collection: string, slug: string): string {
  return `${collection}/${slug}`;
}

function addFile(index: ContentFileIndex, collection: string, lang: string, slug: string, root: string): void {
  const key = indexKey(collection, slug);
  const paths = index.get(key) ?? [];
  paths.push(`${root}/${collection}/${lang}/${slug}.md`);
  index.set(key, paths);
}

/**
 * The content files of the knowledge collections in a content folder (the build's view).
 * The association's pages are left out: a page item is started from its file on purpose
 * and replaces it while published.
 */
export function contentFolderIndex(contentDir: string, root = contentDir.replace(/\/+$/, '')): ContentFileIndex {
  const index: ContentFileIndex = new Map();
  for (const collection of KNOWLEDGE_EDITORIAL_COLLECTIONS) {
    for (const lang of LANGUAGES) {
      const folder = join(contentDir, collection, lang);
      if (!existsSync(folder)) continue;
      for (const name of readdirSync(folder).sort()) if (name.endsWith('.md')) addFile(index, collection, lang, name.slice(0, -3), root);
    }
  }
  return index;
}

/** The same from the content's search documents the build wrote (what a running release has; content/ may not be deployed). */
export function releaseDocumentIndex(documents: readonly SearchDocument[]): ContentFileIndex {
  const index: ContentFileIndex = new Map();
  for (const document of documents) {
    if (!isKnowledgeEditorialCollection(document.section)) continue;
    const slug = document.path.split('/').filter(Boolean).at(-1);
    if (slug) addFile(index, document.section, document.lang, slug, 'content');
  }
  return index;
}

/** Portal items not withdrawn (published, scheduled, in review or draft) whose slug a content file of their collection uses. */
export async function portalSlugClashes(db: Kysely<Database>, files: ContentFileIndex): Promise<SlugClash[]> {
  if (files.size === 0) return [];
  const rows = await db.selectFrom('editorial_items').select(['id', 'collection', 'slug', 'state']).where('state', '!=', 'withdrawn').orderBy('id').execute();
  return rows.flatMap((row): SlugClash[] => {
    const paths = files.get(indexKey(row.collection, row.slug));
    return paths ? [{ collection: row.collection, slug: row.slug, files: paths, itemId: row.id, state: row.state }] : [];
  });
}

/** The item's page in the editorial workspace (the default language's: a path, the host is the deployment's). */
export function editorPath(itemId: number): string {
  return `/kk/editor/content/${itemId}/`;
}

/** One line naming both sides of a clash. */
export function clashMessage(clash: SlugClash): string {
  return `${clash.files.join(', ')} and portal item ${clash.itemId} (${clash.state}, ${editorPath(clash.itemId)}) have the same slug "${clash.slug}" in ${clash.collection}: rename the file or the item`;
}

export type ClashCheck = { checked: false; note: string } | { checked: true; clashes: SlugClash[]; where: string };

/**
 * The build's check: the database at `location`, when there is one and it answers, against
 * the content folder. A fresh clone (no database file yet), a server that does not answer
 * or a database not yet migrated to the editorial tables is not checked, and says so.
 */
export async function checkSlugClashes(location: DatabaseLocation, contentDir: string): Promise<ClashCheck> {
  const where = describeLocation(location);
  if (location.engine === 'sqlite' && (location.path === ':memory:' || !existsSync(location.path))) {
    return { checked: false, note: `no database at ${where} yet: portal item slugs not checked against content files` };
  }
  const db = createDatabase(location);
  try {
    await answersWithin(db, ANSWER_WITHIN_MS);
  } catch (error) {
    // Not awaited: closing waits for a connection attempt still under way.
    void db.destroy().catch(() => undefined);
    return { checked: false, note: `the database at ${where} does not answer (${(error as Error).message}): portal item slugs not checked against content files` };
  }
  try {
    if (!(await hasEditorialItems(db))) return { checked: false, note: `the database at ${where} has no portal items yet (not migrated): slugs not checked` };
    return { checked: true, clashes: await portalSlugClashes(db, contentFolderIndex(contentDir)), where };
  } finally {
    await db.destroy();
  }
}

/** How long the build waits for a database (a firewall that drops packets would otherwise hold it for minutes). */
const ANSWER_WITHIN_MS = 10_000;

async function answersWithin(db: Kysely<Database>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms / 1000} s`)), ms);
    timer.unref();
  });
  try {
    await Promise.race([sql`select 1`.execute(db), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

async function hasEditorialItems(db: Kysely<Database>): Promise<boolean> {
  const tables = await db.introspection.getTables();
  return tables.some((table) => table.name === 'editorial_items');
}
