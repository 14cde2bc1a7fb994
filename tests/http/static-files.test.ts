import { gunzipSync, brotliDecompressSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../helpers/server.ts';
import { request } from './support.ts';

// Static files (prerendered pages, hashed assets, public files) come from memory
// (src/node/static-files.ts); a second server holds none in memory (STATIC_CACHE_MB=0)
// and must answer the same way from disk.
let memory: RunningServer;
let disk: RunningServer;
let assetPath: string;

beforeAll(async () => {
  [memory, disk] = await Promise.all([startServer(), startServer({ env: { STATIC_CACHE_MB: '0' } })]);
  const home = await (await request(memory.url, '/en/')).text();
  const asset = home.match(/["'](\/_astro\/[^"']+\.css)["']/)?.[1];
  if (!asset) throw new Error('no /_astro/ stylesheet linked from /en/');
  assetPath = asset;
}, 60_000);

afterAll(async () => {
  await Promise.all([memory?.stop(), disk?.stop()]);
});

const ARTICLE = '/en/indicators/';

function expectSecurityHeaders(response: Response): void {
  expect(response.headers.get('content-security-policy')).toContain("default-src 'self'");
  expect(response.headers.get('x-content-type-options')).toBe('nosniff');
  expect(response.headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin');
  expect(response.headers.get('x-frame-options')).toBe('DENY');
  expect(response.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
}

async function bytes(response: Response): Promise<Buffer> {
  return Buffer.from(await response.arrayBuffer());
}

/** Node's fetch decodes br and gzip itself; node:http does not, so encodings are checked through it. */
async function raw(baseUrl: string, path: string, headers: Record<string, string> = {}, method = 'GET') {
  const { request: send } = await import('node:http');
  return new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }>((resolve, reject) => {
    const outgoing = send(new URL(path, baseUrl), { method, headers }, (incoming) => {
      const chunks: Buffer[] = [];
      incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
      incoming.on('end', () => resolve({ status: incoming.statusCode ?? 0, headers: incoming.headers, body: Buffer.concat(chunks) }));
    });
    outgoing.on('error', reject);
    outgoing.end();
  });
}

describe.each([
  ['from memory', () => memory],
  ['from disk (beyond the memory bound)', () => disk],
])('static files %s', (_name, server) => {
  it('a prerendered page carries the security headers, a strong ETag, Last-Modified and the cache policy', async () => {
    const response = await request(server().url, ARTICLE, { headers: { 'Accept-Encoding': 'identity' } });
    expect(response.status).toBe(200);
    expectSecurityHeaders(response);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('etag')).toMatch(/^"[^"]+"$/);
    expect(response.headers.get('last-modified')).toMatch(/GMT$/);
    expect(response.headers.get('cache-control')).toBe('public, max-age=0, must-revalidate');
    expect(response.headers.get('vary')).toBe('Accept-Encoding');
    expect(response.headers.get('accept-ranges')).toBe('bytes');
    const body = await bytes(response);
    expect(Number(response.headers.get('content-length'))).toBe(body.length);
    expect(body.toString()).toContain('<html');
  });

  it('a hashed asset may be kept a year, with the security headers', async () => {
    const response = await request(server().url, assetPath);
    expect(response.status).toBe(200);
    expectSecurityHeaders(response);
    expect(response.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(response.headers.get('content-type')).toBe('text/css; charset=utf-8');
  });

  it('sends br, gzip or the plain bytes as Accept-Encoding asks, each with its own ETag, all the same page', async () => {
    const plain = await raw(server().url, ARTICLE);
    const br = await raw(server().url, ARTICLE, { 'Accept-Encoding': 'gzip, deflate, br' });
    const gzip = await raw(server().url, ARTICLE, { 'Accept-Encoding': 'gzip' });
    const refused = await raw(server().url, ARTICLE, { 'Accept-Encoding': 'br;q=0, gzip;q=0' });
    const preferred = await raw(server().url, ARTICLE, { 'Accept-Encoding': 'br;q=0.5, gzip;q=1' });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(br.headers['content-encoding']).toBe('br');
    expect(gzip.headers['content-encoding']).toBe('gzip');
    expect(refused.headers['content-encoding']).toBeUndefined();
    expect(preferred.headers['content-encoding']).toBe('gzip');
    expect(brotliDecompressSync(br.body).equals(plain.body)).toBe(true);
    expect(gunzipSync(gzip.body).equals(plain.body)).toBe(true);
    expect(Number(br.headers['content-length'])).toBe(br.body.length);
    expect(new Set([plain.headers.etag, br.headers.etag, gzip.headers.etag]).size).toBe(3);
    for (const answer of [plain, br, gzip]) expect(answer.headers.vary).toBe('Accept-Encoding');
  });

  it('answers If-None-Match with 304 and the validators, for the same encoding only', async () => {
    const first = await raw(server().url, ARTICLE, { 'Accept-Encoding': 'br' });
    const etag = String(first.headers.etag);
    const again = await raw(server().url, ARTICLE, { 'Accept-Encoding': 'br', 'If-None-Match': etag });
    expect(again.status).toBe(304);
    expect(again.body.length).toBe(0);
    expect(again.headers.etag).toBe(etag);
    expect(again.headers['cache-control']).toBe('public, max-age=0, must-revalidate');
    expect(again.headers['content-security-policy']).toContain("default-src 'self'");
    expect((await raw(server().url, ARTICLE, { 'Accept-Encoding': 'br', 'If-None-Match': `"other", W/${etag}` })).status).toBe(304);
    expect((await raw(server().url, ARTICLE, { 'Accept-Encoding': 'br', 'If-None-Match': '*' })).status).toBe(304);
    expect((await raw(server().url, ARTICLE, { 'Accept-Encoding': 'gzip', 'If-None-Match': etag })).status).toBe(200);
    expect((await raw(server().url, ARTICLE, { 'Accept-Encoding': 'br', 'If-None-Match': '"something-else"' })).status).toBe(200);
  });

  it('answers If-Modified-Since with 304 when unchanged since, and 200 before; If-None-Match wins', async () => {
    const first = await request(server().url, ARTICLE);
    const lastModified = first.headers.get('last-modified')!;
    expect((await request(server().url, ARTICLE, { headers: { 'If-Modified-Since': lastModified } })).status).toBe(304);
    const earlier = new Date(Date.parse(lastModified) - 60_000).toUTCString();
    expect((await request(server().url, ARTICLE, { headers: { 'If-Modified-Since': earlier } })).status).toBe(200);
    expect((await request(server().url, ARTICLE, { headers: { 'If-Modified-Since': 'not a date' } })).status).toBe(200);
    expect((await request(server().url, ARTICLE, { headers: { 'If-Modified-Since': lastModified, 'If-None-Match': '"other"' } })).status).toBe(200);
  });

  it('answers HEAD with the headers of GET and no body', async () => {
    const get = await raw(server().url, ARTICLE, { 'Accept-Encoding': 'br' });
    const head = await raw(server().url, ARTICLE, { 'Accept-Encoding': 'br' }, 'HEAD');
    expect(head.status).toBe(200);
    expect(head.body.length).toBe(0);
    for (const name of ['content-length', 'content-type', 'content-encoding', 'etag', 'last-modified', 'cache-control', 'vary', 'content-security-policy']) {
      expect(head.headers[name], name).toBe(get.headers[name]);
    }
  });

  it('answers a byte range with 206 from the plain bytes, and one past the end with 416', async () => {
    const whole = await raw(server().url, ARTICLE);
    const size = whole.body.length;
    const first = await raw(server().url, ARTICLE, { Range: 'bytes=0-9', 'Accept-Encoding': 'br' });
    expect(first.status).toBe(206);
    expect(first.headers['content-encoding']).toBeUndefined();
    expect(first.headers['content-range']).toBe(`bytes 0-9/${size}`);
    expect(first.headers['content-length']).toBe('10');
    expect(first.body.equals(whole.body.subarray(0, 10))).toBe(true);
    expect(first.headers['content-security-policy']).toContain("default-src 'self'");

    const tail = await raw(server().url, ARTICLE, { Range: 'bytes=-5' });
    expect(tail.status).toBe(206);
    expect(tail.body.equals(whole.body.subarray(size - 5))).toBe(true);
    const open = await raw(server().url, ARTICLE, { Range: `bytes=${size - 3}-` });
    expect(open.headers['content-range']).toBe(`bytes ${size - 3}-${size - 1}/${size}`);
    expect(open.body.length).toBe(3);

    const beyond = await raw(server().url, ARTICLE, { Range: `bytes=${size}-` });
    expect(beyond.status).toBe(416);
    expect(beyond.headers['content-range']).toBe(`bytes */${size}`);
    // Not one valid range: the whole file, as RFC 9110 allows.
    expect((await raw(server().url, ARTICLE, { Range: 'bytes=0-1,5-6' })).status).toBe(200);
    expect((await raw(server().url, ARTICLE, { Range: 'lines=1-2' })).status).toBe(200);
    // If-Range with another validator: the whole file.
    expect((await raw(server().url, ARTICLE, { Range: 'bytes=0-9', 'If-Range': '"old"' })).status).toBe(200);
    expect((await raw(server().url, ARTICLE, { Range: 'bytes=0-9', 'If-Range': String(whole.headers.etag) })).status).toBe(206);
    // HEAD ignores Range.
    expect((await raw(server().url, ARTICLE, { Range: 'bytes=0-9' }, 'HEAD')).status).toBe(200);
  });

  it('serves a page by its address with or without the slash, and a missing file reaches Astro (its 404 page)', async () => {
    expect((await request(server().url, '/en/indicators')).status).toBe(200);
    expect((await request(server().url, '/en/indicators/index.html')).status).toBe(200);
    const missing = await request(server().url, '/en/no-such-page/');
    expect(missing.status).toBe(404);
    expectSecurityHeaders(missing);
    expect(await missing.text()).toContain('<html');
    // An on-demand page is Astro's, not a file's.
    expect((await request(server().url, '/en/sign-in/')).headers.get('cache-control')).toBe('no-store');
  });
});

describe('pages rendered on demand', () => {
  it('go out whole and compressed once, with Content-Length and Vary', async () => {
    const br = await raw(memory.url, '/en/sign-in/', { 'Accept-Encoding': 'br' });
    const gzip = await raw(memory.url, '/en/sign-in/', { 'Accept-Encoding': 'gzip' });
    const plain = await raw(memory.url, '/en/sign-in/');
    expect(br.status).toBe(200);
    expect(br.headers['content-encoding']).toBe('br');
    expect(gzip.headers['content-encoding']).toBe('gzip');
    expect(plain.headers['content-encoding']).toBeUndefined();
    for (const answer of [br, gzip, plain]) {
      expect(answer.headers['transfer-encoding']).toBeUndefined();
      expect(Number(answer.headers['content-length'])).toBe(answer.body.length);
      expect(String(answer.headers.vary)).toMatch(/Accept-Encoding/);
      expect(answer.headers['content-security-policy']).toContain("default-src 'self'");
    }
    expect(brotliDecompressSync(br.body).toString()).toContain('<form');
    expect(gunzipSync(gzip.body).toString()).toContain('<form');
  });

  it('labels static requests "static" in the metrics', async () => {
    const token = 'a-metrics-token-of-enough-length';
    const server = await startServer({ env: { METRICS_TOKEN: token } });
    try {
      await request(server.url, ARTICLE);
      await request(server.url, '/en/sign-in/');
      const text = await (await request(server.url, '/metrics', { headers: { Authorization: `Bearer ${token}` } })).text();
      expect(text).toMatch(/qala_http_request_duration_seconds_count\{route="static",method="GET",status_class="2xx"\} [1-9]/);
      expect(text).toMatch(/qala_http_request_duration_seconds_count\{route="\/\[lang\]\/sign-in\/?",method="GET",status_class="2xx"\} [1-9]/);
    } finally {
      await server.stop();
    }
  });
});
