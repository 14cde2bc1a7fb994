// Runs after `astro build`: bundles Qala's own Node entry (server, migrations, CLI)
// into dist/qala.mjs so production needs no TypeScript runtime, checks that no
// prerendered page carries an inline script (the Content-Security-Policy allows
// scripts from 'self' only), and precompresses static files. (Search needs no build
// step: it reads the database, src/server/search/.)
import { build } from 'esbuild';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

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

function* files(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* files(path);
    else yield path;
  }
}

const inlineScript = /<script(?![^>]*\ssrc=)[^>]*>([\s\S]*?)<\/script>/;
const withInlineScripts = [...files(client)].filter((file) => file.endsWith('.html') && inlineScript.test(readFileSync(file, 'utf8')));
if (withInlineScripts.length > 0) {
  console.error(`Inline <script> found in ${withInlineScripts.join(', ')}.`);
  console.error("The Content-Security-Policy allows scripts from 'self' only: move the script into a file.");
  process.exit(1);
}

const compressible = /\.(html|css|js|mjs|json|svg|xml|txt|ico)$/;
let compressed = 0;
for (const file of files(client)) {
  if (!compressible.test(file) || statSync(file).size < 1024) continue;
  const body = readFileSync(file);
  writeFileSync(`${file}.br`, brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }));
  writeFileSync(`${file}.gz`, gzipSync(body, { level: 9 }));
  compressed += 1;
}
console.log(`entry bundled to dist/qala.mjs; ${compressed} static file(s) precompressed`);
