import { createHash } from 'node:crypto';
import type { Language } from '~/i18n/index.ts';
import { associationPagePath } from '~/lib/editorial/pages.ts';
import { SECTIONS, type SectionCollection } from '~/lib/knowledge/sections.ts';
import { TOWN_NAMES } from '~/schemas/taxonomy.ts';
import type { SearchDocument } from '../documents.ts';
import { documentKey } from './store.ts';
import { joinText, plainText } from './text.ts';

/**
 * What the association publishes as files (content/): the knowledge centre's items and
 * its own pages, public. Files are read by Astro's content collections, which exist only
 * in the build, so the build writes these documents to a file
 * (src/pages/search-content.json.ts → dist/search-content.json) and the server syncs
 * them when it starts (src/server/search/sources/release.ts).
 */
export const CONTENT_SOURCE = 'content';

/** One language version of a file, as the content collections give it (pages have a description and no topics). */
export interface ContentEntry {
  collection: SectionCollection | 'pages';
  slug: string;
  lang: Language;
  title: string;
  summary: string;
  /** Markdown. */
  body: string;
  date: Date;
  topics: readonly string[];
  /** A case's town; a resource's towns. */
  towns: readonly string[];
  /** An event's place. */
  place?: string | undefined;
}

/** The address of a file's page without the language prefix (the priorities are on the home page). */
export function contentPath(entry: Pick<ContentEntry, 'collection' | 'slug'>): string {
  return entry.collection === 'pages' ? associationPagePath(entry.slug) : `/${SECTIONS[entry.collection].path}/${entry.slug}/`;
}

/** One language version of one of the association's pages (content/pages/), as search reads it. */
export function pageContentEntry(page: { slug: string; lang: Language; data: { title: string; description: string; updated: Date }; body: string }): ContentEntry {
  return { collection: 'pages', slug: page.slug, lang: page.lang, title: page.data.title, summary: page.data.description, body: page.body, date: page.data.updated, topics: [], towns: [] };
}

/** The key of a file's document (one per language version). */
export function contentEntryKey(entry: Pick<ContentEntry, 'collection' | 'slug' | 'lang'>): string {
  return documentKey(CONTENT_SOURCE, `${entry.collection}/${entry.slug}`, entry.lang);
}

/**
 * A digest of everything a file's document is made from: the entry whole (the rest is code).
 * Two builds with the same code make the same document exactly when it is the same, so a
 * content-only rebuild makes again only the documents whose digest changed.
 */
export function contentEntryDigest(entry: ContentEntry): string {
  return createHash('sha256').update(JSON.stringify(entry)).digest('base64url').slice(0, 22);
}

/** A file's document: its text in its own language, under its collection's section. */
export function contentDocument(entry: ContentEntry): SearchDocument {
  const townNames = entry.towns.flatMap((town) => {
    const names = TOWN_NAMES.get(town);
    return names ? [...new Set([names.kk, names.ru, names.en])] : [];
  });
  return {
    key: contentEntryKey(entry),
    source: CONTENT_SOURCE,
    section: entry.collection,
    lang: entry.lang,
    path: contentPath(entry),
    title: entry.title,
    summary: entry.summary,
    body: joinText(plainText(entry.body), entry.place, ...townNames),
    topics: entry.topics,
    audience: 'public',
    publishedAt: Math.floor(entry.date.getTime() / 1000),
  };
}

/** Every file's document, in a stable order (the fingerprint of a release depends on it). */
export function contentDocuments(entries: readonly ContentEntry[]): SearchDocument[] {
  return entries.map(contentDocument).sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}
