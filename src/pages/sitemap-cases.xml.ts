import type { APIRoute } from 'astro';
import { LOCALES } from '~/i18n/index.ts';
import { escapeHtml } from '~/lib/html.ts';
import { db } from '~/server/db/index.ts';
import { itemHref, loadItems } from '~/server/knowledge/items.ts';

export const prerender = false;

/**
 * The case pages, file and member towns' alike, in each language they are written in
 * (never a "not in this language" notice). Case pages are rendered on demand, so this
 * part of the sitemap is too; /sitemap-index.xml names it beside the build's own.
 */
export const GET: APIRoute = async ({ site, url }) => {
  const base = site ?? url;
  const items = await loadItems('cases', db());
  const entries = items.flatMap((item) =>
    item.languages.map((lang) => {
      const loc = new URL(itemHref('cases', item.slug, lang), base).href;
      const alternates = item.languages.length > 1
        ? item.languages.map((other) => `<xhtml:link rel="alternate" hreflang="${LOCALES[other]}" href="${escapeHtml(new URL(itemHref('cases', item.slug, other), base).href)}"/>`).join('')
        : '';
      return `<url><loc>${escapeHtml(loc)}</loc>${alternates}</url>`;
    }),
  );
  const xml = `<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:xhtml="http://www.w3.org/1999/xhtml">${entries.join('')}</urlset>\n`;
  return new Response(xml, { headers: { 'Content-Type': 'application/xml; charset=utf-8', 'Cache-Control': 'public, max-age=300' } });
};
