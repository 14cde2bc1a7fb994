import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { withoutAsyncContext } from '~/build/adapter-without-async-context.ts';

const require = createRequire(import.meta.url);
const adapterHandler = join(require.resolve('@astrojs/node/package.json'), '..', 'dist', 'serve-app.js');

describe('the Node adapter without AsyncLocalStorage', () => {
  it('calls the render directly and keeps the unhandled-rejection log line', () => {
    const code = withoutAsyncContext(readFileSync(adapterHandler, 'utf8'));
    expect(code).not.toMatch(/als\.(run|getStore|enterWith)\(/);
    expect(code).toContain('((render) => render())(() => app.render(request');
    expect(code).toContain('logger.error("Unhandled rejection while rendering a page")');
  });

  it('refuses code of another shape instead of leaving the hooks on', () => {
    expect(() => withoutAsyncContext('export function createAppHandler() {}')).toThrow(/serve-app\.js changed/);
  });

  it.runIf(existsSync('dist/server/chunks'))('is what the built server runs', () => {
    const chunks = readdirSync('dist/server/chunks').filter((name) => name.endsWith('.mjs'));
    const adapter = chunks.map((name) => readFileSync(join('dist/server/chunks', name), 'utf8')).filter((code) => code.includes('createAppHandler') || code.includes('prerenderedErrorPageFetch'));
    expect(adapter.length).toBeGreaterThan(0);
    for (const code of adapter) expect(code).not.toMatch(/als\.run\(/);
  });
});
