import { execFile } from 'node:child_process';
import { appendFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * The content-only rebuild (scripts/fast-rebuild.mjs) must leave exactly what a full build of
 * the same content leaves. In a copy of the project (the demo content, its own Astro cache):
 * a full build; then a document edited (title and body), one added and one removed and
 * `npm run build` again, which takes the content-only path; then a full build of the same
 * content into dist/ again; every file of both dist/client folders and the search documents
 * (of which the rebuild makes again only those of changed files) are compared byte for byte.
 * A change of code takes the full path.
 */
const project = process.cwd();
const root = mkdtempSync(join(tmpdir(), 'qala-fast-rebuild-'));
const EDITED = join('content', 'resources', 'en', 'monotown-indicator-toolkit.md');
const ADDED = join('content', 'resources', 'en', 'fast-rebuild-added-guide.md');
const REMOVED = join('content', 'resources', 'ru', 'utility-network-renewal-guide.md');
const NEW_TITLE = 'An indicator toolkit, edited for the fast rebuild test';
const ADDED_TITLE = 'A guide added for the fast rebuild test';

function copyProject() {
  for (const name of ['src', 'content', 'public', 'scripts', 'db', 'astro.config.mjs', 'package.json', 'package-lock.json', 'tsconfig.json']) {
    cpSync(join(project, name), join(root, name), { recursive: true, filter: (source) => !/\.db(-\w+)?$/.test(source) });
  }
  // The packages as links, so Astro's cache and the compression cache stay in the copy.
  mkdirSync(join(root, 'node_modules'));
  for (const name of readdirSync(join(project, 'node_modules'))) {
    if (['.astro', '.vite', '.cache'].includes(name)) continue;
    symlinkSync(join(project, 'node_modules', name), join(root, 'node_modules', name));
  }
}

/** `npm run build` (scripts/build.mjs) in the copy; resolves with its output. */
function build(...args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const environment = { ...process.env, ASTRO_TELEMETRY_DISABLED: '1', QALA_FULL_BUILD: '', DATABASE_URL: `file:${join(root, 'none.db')}` };
    execFile(process.execPath, ['scripts/build.mjs', ...args], { cwd: root, env: environment, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`build failed: ${error.message}\n${stdout.slice(-3000)}\n${stderr.slice(-3000)}`));
      else resolve(stdout);
    });
  });
}

function* filesUnder(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* filesUnder(path);
    else yield path;
  }
}

/** Every file of a folder, by path relative to it. */
function contents(dir: string): Map<string, Buffer> {
  return new Map([...filesUnder(dir)].map((file) => [relative(dir, file), readFileSync(file)]));
}

let fastOutput = '';
let fast: Map<string, Buffer>;
let full: Map<string, Buffer>;

describe('the content-only rebuild', () => {
  beforeAll(async () => {
    copyProject();
    expect(await build()).toContain('[qala build] full build: no complete build in dist/');
    const edited = join(root, EDITED);
    writeFileSync(edited, readFileSync(edited, 'utf8').replace(/^title: .*$/m, `title: ${JSON.stringify(NEW_TITLE)}`));
    appendFileSync(edited, '\nA paragraph added by the fast rebuild test.\n');
    const added = readFileSync(join(root, 'content', 'resources', 'en', 'air-quality-monitoring-guide.md'), 'utf8');
    writeFileSync(join(root, ADDED), added.replace(/^title: .*$/m, `title: ${JSON.stringify(ADDED_TITLE)}`));
    rmSync(join(root, REMOVED));
    fastOutput = await build();
    renameSync(join(root, 'dist'), join(root, 'dist-fast'));
    expect(await build('--full')).toContain('[qala build] full build: --full');
    fast = contents(join(root, 'dist-fast', 'client'));
    full = contents(join(root, 'dist', 'client'));
  }, 900_000);

  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('takes the content-only path and renders only what changed', () => {
    const [, rendered, removed] = fastOutput.match(/content-only rebuild: (\d+) page\(s\) rendered, (\d+) removed/) ?? [];
    expect(rendered, fastOutput.slice(-2000)).toBeDefined();
    // The edited page in its three languages, the added one, the pages whose related items
    // changed; not every page.
    expect(Number(rendered)).toBeGreaterThanOrEqual(4);
    expect(Number(rendered)).toBeLessThan(full.size / 3);
    expect(Number(removed)).toBe(1);
    // The search documents of the edited and the added file are made again; the rest are the last build's.
    expect(fastOutput).toMatch(/search documents \(2 made again, 1 removed, \d+ kept\)/);
    // Compression looks at what the rebuild wrote (its pages and the sitemap's files), not at every file.
    const [, compressed, cached, untouched] = fastOutput.match(/(\d+) file\(s\) compressed, (\d+) from the cache, (\d+) untouched/) ?? [];
    expect(Number(compressed) + Number(cached)).toBeLessThanOrEqual(Number(rendered) + 3);
    expect(Number(untouched)).toBeGreaterThan(Number(rendered));
  });

  it('writes the same files as a full build, byte for byte', () => {
    expect([...fast.keys()].sort()).toEqual([...full.keys()].sort());
    const different = [...full].filter(([path, bytes]) => !fast.get(path)?.equals(bytes)).map(([path]) => path);
    expect(different).toEqual([]);
    expect(readFileSync(join(root, 'dist-fast', 'search-content.json'), 'utf8')).toBe(readFileSync(join(root, 'dist', 'search-content.json'), 'utf8'));
  });

  it('has the edited, added and removed documents in the pages, the sitemap and the search documents', () => {
    expect(fast.get('en/resources/monotown-indicator-toolkit/index.html')!.toString()).toContain(NEW_TITLE);
    expect(fast.get('en/resources/fast-rebuild-added-guide/index.html')!.toString()).toContain(ADDED_TITLE);
    expect(fast.has('ru/resources/utility-network-renewal-guide/index.html')).toBe(false);
    const sitemap = fast.get('sitemap-0.xml')!.toString();
    expect(sitemap).toContain('/en/resources/fast-rebuild-added-guide/');
    expect(sitemap).not.toContain('/ru/resources/utility-network-renewal-guide/');
    const search = readFileSync(join(root, 'dist-fast', 'search-content.json'), 'utf8');
    expect(search).toContain(NEW_TITLE);
    expect(search).toContain(ADDED_TITLE);
    expect(search).not.toContain('utility-network-renewal-guide');
  });

  it('builds in full when the code changed', async () => {
    appendFileSync(join(root, 'src', 'lib', 'format.ts'), '\n// A change of code.\n');
    const output = await build();
    expect(output).toContain('[qala build] full build: code, configuration or environment changed since the last build');
    expect(existsSync(join(root, 'dist', 'build-inputs.json'))).toBe(true);
  }, 600_000);
});
