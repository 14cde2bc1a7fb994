import type { AstroIntegration } from 'astro';
import type { Plugin } from 'vite';

/**
 * The Node adapter's request handler (@astrojs/node `serve-app.js`) runs every render inside
 * an `AsyncLocalStorage`, only so that its unhandled-rejection log line can name the URL.
 * On Node 20 the first `run` of any AsyncLocalStorage turns on async hooks for the whole
 * process, and from then on every promise pays a hook: measured side by side, the same build
 * with and without it, a signed-in page cost 10–15% more CPU with it (README: member pages).
 * Qala's Node entry logs every request with its id, so the URL in that one line is not worth
 * a tax on every promise. This build-time edit calls the render directly and keeps the log
 * line without the URL. The adapter is pinned (package.json); if its code no longer has the
 * shape below, the build fails here rather than silently keeping the hooks.
 */

const ADAPTER_HANDLER = /@astrojs[\\/]node[\\/]dist[\\/]serve-app\.js$/;
const RUN_IN_STORE = /als\.run\(\s*request\.url,\s*/;
const LOG_WITH_STORE = /const requestUrl = als\.getStore\(\);\s*logger\.error\(`Unhandled rejection while rendering \$\{requestUrl\}`\);/;

/** The adapter handler's code without its AsyncLocalStorage; throws when the code has changed shape. */
export function withoutAsyncContext(code: string): string {
  if (!RUN_IN_STORE.test(code) || !LOG_WITH_STORE.test(code)) {
    throw new Error('@astrojs/node serve-app.js changed: src/build/adapter-without-async-context.ts no longer matches it');
  }
  return code
    .replace(RUN_IN_STORE, '((render) => render())(')
    .replace(LOG_WITH_STORE, 'logger.error("Unhandled rejection while rendering a page");');
}

export function adapterWithoutAsyncContextPlugin(): Plugin {
  return {
    name: 'qala:adapter-without-async-context',
    apply: 'build',
    transform(code, id) {
      if (!ADAPTER_HANDLER.test(id)) return null;
      return { code: withoutAsyncContext(code), map: null };
    },
  };
}

export function adapterWithoutAsyncContext(): AstroIntegration {
  return {
    name: 'qala:adapter-without-async-context',
    hooks: {
      'astro:config:setup': ({ updateConfig }) => {
        updateConfig({ vite: { plugins: [adapterWithoutAsyncContextPlugin()] } });
      },
    },
  };
}
