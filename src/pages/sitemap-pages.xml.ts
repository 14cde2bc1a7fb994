import type { APIRoute } from 'astro';
import { db } from '~/server/db/index.ts';
import { onDemandPublicPages, pageLanguages } from '~/server/sitemap/pages.ts';
import { sitemapResponse, urlsetXml } from '~/server/sitemap/xml.ts';

export const prerender = false;

/**
 * The public pages rendered on demand (lists, the town directory and profiles,
 * comparison presets, public working groups), in every language they exist in. The
 * list is src/server/sitemap/pages.ts; /sitemap-index.xml names this sitemap.
 */
export const GET: APIRoute = async ({ site, url }) => {
  const pages = await onDemandPublicPages(db());
  const urls = pages.flatMap((entry) =>
    pageLanguages(entry).map((lang) => ({ pathname: `/${lang}/${entry.path}`, search: entry.search ?? '', languages: pageLanguages(entry) })),
  );
  return sitemapResponse(urlsetXml(urls, site ?? url));
};
