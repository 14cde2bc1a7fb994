// The size / time trade-off of each compression level on built files, to choose the
// levels scripts/precompress.mjs uses. Not part of npm test.
// Run after a build: node tests/bench/compression.measure.mjs [dist/client] [--files 400]
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { compressibleFiles } from '../../scripts/precompress.mjs';

const { values, positionals } = parseArgs({ options: { files: { type: 'string', default: '400' } }, allowPositionals: true });
const root = positionals[0] ?? 'dist/client';
const all = compressibleFiles(root);
// An even sample across the site (pages of every kind, styles, scripts).
const step = Math.max(1, Math.floor(all.length / Number(values.files)));
const bodies = all.filter((_, index) => index % step === 0).map((file) => readFileSync(file));
const original = bodies.reduce((sum, body) => sum + body.length, 0);

const methods = [
  ...[4, 5, 6, 7, 9, 11].map((quality) => ({
    name: `brotli ${quality}`,
    compress: (body) => brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: quality, [constants.BROTLI_PARAM_SIZE_HINT]: body.length } }),
  })),
  ...[6, 9].map((level) => ({ name: `gzip ${level}`, compress: (body) => gzipSync(body, { level }) })),
];

console.log(`${bodies.length} of ${all.length} files from ${root}, ${(original / 1024).toFixed(0)} KiB`);
console.log('| level | size | of original | ms per file |');
console.log('|---|---|---|---|');
for (const method of methods) {
  const started = performance.now();
  let size = 0;
  for (const body of bodies) size += method.compress(body).length;
  const milliseconds = performance.now() - started;
  console.log(`| ${method.name} | ${(size / 1024).toFixed(0)} KiB | ${((100 * size) / original).toFixed(1)}% | ${(milliseconds / bodies.length).toFixed(2)} |`);
}
