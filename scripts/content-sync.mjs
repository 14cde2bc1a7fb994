// `astro sync` (Astro's own, through its programmatic API) with the content store written
// once, after the sync, from what it synced. Both build paths run it (scripts/build.mjs,
// scripts/fast-rebuild.mjs) before they read the store from disk.
//
// Why: Astro 5.18 saves the store on a 500 ms debounce while its loaders still run (the
// first save comes from the bookkeeping it sets at the start), and a save asked for while
// another is being written is put off and then writes the *earlier* data again
// (`#writeFileAtomic` in astro/dist/content/mutable-data-store.js retries with its own
// argument). With thousands of files the loaders outlast the first save, so an edit read
// after it can end up missing from the file while the sync reports success: measured at
// 10,000 documents on a loaded machine, a content-only rebuild then rendered nothing for the
// edited document. Here Astro's saves do nothing and the store is written here, whole, when
// the sync is over: always the synced state, and one serialisation of ~200 MB instead of two.
import { renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const astroDir = dirname(createRequire(import.meta.url).resolve('astro/package.json'));
// The module Astro's sync uses (the same file, so the same class), as src/build/prerender-kit.ts does.
const { MutableDataStore } = await import(pathToFileURL(join(astroDir, 'dist', 'content', 'mutable-data-store.js')).href);
if (typeof MutableDataStore?.fromFile !== 'function' || typeof MutableDataStore.prototype.writeToDisk !== 'function' || typeof MutableDataStore.prototype.toString !== 'function') {
  throw new Error("Astro's content store (astro/dist/content/mutable-data-store.js) has changed shape: scripts/content-sync.mjs needs a look.");
}

/** The stores the sync opened, and their files. */
const opened = [];
const fromFile = MutableDataStore.fromFile;
MutableDataStore.fromFile = async function fromFileKept(file) {
  const store = await fromFile.call(this, file);
  opened.push({ store, file });
  return store;
};
MutableDataStore.prototype.writeToDisk = async function writtenAfterTheSync() {};

const { sync } = await import(pathToFileURL(join(astroDir, 'dist', 'core', 'index.js')).href);
await sync({});
if (opened.length !== 1) throw new Error(`the sync opened ${opened.length} content stores, not one`);
const { store, file } = opened[0];
const path = file instanceof URL ? fileURLToPath(file) : file;
// Through a temporary name: a reader (or a hard link in dist/, scripts/fast-rebuild.mjs) keeps the old file whole.
const temporary = `${path}.${process.pid}.tmp`;
writeFileSync(temporary, store.toString());
renameSync(temporary, path);
// Then the process ends as `astro sync` does, when nothing is left to do (no process.exit, which could cut a write short).
