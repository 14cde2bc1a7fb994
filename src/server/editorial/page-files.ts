import { getCollection, getEntry, type CollectionEntry } from 'astro:content';
import type { Kysely } from 'kysely';
import { isLanguage, LANGUAGES, type Language } from '~/i18n/index.ts';
import { isAssociationPageSlug } from '~/lib/editorial/pages.ts';
import type { Database, EditorialState } from '~/server/db/schema.ts';
import type { SearchDocument } from '~/server/search/documents.ts';
import { contentDocuments, pageContentEntry } from '~/server/search/sources/content.ts';
import { parseEntryId } from '~/server/knowledge/items.ts';
import { publishedHtml, publishedPortalPage } from './published.ts';
import { listEditorialItems } from './store.ts';
import type { PageFileText } from './workflows.ts';

/**
 * The association's own pages as readers get them: the portal's published version of a
 * language when there is one, else the content file the release brought
 * (content/pages/<lang>/<slug>.md). Also what "Edit in portal" starts from, and the file's
 * search documents a withdrawal restores. Files are read through Astro's content
 * collections, which the server bundle carries.
 */

/** What a page shows: its words and either the file's entry (rendered by Astro) or the portal's HTML (the one sanitising renderer). */
export interface AssociationPage {
  slug: string;
  title: string;
  description: string;
  updated: Date;
  source: 'file' | 'portal';
  file?: CollectionEntry<'pages'>;
  html?: string;
}

/** The page `slug` in `lang`, or undefined when neither the portal nor a file has it. */
export async function associationPage(db: Kysely<Database>, slug: string, lang: Language): Promise<AssociationPage | undefined> {
  const text = (await publishedPortalPage(db, slug))?.texts[lang];
  if (text) {
    const data = text.data as { title: string; description: string; updated: Date };
    return { slug, title: data.title, description: data.description, updated: data.updated, source: 'portal', html: publishedHtml(text) };
  }
  const file = await getEntry('pages', `${lang}/${slug}`);
  return file ? { slug, title: file.data.title, description: file.data.description, updated: file.data.updated, source: 'file', file } : undefined;
}

/** The date a file writes (YYYY-MM-DD), as the form and the schema take it. */
const fileDate = (date: Date): string => date.toISOString().slice(0, 10);

/** A page's file in every language it is written in, as the editorial workspace stores texts. */
export async function pageFileTexts(slug: string): Promise<PageFileText[]> {
  if (!isAssociationPageSlug(slug)) return [];
  const texts: PageFileText[] = [];
  for (const lang of LANGUAGES) {
    const entry = await getEntry('pages', `${lang}/${slug}`);
    if (entry) texts.push({ lang, data: { title: entry.data.title, description: entry.data.description, updated: fileDate(entry.data.updated) }, body: (entry.body ?? '').trim() });
  }
  return texts;
}

/** The release's search documents of a page's file (what a withdrawn portal version gives back to search). */
export async function pageFileDocuments(slug: string): Promise<SearchDocument[]> {
  const entries = (await getCollection('pages')).filter((entry) => parseEntryId(entry.id).slug === slug);
  return contentDocuments(entries.map((entry) => pageContentEntry({ ...parseEntryId(entry.id), data: entry.data, body: entry.body ?? '' })));
}

/** The association's pages that have a file, with their title in the reader's language (for the workspace's list). */
export async function associationPageFiles(lang: Language): Promise<Array<{ slug: string; title: string; lang: Language }>> {
  const entries = await getCollection('pages');
  const bySlug = new Map<string, { slug: string; title: string; lang: Language }>();
  for (const entry of entries) {
    const { lang: fileLang, slug } = parseEntryId(entry.id);
    const known = bySlug.get(slug);
    if (!known || (fileLang === lang && known.lang !== lang)) bySlug.set(slug, { slug, title: entry.data.title, lang: fileLang });
  }
  return [...bySlug.values()].sort((a, b) => a.slug.localeCompare(b.slug));
}

/** An association page's address, `/<lang>/<slug>/`: the page, or undefined (404) for a language that is not one. */
export async function resolveAssociationPage(db: Kysely<Database>, langParam: string | undefined, slug: string): Promise<AssociationPage | undefined> {
  return isLanguage(langParam) ? associationPage(db, slug, langParam) : undefined;
}

/** One row of the workspace's list of the association's pages. */
export interface AssociationPageRow {
  slug: string;
  title: string;
  /** The title's language when the reader's is missing. */
  titleLang: Language;
  /** The portal item started from the file, if any. */
  item?: { id: number; state: EditorialState; isPublic: boolean };
}

/** The association's pages with their portal items, for the editorial workspace. */
export async function associationPagesOverview(db: Kysely<Database>, lang: Language): Promise<AssociationPageRow[]> {
  const [files, items] = await Promise.all([associationPageFiles(lang), listEditorialItems(db, { collection: 'pages' })]);
  const bySlug = new Map(items.map((item) => [item.slug, item]));
  return files.map((file) => {
    const item = bySlug.get(file.slug);
    return { slug: file.slug, title: file.title, titleLang: file.lang, ...(item ? { item: { id: item.id, state: item.state, isPublic: item.isPublic } } : {}) };
  });
}
