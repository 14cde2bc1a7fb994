import type { APIRoute } from 'astro';

export const prerender = true;

/** Crawlers may read public pages; member and form pages say noindex themselves. */
export const GET: APIRoute = ({ site }) =>
  new Response(`User-agent: *\nDisallow: /*/account/\nDisallow: /*/editor/\nDisallow: /*/admin/\nDisallow: /*/exchange/\nDisallow: /*/members/\nAllow: /\n\nSitemap: ${new URL('/sitemap-index.xml', site).href}\n`, {
    headers: { 'Content-Type': 'text/plain; charset=utf-8' },
  });
