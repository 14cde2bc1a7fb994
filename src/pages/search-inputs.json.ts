import type { APIRoute } from 'astro';
import { contentEntryDigest, contentEntryKey } from '~/server/search/sources/content.ts';
import { contentFileEntries } from '~/server/search/sources/content-files.ts';

export const prerender = true;

/**
 * For a content-only rebuild: each content file's search document key and a digest of
 * everything its document is made from (src/server/search/sources/content.ts). The build
 * moves the file to dist/prerender/search-inputs.json (scripts/build-entry.mjs);
 * scripts/fast-rebuild.mjs asks for it again after the content changed and makes again
 * only the documents whose digest changed (src/pages/search-content.json.ts).
 */
export const GET: APIRoute = async () => {
  const digests = Object.fromEntries((await contentFileEntries()).map((entry) => [contentEntryKey(entry), contentEntryDigest(entry)]));
  return new Response(JSON.stringify(digests), { headers: { 'Content-Type': 'application/json' } });
};
