import type { AstroIntegration } from 'astro';
import { existsSync, readFileSync } from 'node:fs';
import type { Plugin } from 'vite';

/**
 * Astro's content store (every collection entry, its data and rendered HTML: tens of MB at
 * thousands of documents) reaches the server as the virtual module `astro:data-layer-content`,
 * which Astro's own plugin writes as one JavaScript object literal (`dataToEsm`) that Rollup
 * then parses, transforms and writes on every build: the largest part of a rebuild after one
 * edit (README: Build speed). In a build, this plugin answers that module first with a few
 * lines that read the store's JSON at run time, and writes the JSON beside the server's chunks
 * (dist/server/chunks/data-store.json: the server runs from dist/ alone, without .astro/ or
 * the cache). Astro's runtime (`ImmutableDataStore.fromModule`) takes the parsed JSON as it
 * took the literal: both are the devalue-flattened store. `astro dev` and `astro sync` are
 * left to Astro's plugin (`apply: 'build'`).
 */

/** Astro's id for the resolved store module (astro/dist/content/consts.js). */
const STORE_MODULE = '\0astro:data-layer-content';
/** Where the store's JSON lands, relative to the server's output folder (dist/server/). */
export const STORE_FILE_NAME = 'chunks/data-store.json';

/** The code of the store module: the JSON beside it, read once when Astro first asks for content. */
export function storeModuleCode(fileUrlExpression: string): string {
  return [
    "import { readFileSync } from 'node:fs';",
    `const file = new URL(${fileUrlExpression});`,
    'let text;',
    'try {',
    "  text = readFileSync(file, 'utf8');",
    '} catch (error) {',
    // Astro swallows an error here and serves empty collections: say why first.
    '  console.error(`The content store ${file.pathname} cannot be read (${error.message}): run npm run build again.`);',
    '  throw error;',
    '}',
    'export default JSON.parse(text);',
  ].join('\n');
}

export function dataStoreVitePlugin(storeFile: URL): Plugin {
  return {
    name: 'qala:data-store-read-at-run-time',
    apply: 'build',
    // Astro's plugin answers this id too and comes first among `enforce: 'pre'` plugins;
    // a hook ordered 'pre' runs before every unordered one.
    load: {
      order: 'pre',
      handler(id, options) {
        if (id !== STORE_MODULE || !options?.ssr) return null;
        // No store yet (no content collections synced): Astro's empty module.
        if (!existsSync(storeFile)) return null;
        const reference = this.emitFile({ type: 'asset', fileName: STORE_FILE_NAME, source: readFileSync(storeFile) });
        return { code: storeModuleCode(`import.meta.ROLLUP_FILE_URL_${reference}`), map: { mappings: '' } };
      },
    },
  };
}

/** The integration that adds the plugin, with the store file of this configuration's cache folder. */
export function dataStoreReadAtRunTime(): AstroIntegration {
  return {
    name: 'qala:data-store-read-at-run-time',
    hooks: {
      'astro:config:setup': ({ config, updateConfig }) => {
        // Astro's build reads the store from the cache folder (content-layer.js getDataStoreFile).
        updateConfig({ vite: { plugins: [dataStoreVitePlugin(new URL('data-store.json', config.cacheDir))] } });
      },
    },
  };
}
