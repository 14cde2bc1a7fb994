// @ts-check
import node from '@astrojs/node';
import sitemap from '@astrojs/sitemap';
import { defineConfig, passthroughImageService } from 'astro/config';
import { existsSync } from 'node:fs';
import { dataStoreReadAtRunTime } from './src/build/data-store-read-at-run-time.ts';
import { remarkSmartypantsWhereNeeded } from './src/lib/markdown/smartypants.ts';

const LANGUAGES = ['kk', 'ru', 'en'];
/** Knowledge-centre sections: URL segment → content collection. @type {Record<string, string>} */
const SECTIONS = { resources: 'resources', cases: 'cases', funding: 'programmes', news: 'news', events: 'events' };

// Absolute URLs in feeds, the sitemap and canonical links need the public address at
// build time: SITE_URL, else ORIGIN, else the local demo address.
const site = process.env.SITE_URL || process.env.ORIGIN || 'http://localhost:4321';

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
 * Adds an x-default to a page's hreflang alternates (the plugin lists each language,
 * the page's own included): `/` for the home page, which picks the reader's language,
 * else the Kazakh version. The same rule as src/lib/alternates.ts, which this
 * config file cannot import.
 * @param {import('@astrojs/sitemap').SitemapItem} item
 */
function withDefaultAlternate(item) {
  if (!item.links?.length) return item;
  const fallback = item.links.find((link) => link.lang === 'kk-KZ') ?? item.links[0];
  if (!fallback) return item;
  const home = /^\/(kk|ru|en)\/$/.test(new URL(item.url).pathname);
  return { ...item, links: [...item.links, { lang: 'x-default', url: home ? `${site}/` : fallback.url }] };
}

export default defineConfig({
  site,
  output: 'server',
  // Qala's own entry (src/node/qala.ts) serves static files and sets headers, so
  // the adapter runs in middleware mode. Pages render to one string, not a stream:
  // Qala sends every page whole and compressed once (src/node/whole-body.ts), so
  // streaming bought nothing but a promise and a write per chunk (README: Performance).
  adapter: node({ mode: 'middleware', experimentalDisableStreaming: true }),
  trailingSlash: 'ignore',
  i18n: {
    locales: LANGUAGES,
    defaultLocale: 'kk',
    // `/` picks a language from Accept-Language in src/pages/index.ts.
    routing: { prefixDefaultLocale: true, redirectToDefaultLocale: false },
  },
  integrations: [
    // The content store is read from JSON at run time, not bundled as a 40 MB module
    // into the server on every build (src/build/data-store-read-at-run-time.ts).
    dataStoreReadAtRunTime(),
    sitemap({
      filter: inSitemap,
      // Cases (file and member towns') are listed on demand, so a published member case needs no rebuild.
      // Pages rendered on demand are listed by the server, so a new town, group or member
      // case needs no rebuild: cases in /sitemap-cases.xml, every other public on-demand
      // page in /sitemap-pages.xml (its list: src/server/sitemap/pages.ts).
      customSitemaps: [`${site}/sitemap-cases.xml`, `${site}/sitemap-pages.xml`],
      i18n: { defaultLocale: 'kk', locales: { kk: 'kk-KZ', ru: 'ru-RU', en: 'en-GB' } },
      serialize: withDefaultAlternate,
    }),
  ],
  security: {
    checkOrigin: true,
    // Any host is accepted here because the Node entry pins Host to ORIGIN when one
    // is configured (src/node/server.ts), and drops forwarded headers otherwise.
    allowedDomains: [{ protocol: 'http' }, { protocol: 'https' }],
    // Shared files: a post's files (at most 20 MB together) plus its text. A larger body
    // is answered 413 before it is read (src/server/files/types.ts MAX_UPLOAD_BODY_BYTES).
    actionBodySizeLimit: 21 * 1024 * 1024,
  },
  build: {
    // Inline <style> would need 'unsafe-inline' in the Content-Security-Policy.
    inlineStylesheets: 'never',
  },
  image: { service: passthroughImageService() },
  // SmartyPants only where it changes something: the same output, far less work per
  // document (src/lib/markdown/smartypants.ts).
  markdown: { smartypants: false, remarkPlugins: [remarkSmartypantsWhereNeeded] },
  vite: {
    build: { assetsInlineLimit: 0 },
  },
});
