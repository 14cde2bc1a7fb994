import type { APIRoute } from 'astro';
import { db } from '~/server/db/index.ts';
import { caseIndexFile } from '~/server/knowledge/case-search.ts';

export const prerender = false;

const TYPES: Record<string, string> = { json: 'application/json', js: 'text/javascript; charset=utf-8', css: 'text/css; charset=utf-8' };

/** The run-time search index of cases (see src/server/knowledge/case-search.ts). */
export const GET: APIRoute = async ({ params }) => {
  const path = params.path ?? '';
  if (!/^(?:[A-Za-z0-9_-]+\/)*[A-Za-z0-9_.-]+$/.test(path) || path.includes('..')) return new Response(null, { status: 404 });
  const file = await caseIndexFile(db(), path);
  if (!file) return new Response(null, { status: 404, headers: { 'Cache-Control': 'no-store' } });
  const extension = path.slice(path.lastIndexOf('.') + 1);
  return new Response(new Uint8Array(file), {
    headers: {
      'Content-Type': TYPES[extension] ?? 'application/octet-stream',
      // The entry names the current files; the others are named by their content's hash.
      'Cache-Control': path === 'pagefind-entry.json' ? 'no-cache' : 'public, max-age=3600',
    },
  });
};
