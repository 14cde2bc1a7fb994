// Precompresses the built static files (brotli and gzip beside each file, served by
// src/node/ when the browser accepts them). The work runs in worker threads, one per
// core, and a file whose content did not change since the last build is not compressed
// again: its compressed copies are kept in a cache named by the content's hash (the
// manifest of what each build used), because `astro build` empties dist/ every time.
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, linkSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, relative } from 'node:path';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

/**
 * Brotli 5 and gzip 6, chosen by measurement on Qala's built pages
 * (tests/bench/compression.measure.mjs; the table is in the README, "Build speed"):
 * brotli 5 gives 25.3% of the original size at ~2 ms a file; 11 gives 22.4% at ~110 ms,
 * which for 10,000 documents is minutes of every cold build; 6–9 cost more for no gain
 * that counts. Gzip 9 is no smaller than 6.
 */
export const DEFAULT_LEVELS = { brotli: 5, gzip: 6 };

/** What is worth compressing: text formats, at least 1 KiB (smaller gains nothing over the headers). */
const COMPRESSIBLE = /\.(html|css|js|mjs|json|svg|xml|txt|ico)$/;
const MIN_BYTES = 1024;
/** The last build's files and their content keys, for a person wondering what the cache holds. */
const MANIFEST = 'manifest.json';

/** Where the compressed copies are kept between builds (never committed: node_modules is ignored). */
export const DEFAULT_CACHE = join('node_modules', '.cache', 'qala', 'precompressed');

function* filesIn(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* filesIn(path);
    else yield path;
  }
}

/** The files of `root` that get compressed copies. */
export function compressibleFiles(root) {
  return [...filesIn(root)].filter((file) => COMPRESSIBLE.test(file) && statSync(file).size >= MIN_BYTES);
}

/** The cache key of a file's content at these levels (other levels give other bytes). */
function keyOf(body, levels) {
  return createHash('sha256').update(`br${levels.brotli}:gz${levels.gzip}:`).update(body).digest('hex');
}

/** Writes through a temporary name, so a build stopped half-way leaves no truncated cache entry. */
function writeAtomically(path, body) {
  const temporary = `${path}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  writeFileSync(temporary, body);
  renameSync(temporary, path);
}

/**
 * Puts a cached copy beside the built file: a hard link (no bytes written; the next build
 * empties dist/ by unlinking, which leaves the cache as it was), else a copy.
 */
function place(cached, target) {
  try {
    linkSync(cached, target);
  } catch {
    copyFileSync(cached, target);
  }
}

/** One file: its copies from the cache when its content is known, else compressed now (and cached). */
export function precompressFile(file, cacheDir, levels) {
  const body = readFileSync(file);
  const key = keyOf(body, levels);
  const cachedBrotli = join(cacheDir, `${key}.br`);
  const cachedGzip = join(cacheDir, `${key}.gz`);
  const reused = existsSync(cachedBrotli) && existsSync(cachedGzip);
  if (!reused) {
    const brotli = brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: levels.brotli, [constants.BROTLI_PARAM_SIZE_HINT]: body.length } });
    writeAtomically(cachedBrotli, brotli);
    writeAtomically(cachedGzip, gzipSync(body, { level: levels.gzip }));
  }
  rmSync(`${file}.br`, { force: true });
  rmSync(`${file}.gz`, { force: true });
  place(cachedBrotli, `${file}.br`);
  place(cachedGzip, `${file}.gz`);
  return { key, reused };
}

/** Compresses (or takes from the cache) `files` on `threads` worker threads; resolves with each file's key and whether it was reused. */
async function compressInWorkers(files, cacheDir, levels, threads) {
  const batches = [];
  for (let start = 0; start < files.length; start += 64) batches.push(files.slice(start, start + 64));
  const results = [];
  const workers = Array.from({ length: Math.min(threads, batches.length) }, () => new Worker(new URL(import.meta.url), { workerData: { cacheDir, levels } }));
  await Promise.all(
    workers.map(
      (worker) =>
        new Promise((done, fail) => {
          const sendNext = () => {
            const batch = batches.shift();
            if (batch) worker.postMessage(batch);
            else worker.terminate().then(() => done(), fail);
          };
          worker.on('message', (batchResults) => {
            results.push(...batchResults);
            sendNext();
          });
          worker.on('error', fail);
          sendNext();
        }),
    ),
  );
  return results;
}

function writeManifest(cacheDir, levels, files) {
  writeFileSync(join(cacheDir, MANIFEST), JSON.stringify({ levels, files }));
}

/**
 * Precompresses every compressible file under `root` on `threads` worker threads, reusing
 * the cached copies of unchanged content; then forgets cache entries this build did not
 * use, so the cache holds one build's worth. Returns how many files were compressed and
 * how many reused.
 */
export async function precompress({ root, cacheDir = DEFAULT_CACHE, levels = DEFAULT_LEVELS, threads = availableParallelism() }) {
  mkdirSync(cacheDir, { recursive: true });
  const results = await compressInWorkers(compressibleFiles(root), cacheDir, levels, threads);
  const used = new Set(results.map((result) => result.key));
  for (const name of readdirSync(cacheDir)) {
    if (name !== MANIFEST && !used.has(name.replace(/\.(br|gz)$/, ''))) rmSync(join(cacheDir, name), { force: true });
  }
  writeManifest(cacheDir, levels, Object.fromEntries(results.map((result) => [relative(root, result.file), result.key])));
  const reused = results.filter((result) => result.reused).length;
  return { files: results.length, compressed: results.length - reused, reused };
}

/**
 * Precompresses only the files of `root` a content-only rebuild wrote (`changed`) and
 * forgets those it deleted (`removed`, whose compressed copies it deleted with them): the
 * other files are as the last build left them, compressed copies included, so they are
 * neither read nor hashed. The cache's manifest, which lists the files of the last build and
 * their keys, is brought up to date, and cache entries no file uses any more are deleted.
 * Without a manifest of the same levels (a cache from elsewhere), every file is done.
 */
export async function precompressChanged({ root, changed, removed, cacheDir = DEFAULT_CACHE, levels = DEFAULT_LEVELS, threads = availableParallelism() }) {
  let manifest;
  try {
    manifest = JSON.parse(readFileSync(join(cacheDir, MANIFEST), 'utf8'));
  } catch {
    manifest = undefined;
  }
  if (!manifest?.files || JSON.stringify(manifest.levels) !== JSON.stringify(levels)) return precompress({ root, cacheDir, levels, threads });
  const files = { ...manifest.files };
  const before = new Set();
  const forget = (file) => {
    const name = relative(root, file);
    if (name in files) before.add(files[name]);
    delete files[name];
  };
  const compressible = [];
  for (const file of new Set(changed)) {
    forget(file);
    if (COMPRESSIBLE.test(file) && statSync(file).size >= MIN_BYTES) compressible.push(file);
    else {
      // Too small now (or never compressible): no stale copies may stay beside it.
      rmSync(`${file}.br`, { force: true });
      rmSync(`${file}.gz`, { force: true });
    }
  }
  for (const file of removed) forget(file);
  const results = await compressInWorkers(compressible, cacheDir, levels, threads);
  for (const result of results) files[relative(root, result.file)] = result.key;
  const used = new Set(Object.values(files));
  for (const key of before) {
    if (used.has(key)) continue;
    rmSync(join(cacheDir, `${key}.br`), { force: true });
    rmSync(join(cacheDir, `${key}.gz`), { force: true });
  }
  writeManifest(cacheDir, levels, files);
  const reused = results.filter((result) => result.reused).length;
  return { files: results.length, compressed: results.length - reused, reused, untouched: Object.keys(files).length - results.length };
}

if (!isMainThread && workerData?.cacheDir) {
  parentPort.on('message', (batch) => {
    parentPort.postMessage(batch.map((file) => ({ file, ...precompressFile(file, workerData.cacheDir, workerData.levels) })));
  });
}
