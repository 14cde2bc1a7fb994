import type { APIRoute } from 'astro';
import { db } from '~/server/db/index.ts';
import { itemHref, loadItems } from '~/server/knowledge/items.ts';
import { sitemapResponse, urlsetXml } from '~/server/sitemap/xml.ts';

export const prerender = false;

/**
 * The case pages, file and member towns' alike, in each language they are written in
 * (never a "not in this language" notice). Case pages are rendered on demand, so this
 * part of the sitemap is too; /sitemap-index.xml names it beside the build's own.
 */
export const GET: APIRoute = async ({ site, url }) => {
  const items = await loadItems('cases', db());
  const urls = items.flatMap((item) => item.languages.map((lang) => ({ pathname: itemHref('cases', item.slug, lang), languages: item.languages })));
  return sitemapResponse(urlsetXml(urls, site ?? url));
};
