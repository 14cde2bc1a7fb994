import type { APIRoute } from 'astro';
import { contentDocuments, contentEntryKey } from '~/server/search/sources/content.ts';
import { contentFileEntries } from '~/server/search/sources/content-files.ts';

export const prerender = true;

/**
 * The content files' search documents, written once by the build. scripts/build-entry.mjs
 * moves the file out of the public folder to dist/search-content.json, where the server
 * reads it at start (the content collections exist only in Astro's build).
 *
 * A content-only rebuild (scripts/fast-rebuild.mjs) asks the last build's bundle for the
 * documents of the entries whose inputs changed (src/pages/search-inputs.json.ts) only,
 * `?key=<document key>` for each, and keeps the others from the last build's file: turning
 * markdown into text is most of this file's time. The build itself requests no query.
 */
export const GET: APIRoute = async ({ url }) => {
  const only = new Set(url.searchParams.getAll('key'));
  const entries = await contentFileEntries();
  const wanted = only.size === 0 ? entries : entries.filter((entry) => only.has(contentEntryKey(entry)));
  return new Response(JSON.stringify(contentDocuments(wanted)), { headers: { 'Content-Type': 'application/json' } });
};
