import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../helpers/server.ts';
import { request } from './support.ts';

let server: RunningServer;
let assetPath: string;

beforeAll(async () => {
  server = await startServer();
  const home = await (await request(server.url, '/en/')).text();
  const asset = home.match(/["'](\/_astro\/[^"']+\.(?:css|js))["']/)?.[1];
  if (!asset) throw new Error('no /_astro/ asset linked from /en/');
  assetPath = asset;
});

afterAll(async () => {
  await server?.stop();
});

/** CSP directives as a map: `default-src` → `'self'`. */
function cspDirectives(header: string | null): Map<string, string> {
  return new Map(
    (header ?? '')
      .split(';')
      .map((part) => part.trim())
      .filter(Boolean)
      .map((part) => {
        const [name = '', ...values] = part.split(/\s+/);
        return [name.toLowerCase(), values.join(' ')] as const;
      }),
  );
}

function expectSecurityHeaders(response: Response): void {
  const csp = cspDirectives(response.headers.get('content-security-policy'));
  expect(csp.get('default-src')).toBe("'self'");
  expect(csp.get('object-src')).toBe("'none'");
  expect(csp.get('base-uri')).toBe("'none'");
  expect(csp.get('frame-ancestors')).toBe("'none'");
  expect(response.headers.get('x-content-type-options')).toBe('nosniff');
  expect(response.headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin');
  expect(response.headers.get('strict-transport-security')).toBeNull();
}

describe('every response carries the security headers, and no HSTS outside production', () => {
  const cases: Array<[string, () => string, number]> = [
    ['an on-demand page (/en/sign-in/)', () => '/en/sign-in/', 200],
    ['a prerendered page (/en/)', () => '/en/', 200],
    ['a prerendered page (/en/indicators/)', () => '/en/indicators/', 200],
    ['an association page, on demand (/en/about/)', () => '/en/about/', 200],
    ['a hashed build asset under /_astro/', () => assetPath, 200],
    ['a public file (/favicon.svg)', () => '/favicon.svg', 200],
    ['the not-found page', () => '/en/no-such-page/', 404],
    ['the health check (/healthz)', () => '/healthz', 200],
    ['the language redirect at /', () => '/', 302],
  ];

  it.each(cases)('%s', async (_name, path, status) => {
    const response = await request(server.url, path());
    expect(response.status).toBe(status);
    expectSecurityHeaders(response);
  });
});

describe('caching', () => {
  it('hashed build assets may be cached for a year as immutable', async () => {
    const response = await request(server.url, assetPath);
    expect(response.status).toBe(200);
    const cacheControl = response.headers.get('cache-control') ?? '';
    expect(cacheControl).toContain('immutable');
    expect(cacheControl).toContain('max-age=31536000');
  });

  it('prerendered pages are not kept as immutable: caches must check back', async () => {
    const response = await request(server.url, '/en/');
    expect(response.headers.get('cache-control') ?? '').not.toContain('immutable');
  });

  it('the not-found page is a real 404 HTML page, not a redirect or a blank answer', async () => {
    const response = await request(server.url, '/en/no-such-page/');
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toContain('text/html');
    expect(await response.text()).toContain('<html');
  });
});

describe('health check', () => {
  it('/healthz answers 200 JSON saying the database is ok', async () => {
    const response = await request(server.url, '/healthz');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('application/json');
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(await response.json()).toEqual({ status: 'ok', database: 'ok' });
  });
});
