import { LOCALES, type Language } from '~/i18n/index.ts';
import { alternatesOf } from '~/lib/alternates.ts';
import { escapeHtml } from '~/lib/html.ts';

/** One page in one language, with the languages it exists in (for its alternates). */
export interface SitemapUrl {
  /** The page's address, from the site root (`/en/towns/ridder/`). */
  pathname: string;
  search?: string;
  languages: readonly Language[];
}

/**
 * A sitemap (urlset) of pages, each with its hreflang alternates: every language the
 * page exists in, itself included, and an x-default (src/lib/alternates.ts), as the
 * build's own sitemap writes them (hreflang as kk-KZ, ru-RU, en-GB).
 */
export function urlsetXml(urls: readonly SitemapUrl[], base: URL | string): string {
  const entries = urls.map(({ pathname, search = '', languages }) => {
    const loc = new URL(`${pathname}${search}`, base).href;
    const links = alternatesOf(pathname, languages, search)
      .map((link) => `<xhtml:link rel="alternate" hreflang="${link.hreflang === 'x-default' ? 'x-default' : LOCALES[link.hreflang]}" href="${escapeHtml(new URL(link.href, base).href)}"/>`)
      .join('');
    return `<url><loc>${escapeHtml(loc)}</loc>${links}</url>`;
  });
  return `<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:xhtml="http://www.w3.org/1999/xhtml">${entries.join('')}</urlset>\n`;
}

/** The response of an on-demand sitemap: XML, cached briefly (the pages come from the database). */
export function sitemapResponse(xml: string): Response {
  return new Response(xml, { headers: { 'Content-Type': 'application/xml; charset=utf-8', 'Cache-Control': 'public, max-age=300' } });
}
