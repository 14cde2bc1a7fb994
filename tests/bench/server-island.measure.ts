import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, it } from 'vitest';
import { temporaryDirectory } from '../helpers/database.ts';

/**
 * What an Astro 5 server island (`server:defer`) would add to a prerendered file item's
 * page for its related items (issue 22: portal items in file pages' related lists without
 * a rebuild): a tiny project with the same adapter and build settings builds one
 * prerendered page with a deferred component and its build-time fallback, and this prints
 * the inline scripts Astro writes into the page and the island's own request. Qala's
 * Content-Security-Policy allows scripts from 'self' only and scripts/build-entry.mjs
 * refuses inline scripts, which is why the related list stays as built (README).
 */

const dir = temporaryDirectory('qala-island-');
afterAll(() => dir.remove());

it('measures the inline script a server island adds to a prerendered page', () => {
  const root = dir.path;
  symlinkSync(join(process.cwd(), 'node_modules'), join(root, 'node_modules'), 'dir');
  mkdirSync(join(root, 'src', 'pages'), { recursive: true });
  mkdirSync(join(root, 'src', 'components'), { recursive: true });
  writeFileSync(
    join(root, 'astro.config.mjs'),
    "import node from '@astrojs/node';\nimport { defineConfig } from 'astro/config';\nexport default defineConfig({ output: 'server', adapter: node({ mode: 'middleware' }), cacheDir: './.cache', build: { inlineStylesheets: 'never' } });\n",
  );
  writeFileSync(join(root, 'src', 'components', 'Related.astro'), '---\nconst { slug } = Astro.props;\n---\n<ul><li>related to {slug}, published after the build</li></ul>\n');
  writeFileSync(
    join(root, 'src', 'pages', 'item.astro'),
    "---\nimport Related from '../components/Related.astro';\nexport const prerender = true;\n---\n<html lang=\"en\"><head><title>Item</title></head><body><h1>A file item</h1>\n<section><h2>Related</h2><Related server:defer slug=\"budget-day\"><ul slot=\"fallback\"><li>related at build time</li></ul></Related></section>\n</body></html>\n",
  );
  const started = performance.now();
  const built = spawnSync(process.execPath, [join(root, 'node_modules', 'astro', 'astro.js'), 'build', '--root', root], { cwd: root, encoding: 'utf8', env: { ...process.env, ASTRO_TELEMETRY_DISABLED: '1' } });
  if (built.status !== 0) throw new Error(built.stdout + built.stderr);
  const html = readFileSync(join(root, 'dist', 'client', 'item', 'index.html'), 'utf8');
  const inline = [...html.matchAll(/<script(?![^>]*\ssrc=)[^>]*>[\s\S]*?<\/script>/g)].map((match) => match[0].length);
  const islandRequests = [...html.matchAll(/\/_server-islands\/[^"'\s]+/g)].length;
  console.log(
    JSON.stringify({
      buildSeconds: Number(((performance.now() - started) / 1000).toFixed(1)),
      pageBytes: html.length,
      pageGzipBytes: gzipSync(html).length,
      inlineScripts: inline.length,
      inlineScriptBytes: inline.reduce((sum, size) => sum + size, 0),
      // A preload and a fetch of the same URL: one on-demand render per page view with JavaScript on.
      islandUrlsInPage: islandRequests,
    }),
  );
});
