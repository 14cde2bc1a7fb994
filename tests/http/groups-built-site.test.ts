import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';

/**
 * Groups live in the database and their pages are rendered on demand, so the build
 * must not contain any of them: not in the sitemap,
 * not in feeds, and a private group's name nowhere in what is served as static files
 * (dist/client) or in the server's page code (dist/server). Reads the built `dist/`
 * folder (`npm run build` first; `npm test` does it).
 *
 * dist/qala.mjs is left out on purpose: it bundles the demo seed, which the server
 * writes into a fresh demo database and never serves as a file.
 */
const DIST = join(process.cwd(), 'dist');
const CLIENT = join(DIST, 'client');

const PRIVATE_NAMES = [
  'Municipal finance and funding access',
  'Муниципальные финансы и доступ к финансированию',
  'Муниципалдық қаржы және қаржыландыруға қол жеткізу',
];
// Slugs that are not also topic ids (municipal-finance is both a group and a topic).
const GROUP_SLUGS = ['utilities-renewal', 'economic-diversification', 'youth-skills'];

function* files(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* files(path);
    else yield path;
  }
}

/** A built file's text, decompressed when it is a .br or .gz copy (Pagefind's own files are gzipped). */
function text(path: string): string {
  const raw = readFileSync(path);
  try {
    if (path.endsWith('.br')) return brotliDecompressSync(raw).toString('utf8');
    if (path.endsWith('.gz') || path.endsWith('.pf_fragment') || path.endsWith('.pf_index') || path.endsWith('.pf_meta') || path.endsWith('.pf_filter')) return gunzipSync(raw).toString('utf8');
  } catch {
    // Not compressed after all.
  }
  return raw.toString('utf8');
}

describe('the built site holds no working group', () => {
  beforeAll(() => {
    if (!existsSync(CLIENT)) throw new Error('dist/client is missing: run `npm run build` first (npm test does it).');
  });

  it('no group page is in any sitemap XML file of the build (public ones are in the served /sitemap-pages.xml)', () => {
    const sitemaps = readdirSync(CLIENT).filter((name) => /^sitemap.*\.xml$/.test(name));
    expect(sitemaps.length).toBeGreaterThan(0);
    for (const name of sitemaps) {
      const xml = readFileSync(join(CLIENT, name), 'utf8');
      expect(xml, name).not.toMatch(/\/groups\/[^<"]/);
    }
  });

  it('no group page is prerendered', () => {
    for (const lang of ['kk', 'ru', 'en']) expect(existsSync(join(CLIENT, lang, 'groups'))).toBe(false);
  });

  it('a private group’s name is in no built file, served or server-side', () => {
    let checked = 0;
    for (const root of [CLIENT, join(DIST, 'server')]) {
      for (const path of files(root)) {
        const content = text(path);
        for (const name of PRIVATE_NAMES) expect(content.includes(name), `${name} in ${path}`).toBe(false);
        checked += 1;
      }
    }
    // (Feeds are rendered on demand from published items, which never hold a group's name.)
    expect(checked).toBeGreaterThan(100);
  });
});
