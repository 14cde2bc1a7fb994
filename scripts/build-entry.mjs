// Runs after `astro build`: bundles Qala's own Node entry (server, migrations, CLI)
// into dist/qala.mjs so production needs no TypeScript runtime, checks that no
// prerendered page carries an inline script (the Content-Security-Policy allows
// scripts from 'self' only), and precompresses static files (scripts/precompress.mjs:
// worker threads, unchanged files reused). (Search needs no build step: it reads the
// database, src/server/search/.)
import { spawnSync } from 'node:child_process';
import { build } from 'esbuild';
import { existsSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
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

function* files(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* files(path);
    else yield path;
  }
}

// Every content file of a prerendered section has its page. Astro 5.18 can bundle a data
// store older than the content it synced (a save already under way when the last one is
// asked for writes the older data again), which would drop pages without an error.
const PRERENDERED_SECTIONS = { resources: 'resources', news: 'news', events: 'events', programmes: 'funding' };
const missingPages = [];
for (const [collection, section] of Object.entries(PRERENDERED_SECTIONS)) {
  for (const lang of ['kk', 'ru', 'en']) {
    const folder = join('content', collection, lang);
    for (const name of existsSync(folder) ? readdirSync(folder) : []) {
      if (!name.endsWith('.md')) continue;
      const page = join(client, lang, section, name.slice(0, -'.md'.length), 'index.html');
      if (!existsSync(page)) missingPages.push(page);
    }
  }
}
if (missingPages.length > 0) {
  console.error(`${missingPages.length} content file(s) have no page, e.g. ${missingPages.slice(0, 3).join(', ')}.`);
  console.error('Astro bundled an incomplete content store: run the build again (npm run build).');
  process.exit(1);
}

const inlineScript = /<script(?![^>]*\ssrc=)[^>]*>([\s\S]*?)<\/script>/;
const withInlineScripts = [...files(client)].filter((file) => file.endsWith('.html') && inlineScript.test(readFileSync(file, 'utf8')));
if (withInlineScripts.length > 0) {
  console.error(`Inline <script> found in ${withInlineScripts.join(', ')}.`);
  console.error("The Content-Security-Policy allows scripts from 'self' only: move the script into a file.");
  process.exit(1);
}

const started = performance.now();
const compression = await precompress({ root: client });
const compressionSeconds = ((performance.now() - started) / 1000).toFixed(1);
console.log(`entry bundled to dist/qala.mjs; ${compression.files} static file(s) precompressed (${compression.compressed} compressed, ${compression.reused} unchanged) in ${compressionSeconds} s`);
