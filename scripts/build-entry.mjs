// Runs after `astro build`: bundles Qala's own Node entry (server, migrations, CLI)
// into dist/qala.mjs so production needs no TypeScript runtime, checks that no
// prerendered page carries an inline script (the Content-Security-Policy allows
// scripts from 'self' only), and precompresses static files (scripts/precompress.mjs:
// worker threads, unchanged files reused). (Search needs no build step: it reads the
// database, src/server/search/.)
import { spawnSync } from 'node:child_process';
import { build } from 'esbuild';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { hasInlineScript, missingPages } from './build-checks.mjs';
import { BUILD_INPUTS_FILE, codeFingerprint, contentModulesFingerprint } from './build-inputs.mjs';
import { precompress } from './precompress.mjs';

const dist = 'dist';
const client = join(dist, 'client');

await build({
  entryPoints: ['src/node/qala.ts'],
  outfile: join(dist, 'qala.mjs'),
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  alias: { '~': './src' },
  logLevel: 'warning',
});

// A content file and a portal item with the same slug would be two pages at one address:
// the build fails naming both, when the configured database (DATABASE_URL, else
// db/qala.db) exists and answers; a fresh clone passes with a one-line note.
const slugCheck = spawnSync(process.execPath, [join(dist, 'qala.mjs'), 'content', 'check'], { stdio: 'inherit', env: { ...process.env, LOG_LEVEL: 'warn' } });
if (slugCheck.status !== 0) {
  console.error('The build stops: a portal item and a content file have the same slug (above).');
  process.exit(slugCheck.status || 1);
}

// The content files' search documents (src/pages/search-content.json.ts) are for the
// server to read at start, not for the public folder.
const contentDocuments = join(client, 'search-content.json');
if (!existsSync(contentDocuments)) throw new Error(`${contentDocuments} is missing: the build did not write the content's search documents`);
renameSync(contentDocuments, join(dist, 'search-content.json'));

// What each prerendered item page shows, for a content-only rebuild (scripts/fast-rebuild.mjs);
// beside the rest of what it needs (src/build/prerender-kit.ts).
const pageInputs = join(client, 'build-dependencies.json');
if (!existsSync(pageInputs)) throw new Error(`${pageInputs} is missing: the build did not write the prerendered pages' inputs`);
mkdirSync(join(dist, 'prerender'), { recursive: true });
renameSync(pageInputs, join(dist, 'prerender', 'dependencies.json'));
// And what each search document is made from (src/pages/search-inputs.json.ts), so that it
// makes again only the documents whose inputs changed.
const searchInputs = join(client, 'search-inputs.json');
if (!existsSync(searchInputs)) throw new Error(`${searchInputs} is missing: the build did not write the search documents' inputs`);
renameSync(searchInputs, join(dist, 'prerender', 'search-inputs.json'));

function* files(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* files(path);
    else yield path;
  }
}

// Every content file of a prerendered section has its page (scripts/build-checks.mjs says why this can fail).
const missing = missingPages(client);
if (missing.length > 0) {
  console.error(`${missing.length} content file(s) have no page, e.g. ${missing.slice(0, 3).join(', ')}.`);
  console.error('Astro bundled an incomplete content store: run the build again (npm run build).');
  process.exit(1);
}

const withInlineScripts = [...files(client)].filter((file) => file.endsWith('.html') && hasInlineScript(readFileSync(file, 'utf8')));
if (withInlineScripts.length > 0) {
  console.error(`Inline <script> found in ${withInlineScripts.join(', ')}.`);
  console.error("The Content-Security-Policy allows scripts from 'self' only: move the script into a file.");
  process.exit(1);
}

const started = performance.now();
const compression = await precompress({ root: client });
const compressionSeconds = ((performance.now() - started) / 1000).toFixed(1);
console.log(`entry bundled to dist/qala.mjs; ${compression.files} static file(s) precompressed (${compression.compressed} compressed, ${compression.reused} unchanged) in ${compressionSeconds} s`);

// Written last: a dist/ with this record is complete, and a later build whose code,
// configuration and environment are the same may take the content-only path.
if (existsSync(join(dist, 'prerender', 'routes.json')) && existsSync(join(dist, 'prerender', 'pages.json'))) {
  writeFileSync(BUILD_INPUTS_FILE, JSON.stringify({ code: codeFingerprint(), contentModules: contentModulesFingerprint() }));
}
