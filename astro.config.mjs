// @ts-check
import node from '@astrojs/node';
import sitemap from '@astrojs/sitemap';
import { defineConfig, passthroughImageService } from 'astro/config';
import { existsSync } from 'node:fs';

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

export default defineConfig({
  site,
  output: 'server',
  // Qala's own entry (src/node/qala.ts) serves static files and sets headers, so
  // the adapter runs in middleware mode.
  adapter: node({ mode: 'middleware' }),
  trailingSlash: 'ignore',
  i18n: {
    locales: LANGUAGES,
    defaultLocale: 'kk',
    // `/` picks a language from Accept-Language in src/pages/index.ts.
    routing: { prefixDefaultLocale: true, redirectToDefaultLocale: false },
  },
  integrations: [
    sitemap({
      filter: inSitemap,
      // Cases (file and member towns') are listed on demand, so a published member case needs no rebuild.
      customSitemaps: [`${site}/sitemap-cases.xml`],
      // Lists, the knowledge centre, the town directory and the public groups are rendered
      // on demand (their filters live in the URL or the database), so they are named here.
      customPages: LANGUAGES.flatMap((lang) => [...Object.keys(SECTIONS), 'knowledge', 'towns', 'groups'].map((path) => `${site}/${lang}/${path}/`)),
      i18n: { defaultLocale: 'kk', locales: { kk: 'kk-KZ', ru: 'ru-RU', en: 'en-GB' } },
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
  vite: {
    build: { assetsInlineLimit: 0 },
  },
});
