// @ts-check
import node from '@astrojs/node';
import sitemap from '@astrojs/sitemap';
import { defineConfig, passthroughImageService } from 'astro/config';
import { adapterWithoutAsyncContext } from './src/build/adapter-without-async-context.ts';
import { dataStoreReadAtRunTime } from './src/build/data-store-read-at-run-time.ts';
import { prerenderKit } from './src/build/prerender-kit.ts';
import { sitemapOptions } from './src/build/sitemap-options.mjs';
import { remarkSmartypantsWhereNeeded } from './src/lib/markdown/smartypants.ts';

const LANGUAGES = ['kk', 'ru', 'en'];

// Absolute URLs in feeds, the sitemap and canonical links need the public address at
// build time: SITE_URL, else ORIGIN, else the local demo address.
const site = process.env.SITE_URL || process.env.ORIGIN || 'http://localhost:4321';

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
    // No AsyncLocalStorage around each render: on Node 20 it hooks every promise of the
    // process (src/build/adapter-without-async-context.ts).
    adapterWithoutAsyncContext(),
    sitemap(sitemapOptions(site)),
    // What a content-only rebuild needs to render prerendered pages again (scripts/fast-rebuild.mjs).
    prerenderKit(),
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
