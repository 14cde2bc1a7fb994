// @ts-check
import node from '@astrojs/node';
import { defineConfig, passthroughImageService } from 'astro/config';

export default defineConfig({
  output: 'server',
  // Qala's own entry (src/node/qala.ts) serves static files and sets headers, so
  // the adapter runs in middleware mode.
  adapter: node({ mode: 'middleware' }),
  trailingSlash: 'ignore',
  i18n: {
    locales: ['kk', 'ru', 'en'],
    defaultLocale: 'kk',
    // `/` picks a language from Accept-Language in src/pages/index.ts.
    routing: { prefixDefaultLocale: true, redirectToDefaultLocale: false },
  },
  security: {
    checkOrigin: true,
    // Any host is accepted here because the Node entry pins Host to ORIGIN when one
    // is configured (src/node/server.ts), and drops forwarded headers otherwise.
    allowedDomains: [{ protocol: 'http' }, { protocol: 'https' }],
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
