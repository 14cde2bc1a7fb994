import { getCollection } from 'astro:content';
import type { APIRoute } from 'astro';
import { SECTION_COLLECTIONS } from '~/lib/knowledge/sections.ts';
import { parseEntryId } from '~/server/knowledge/items.ts';
import { contentDocuments, pageContentEntry, type ContentEntry } from '~/server/search/sources/content.ts';

export const prerender = true;

/**
 * The content files' search documents, written once by the build. scripts/build-entry.mjs
 * moves the file out of the public folder to dist/search-content.json, where the server
 * reads it at start (the content collections exist only in Astro's build).
 */
export const GET: APIRoute = async () => {
  const entries: ContentEntry[] = [];
  for (const collection of SECTION_COLLECTIONS) {
    for (const entry of await getCollection(collection)) {
      const { lang, slug } = parseEntryId(entry.id);
      const data = entry.data as typeof entry.data & { town?: string; towns?: string[]; place?: string };
      entries.push({
        collection,
        slug,
        lang,
        title: data.title,
        summary: data.summary,
        body: entry.body ?? '',
        date: data.date,
        topics: data.topics,
        towns: [...(data.towns ?? []), ...(data.town ? [data.town] : [])],
        place: data.place,
      });
    }
  }
  for (const entry of await getCollection('pages')) {
    const { lang, slug } = parseEntryId(entry.id);
    entries.push(pageContentEntry({ slug, lang, data: entry.data, body: entry.body ?? '' }));
  }
  return new Response(JSON.stringify(contentDocuments(entries)), { headers: { 'Content-Type': 'application/json' } });
};
