import type { APIRoute } from 'astro';
import { prerenderedPageInputs } from '~/server/knowledge/page-inputs.ts';

export const prerender = true;

/**
 * For a content-only rebuild: a digest of what each prerendered item page shows
 * (src/server/knowledge/page-inputs.ts). scripts/build-entry.mjs moves the file out of the
 * public folder to dist/prerender/dependencies.json; scripts/fast-rebuild.mjs asks for it again
 * after the content changed and renders the pages whose digest changed.
 */
export const GET: APIRoute = async () =>
  new Response(JSON.stringify(await prerenderedPageInputs()), { headers: { 'Content-Type': 'application/json' } });
