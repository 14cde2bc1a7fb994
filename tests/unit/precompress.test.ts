import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { precompress, precompressChanged } from '../../scripts/precompress.mjs';

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

  it('after a content-only rebuild compresses only the files it wrote, forgets those it deleted and keeps the cache to what dist/ uses', async () => {
    const { root, cacheDir } = site();
    await run(root, cacheDir);
    const about = join(root, 'en', 'about', 'index.html');
    const added = join(root, 'en', 'news', 'index.html');
    const home = join(root, 'index.html');
    // The rebuild writes one page again, adds one and deletes the stylesheet (with its copies).
    writeFileSync(about, `<html>${'<p>About the association, edited</p>'.repeat(200)}</html>`);
    mkdirSync(join(root, 'en', 'news'));
    writeFileSync(added, `<html>${'<p>News</p>'.repeat(200)}</html>`);
    for (const suffix of ['', '.br', '.gz']) rmSync(join(root, '_astro', `site.css${suffix}`));
    const homeCopy = readFileSync(`${home}.br`);

    expect(await precompressChanged({ root, cacheDir, threads: 2, changed: [about, added], removed: [join(root, '_astro', 'site.css')] })).toEqual({
      files: 2,
      compressed: 2,
      reused: 0,
      untouched: 1,
    });
    for (const page of [about, added]) {
      expect(brotliDecompressSync(readFileSync(`${page}.br`))).toEqual(readFileSync(page));
      expect(gunzipSync(readFileSync(`${page}.gz`))).toEqual(readFileSync(page));
    }
    expect(readFileSync(`${home}.br`)).toEqual(homeCopy);
    const manifest = JSON.parse(readFileSync(join(cacheDir, 'manifest.json'), 'utf8')) as { files: Record<string, string> };
    expect(Object.keys(manifest.files).sort()).toEqual(['en/about/index.html', 'en/news/index.html', 'index.html']);
    // The old about page's and the stylesheet's copies are gone from the cache.
    const keys = new Set(Object.values(manifest.files));
    const cached = readdirSync(cacheDir).filter((name) => name !== 'manifest.json');
    expect(cached).toHaveLength(6);
    for (const name of cached) expect(keys.has(name.replace(/\.(br|gz)$/, ''))).toBe(true);

    // A page written again below 1 KiB keeps no stale copies.
    writeFileSync(about, '<html>short</html>');
    expect(await precompressChanged({ root, cacheDir, threads: 2, changed: [about], removed: [] })).toEqual({ files: 0, compressed: 0, reused: 0, untouched: 2 });
    expect(readdirSync(join(root, 'en', 'about'))).toEqual(['index.html']);
    expect(readdirSync(cacheDir).filter((name) => name !== 'manifest.json')).toHaveLength(4);

    // The full pass over dist/ after this finds every copy in the cache: the manifest was kept true.
    expect(await run(root, cacheDir)).toEqual({ files: 2, compressed: 0, reused: 2 });
  });

  it('without the manifest of the last build, does every file', async () => {
    const { root, cacheDir } = site();
    expect(await precompressChanged({ root, cacheDir, threads: 2, changed: [join(root, 'index.html')], removed: [] })).toEqual({ files: 3, compressed: 3, reused: 0 });
  });
});
