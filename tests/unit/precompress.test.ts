import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { precompress } from '../../scripts/precompress.mjs';

interface Outcome {
  files: number;
  compressed: number;
  reused: number;
}
const run = (root: string, cacheDir: string): Promise<Outcome> => precompress({ root, cacheDir, threads: 2 });

const folders: string[] = [];
afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

/** A built site in a temporary folder: two pages, a stylesheet and a file too small to compress. */
function site() {
  const base = mkdtempSync(join(tmpdir(), 'qala-precompress-'));
  folders.push(base);
  const root = join(base, 'client');
  mkdirSync(join(root, 'en', 'about'), { recursive: true });
  mkdirSync(join(root, '_astro'));
  writeFileSync(join(root, 'index.html'), `<html>${'<p>Qala home</p>'.repeat(200)}</html>`);
  writeFileSync(join(root, 'en', 'about', 'index.html'), `<html>${'<p>About the association</p>'.repeat(200)}</html>`);
  writeFileSync(join(root, '_astro', 'site.css'), 'body { margin: 0 }\n'.repeat(100));
  writeFileSync(join(root, 'robots.txt'), 'User-agent: *\n');
  return { root, cacheDir: join(base, 'cache') };
}

describe('precompressing the built files', () => {
  it('writes brotli and gzip copies that decompress to the file, for files of 1 KiB and more', async () => {
    const { root, cacheDir } = site();
    expect(await run(root, cacheDir)).toEqual({ files: 3, compressed: 3, reused: 0 });
    const page = readFileSync(join(root, 'index.html'));
    expect(brotliDecompressSync(readFileSync(join(root, 'index.html.br')))).toEqual(page);
    expect(gunzipSync(readFileSync(join(root, 'index.html.gz')))).toEqual(page);
    expect(readdirSync(root)).not.toContain('robots.txt.br');
  });

  it('on the next build (dist emptied and written again) reuses the copies of unchanged files and compresses the changed one', async () => {
    const { root, cacheDir } = site();
    await run(root, cacheDir);
    // `astro build` empties dist/ and writes every file again.
    rmSync(root, { recursive: true });
    mkdirSync(join(root, 'en', 'about'), { recursive: true });
    mkdirSync(join(root, '_astro'));
    writeFileSync(join(root, 'index.html'), `<html>${'<p>Qala home</p>'.repeat(200)}</html>`);
    writeFileSync(join(root, 'en', 'about', 'index.html'), `<html>${'<p>About the association, edited</p>'.repeat(200)}</html>`);
    writeFileSync(join(root, '_astro', 'site.css'), 'body { margin: 0 }\n'.repeat(100));

    expect(await run(root, cacheDir)).toEqual({ files: 3, compressed: 1, reused: 2 });
    const edited = readFileSync(join(root, 'en', 'about', 'index.html'));
    expect(brotliDecompressSync(readFileSync(join(root, 'en', 'about', 'index.html.br')))).toEqual(edited);
    expect(gunzipSync(readFileSync(join(root, 'en', 'about', 'index.html.gz')))).toEqual(edited);
    expect(brotliDecompressSync(readFileSync(join(root, 'index.html.br')))).toEqual(readFileSync(join(root, 'index.html')));

    // The cache keeps this build's copies only: the old version of the edited page is gone.
    const manifest = JSON.parse(readFileSync(join(cacheDir, 'manifest.json'), 'utf8')) as { files: Record<string, string> };
    expect(Object.keys(manifest.files).sort()).toEqual(['_astro/site.css', 'en/about/index.html', 'index.html']);
    const keys = new Set(Object.values(manifest.files));
    const cached = readdirSync(cacheDir).filter((name) => name !== 'manifest.json');
    expect(cached).toHaveLength(6);
    for (const name of cached) expect(keys.has(name.replace(/\.(br|gz)$/, ''))).toBe(true);

    // Nothing changed: nothing compressed.
    expect(await run(root, cacheDir)).toEqual({ files: 3, compressed: 0, reused: 3 });
  });
});
