import { getCollection } from 'astro:content';
import { SECTION_COLLECTIONS } from '~/lib/knowledge/sections.ts';
import { parseEntryId } from '~/server/knowledge/items.ts';
import { pageContentEntry, type ContentEntry } from './content.ts';

/**
 * Every language version of every content file search reads (the knowledge centre's
 * collections and the association's pages), from Astro's content collections: only the
 * build has them (src/pages/search-content.json.ts, src/pages/search-inputs.json.ts).
 */
export async function contentFileEntries(): Promise<ContentEntry[]> {
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
  return entries;
}
