// The content-only rebuild: when the code, configuration and environment are those of the
// last complete build (scripts/build-inputs.mjs), only the content changed, so instead of
// `astro build` (bundling the server again and prerendering every page) this syncs the
// content store, renders again through the last build's own server bundle only the
// prerendered pages whose inputs changed (src/server/knowledge/page-inputs.ts), deletes
// the pages that are gone, makes again the search documents whose inputs changed
// (src/pages/search-inputs.json.ts), writes the sitemap when pages were added or removed, and
// compresses what it wrote. The result is the same dist/ as a full build of the same content
// (tests/build/fast-rebuild.test.ts compares them byte for byte).
//
// `fastRebuild()` resolves with { fast: true, ... } when it rebuilt, or { fast: false, reason }
// when a full build is needed (scripts/build.mjs then runs it).
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, linkSync, mkdirSync, readdirSync, readFileSync, rmdirSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest, createServer } from 'node:http';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import sitemap from '@astrojs/sitemap';
import { sitemapOptions } from '../src/build/sitemap-options.mjs';
import { hasInlineScript, missingPages } from './build-checks.mjs';
import { BUILD_INPUTS_FILE, codeFingerprint, contentModulesFingerprint, readBuildInputs } from './build-inputs.mjs';
import { precompressChanged } from './precompress.mjs';

const dist = 'dist';
const client = join(dist, 'client');
const kit = join(dist, 'prerender');
/** Astro's content store after `astro sync` (its cache folder, astro.config.mjs leaves the default). */
const STORE = join('node_modules', '.astro', 'data-store.json');
/**
 * Above this share of prerendered pages to render or delete (and MIN_PAGES_FOR_SHARE pages),
 * a full build is taken: that is a change of most of the site (a rename across every
 * document), which a full build, which also starts from a clean dist/, does in about the
 * same time. On a small site a single edit reaches a large share of the pages through their
 * related items, so the share counts only from MIN_PAGES_FOR_SHARE up.
 */
const MAX_SHARE = 0.5;
const MIN_PAGES_FOR_SHARE = 200;
const SEARCH_DOCUMENTS = join(dist, 'search-content.json');
const SEARCH_INPUTS = join(kit, 'search-inputs.json');
/** Document keys per request for the search documents of changed entries (a URL stays well under Node's 16 KiB header limit). */
const KEYS_PER_REQUEST = 100;
/** Pages rendered at once (the renderer is in this process; the rest is waiting on I/O). */
const CONCURRENCY = 4;

/**
 * Astro's command line, run by this Node rather than through npx (which costs ~0.4 s of
 * package lookup per call).
 */
export const ASTRO = [process.execPath, join(dirname(createRequire(import.meta.url).resolve('astro/package.json')), 'astro.js')];

/** `astro sync` with a store file that is always the synced one. */
export const CONTENT_SYNC = join(import.meta.dirname, 'content-sync.mjs');

/** Runs a command in the project, as `npm run build` would; throws when it fails. */
export function run(command, args) {
  const result = spawnSync(command, args, { stdio: 'inherit', env: { ...process.env, ASTRO_TELEMETRY_DISABLED: '1' } });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (exit ${result.status ?? result.signal})`);
}

/** Why the content-only path cannot be taken before anything is done, or undefined. */
export function fastPathRefusal() {
  const record = readBuildInputs();
  if (!record) return 'no complete build in dist/ (dist/build-inputs.json is written last by a full build)';
  for (const file of ['routes.json', 'pages.json', 'dependencies.json', 'search-inputs.json', join('server', 'entry.mjs')]) {
    if (!existsSync(join(kit, file))) return `dist/prerender/${file} is missing`;
  }
  if (!existsSync(SEARCH_DOCUMENTS)) return `${SEARCH_DOCUMENTS} is missing`;
  if (record.code !== codeFingerprint()) return 'code, configuration or environment changed since the last build';
  return undefined;
}

/** Prints how long each step of the content-only rebuild took. */
function stepTimer() {
  let last = performance.now();
  return (step) => {
    const now = performance.now();
    console.log(`[qala build]   ${step}: ${((now - last) / 1000).toFixed(1)} s`);
    last = now;
  };
}

export async function fastRebuild() {
  const step = stepTimer();
  const refusal = fastPathRefusal();
  if (refusal) return { fast: false, reason: refusal };
  const record = readBuildInputs();
  // Until this rebuild is complete, dist/ is not one a later build may start from.
  rmSync(BUILD_INPUTS_FILE);
  step('code fingerprint');
  // `astro sync`, with the store written whole once it is synced (scripts/content-sync.mjs says why).
  run(process.execPath, [CONTENT_SYNC]);
  step('astro sync');
  if (contentModulesFingerprint() !== record.contentModules) return { fast: false, reason: 'a document imports images or other files, which are bundled' };
  // Before the renderer holds the store in this process, so the two are not in memory at once.
  const slugCheck = spawnSync(process.execPath, [join(dist, 'qala.mjs'), 'content', 'check'], { stdio: 'inherit', env: { ...process.env, LOG_LEVEL: 'warn' } });
  if (slugCheck.status !== 0) throw new Error('a portal item and a content file have the same slug (above)');
  step('slugs checked against portal items');
  // The server reads the store at run time (src/build/data-store-read-at-run-time.ts); so does the renderer's copy.
  for (const server of [join(dist, 'server'), join(kit, 'server')]) placeStore(join(server, 'chunks', 'data-store.json'));

  const renderer = await startRenderer();
  try {
    const before = JSON.parse(readFileSync(join(kit, 'dependencies.json'), 'utf8'));
    const afterText = await renderer.get('/build-dependencies.json');
    const after = JSON.parse(afterText);
    step('content store read and page inputs digested');
    const render = Object.keys(after).filter((path) => before[path] !== after[path]);
    const removed = Object.keys(before).filter((path) => !(path in after));
    const total = Math.max(Object.keys(before).length, Object.keys(after).length);
    if (render.length + removed.length > Math.max(MIN_PAGES_FOR_SHARE, total * MAX_SHARE)) {
      return { fast: false, reason: `${render.length + removed.length} of ${total} prerendered pages changed (more than ${MAX_SHARE * 100}%)` };
    }

    const queue = [...render];
    const worker = async () => {
      for (let path = queue.shift(); path !== undefined; path = queue.shift()) {
        const html = await renderer.get(path);
        if (hasInlineScript(html)) throw new Error(`Inline <script> in ${path}: the Content-Security-Policy allows scripts from 'self' only.`);
        const folder = join(client, path);
        mkdirSync(folder, { recursive: true });
        writeFileSync(join(folder, 'index.html'), html);
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    // What this rebuild wrote and deleted in dist/client, for compression.
    const written = render.map((path) => join(client, path, 'index.html'));
    const deleted = removed.map((path) => join(client, path, 'index.html'));
    for (const path of removed) removePage(path);
    step(`${render.length} page(s) rendered, ${removed.length} removed`);

    const search = await writeSearchDocuments(renderer);
    step(`search documents (${search.made} made again, ${search.removed} removed, ${search.kept} kept)`);
    const added = new Set(Object.keys(after).filter((path) => !(path in before)).map(withoutLeadingSlash));
    // The sitemap is a function of the list of pages (and the options, which are code): the same
    // pages, the same files.
    if (added.size > 0 || removed.length > 0) {
      const sitemap = await writeSitemap(new Set(removed.map(withoutLeadingSlash)), added);
      written.push(...sitemap.written);
      deleted.push(...sitemap.deleted);
      step('sitemap');
    }

    const missing = missingPages(client);
    if (missing.length > 0) throw new Error(`${missing.length} content file(s) have no page, e.g. ${missing.slice(0, 3).join(', ')}.`);
    step('checks');
    const compression = await precompressChanged({ root: client, changed: written, removed: deleted });
    step('compression');

    writeFileSync(join(kit, 'dependencies.json'), afterText);
    writeFileSync(SEARCH_INPUTS, search.inputs);
    writeFileSync(BUILD_INPUTS_FILE, JSON.stringify(record));
    return { fast: true, rendered: render.length, removed: removed.length, compression };
  } finally {
    await renderer.close();
  }
}

/**
 * Writes dist/search-content.json as a full build would: the documents of the entries whose
 * inputs changed (or that are new) made again by the bundle, the others kept from the last
 * build's file (parsed and written again by JSON, which gives back the same bytes), those
 * gone left out, in the full build's order (by key, src/server/search/sources/content.ts).
 * Resolves with the new inputs, written by the caller when the whole rebuild is done.
 */
async function writeSearchDocuments(renderer) {
  const before = JSON.parse(readFileSync(SEARCH_INPUTS, 'utf8'));
  const inputs = await renderer.get('/search-inputs.json');
  const after = JSON.parse(inputs);
  const changed = Object.keys(after).filter((key) => before[key] !== after[key]);
  const removed = Object.keys(before).filter((key) => !(key in after)).length;
  const kept = Object.keys(after).length - changed.length;
  if (changed.length === 0 && removed === 0) return { inputs, made: 0, removed, kept };
  const made = [];
  for (let start = 0; start < changed.length; start += KEYS_PER_REQUEST) {
    const query = changed.slice(start, start + KEYS_PER_REQUEST).map((key) => `key=${encodeURIComponent(key)}`).join('&');
    made.push(...JSON.parse(await renderer.get(`/search-content.json?${query}`)));
  }
  const remade = new Set(changed);
  if (made.length !== changed.length || made.some((document) => !remade.has(document.key))) {
    throw new Error(`asked for ${changed.length} search document(s), the bundle made ${made.length} others`);
  }
  const documents = JSON.parse(readFileSync(SEARCH_DOCUMENTS, 'utf8')).filter((document) => document.key in after && !remade.has(document.key));
  if (documents.length !== kept) throw new Error(`${SEARCH_DOCUMENTS} holds ${documents.length} of the ${kept} documents whose inputs did not change`);
  documents.push(...made);
  documents.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  writeFileSync(SEARCH_DOCUMENTS, JSON.stringify(documents));
  return { inputs, made: made.length, removed, kept };
}

/**
 * Puts the synced store where the server reads it: a hard link to Astro's file (~200 MB at
 * 10,000 documents not copied twice), which stays as it is when the next sync writes the
 * store, as Astro replaces the file (a new file renamed over it) rather than writing into it.
 * A copy where links cannot be made.
 */
function placeStore(target) {
  rmSync(target, { force: true });
  try {
    linkSync(STORE, target);
  } catch {
    copyFileSync(STORE, target);
  }
}

function withoutLeadingSlash(path) {
  return path.replace(/^\//, '');
}

/** Deletes a page that is gone, its compressed copies and the folders it leaves empty. */
function removePage(path) {
  const folder = join(client, path);
  for (const name of ['index.html', 'index.html.br', 'index.html.gz']) rmSync(join(folder, name), { force: true });
  for (let dir = folder; dir !== client && existsSync(dir) && readdirSync(dir).length === 0; dir = dirname(dir)) rmdirSync(dir);
}

/**
 * Writes the sitemap as @astrojs/sitemap did in the full build (same integration, same
 * options, the static routes it read then), over the pages the build prerendered with those
 * that are gone left out and the new ones added; it sorts the URLs itself.
 */
async function writeSitemap(removed, added) {
  const recorded = JSON.parse(readFileSync(join(kit, 'pages.json'), 'utf8'));
  const pages = [...recorded.pages.map(withoutLeadingSlash).filter((page) => !removed.has(page)), ...added];
  const integration = sitemap(sitemapOptions(recorded.config.site));
  const hooks = /** @type {Record<string, (options: any) => unknown>} */ (integration.hooks);
  await hooks['astro:routes:resolved']({ routes: recorded.sitemapRoutes.map((route) => ({ type: 'page', pathname: route.pathname, generate: () => route.generated })) });
  await hooks['astro:config:done']({ config: recorded.config });
  const sitemapFiles = () => readdirSync(client).filter((name) => /^sitemap-(\d+|index)\.xml$/.test(name)).map((name) => join(client, name));
  const old = sitemapFiles();
  for (const name of readdirSync(client)) if (/^sitemap-(\d+|index)\.xml(\.br|\.gz)?$/.test(name)) rmSync(join(client, name));
  const logger = { info() {}, warn: (message) => console.warn(message), error: (message) => console.error(message) };
  await hooks['astro:build:done']({ dir: pathToFileURL(`${client}/`), pages: pages.map((pathname) => ({ pathname })), logger });
  writeFileSync(join(kit, 'pages.json'), JSON.stringify({ ...recorded, pages }));
  const written = sitemapFiles();
  return { written, deleted: old.filter((file) => !written.includes(file)) };
}

/**
 * The last full build's server bundle (dist/prerender/server, src/build/prerender-kit.ts),
 * answering only its prerendered routes, with the head elements Astro's build gave them,
 * behind a local HTTP server: its own Node adapter turns requests into what Astro renders.
 */
async function startRenderer() {
  const serverDir = join(kit, 'server');
  const { origin, routes } = JSON.parse(readFileSync(join(kit, 'routes.json'), 'utf8'));
  const astroEntry = fileURLToPath(import.meta.resolve('astro'));
  const { deserializeRouteData } = await import(pathToFileURL(join(dirname(astroEntry), 'core', 'routing', 'manifest', 'serialization.js')).href);
  const manifestFile = readdirSync(serverDir).find((name) => /^manifest_.*\.mjs$/.test(name));
  if (!manifestFile) throw new Error('dist/prerender/server has no manifest');
  const { manifest } = await import(pathToFileURL(join(serverDir, manifestFile)).href);
  const recorded = routes.map((route) => ({ file: '', links: [], scripts: route.scripts, styles: route.styles, routeData: deserializeRouteData(route.routeData) }));
  const components = new Set(recorded.map((route) => route.routeData.component));
  // Prerendered routes only, so a path matches the prerendered route, not its on-demand twin.
  // Nor are the files they wrote static assets to it (the app does not render paths it lists there).
  manifest.assets = new Set();
  manifest.routes = [...recorded, ...manifest.routes.filter((route) => route.routeData.prerender && !components.has(route.routeData.component))];
  // The entry adds the pages, renderers and middleware to that manifest and makes the adapter's app from it.
  const { handler } = await import(pathToFileURL(join(serverDir, 'entry.mjs')).href);
  const server = createServer((req, res) => {
    handler(req, res, () => {
      res.statusCode = 404;
      res.end();
    }, {});
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = /** @type {import('node:net').AddressInfo} */ (server.address());
  const site = new URL(origin);
  return {
    /** The body of a prerendered path, as the build would have written it. */
    get: (path) =>
      new Promise((resolve, reject) => {
        const headers = { host: site.host, 'x-forwarded-proto': site.protocol.slice(0, -1) };
        const request = httpRequest({ host: '127.0.0.1', port, path, headers }, (response) => {
          const chunks = [];
          response.on('data', (chunk) => chunks.push(chunk));
          response.on('end', () => {
            const body = Buffer.concat(chunks).toString('utf8');
            if (response.statusCode !== 200) reject(new Error(`rendering ${path} answered ${response.statusCode}: ${body.slice(0, 500)}`));
            else resolve(body);
          });
        });
        request.on('error', reject);
        request.end();
      }),
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}
