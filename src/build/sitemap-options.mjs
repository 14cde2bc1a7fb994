// @ts-check
// The sitemap's options, shared by astro.config.mjs (@astrojs/sitemap in a full build) and
// scripts/fast-rebuild.mjs (which runs the same integration over the pages a content-only
// rebuild leaves), so both write the same files.
import { existsSync } from 'node:fs';

/** Knowledge-centre sections: URL segment → content collection. @type {Record<string, string>} */
export const SECTIONS = { resources: 'resources', cases: 'cases', funding: 'programmes', news: 'news', events: 'events' };

/**
 * Whether a sitemap URL is a real page (not a "not in this language" notice or a private page).
 * @param {string} page
 */
function inSitemap(page) {
  const path = new URL(page).pathname;
  if (/^\/(404|[a-z]{2}\/404)\/?$/.test(path)) return false;
  const [, lang, section = '', slug] = path.match(/^\/(kk|ru|en)\/([a-z]+)\/([a-z0-9-]+)\/$/) ?? [];
  // Case pages are rendered on demand (member towns' cases join them); /sitemap-cases.xml lists them.
  if (lang && section === 'cases') return false;
  if (lang && SECTIONS[section]) return existsSync(`content/${SECTIONS[section]}/${lang}/${slug}.md`);
  return true;
}

/**
 * The options of @astrojs/sitemap for a site address.
 * @param {string} site
 * @returns {import('@astrojs/sitemap').SitemapOptions}
 */
export function sitemapOptions(site) {
  /**
   * Adds an x-default to a page's hreflang alternates (the plugin lists each language,
   * the page's own included): `/` for the home page, which picks the reader's language,
   * else the Kazakh version. The same rule as src/lib/alternates.ts, which this
   * file cannot import.
   * @param {import('@astrojs/sitemap').SitemapItem} item
   */
  function withDefaultAlternate(item) {
    if (!item.links?.length) return item;
    const fallback = item.links.find((link) => link.lang === 'kk-KZ') ?? item.links[0];
    if (!fallback) return item;
    const home = /^\/(kk|ru|en)\/$/.test(new URL(item.url).pathname);
    return { ...item, links: [...item.links, { lang: 'x-default', url: home ? `${site}/` : fallback.url }] };
  }
  return {
    filter: inSitemap,
    // Cases (file and member towns') are listed on demand, so a published member case needs no rebuild.
    // Pages rendered on demand are listed by the server, so a new town, group or member
    // case needs no rebuild: cases in /sitemap-cases.xml, every other public on-demand
    // page in /sitemap-pages.xml (its list: src/server/sitemap/pages.ts).
    customSitemaps: [`${site}/sitemap-cases.xml`, `${site}/sitemap-pages.xml`],
    i18n: { defaultLocale: 'kk', locales: { kk: 'kk-KZ', ru: 'ru-RU', en: 'en-GB' } },
    serialize: withDefaultAlternate,
  };
}
