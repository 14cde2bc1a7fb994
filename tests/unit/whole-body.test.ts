import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMPRESS_FROM_BYTES, COMPRESS_ON_MAIN_THREAD_BYTES, WHOLE_BODY_LIMIT_BYTES, wholeBody, windowBitsFor, type WholeAnswer } from '~/node/whole-body.ts';

// Pages rendered on demand go out whole and compressed once, on the main thread up to
// COMPRESS_ON_MAIN_THREAD_BYTES and in libuv's pool beyond; past WHOLE_BODY_LIMIT_BYTES
// they stream. Every path must send the same bytes the page wrote.
const sizes = {
  tiny: COMPRESS_FROM_BYTES - 100,
  page: 16 * 1024,
  large: COMPRESS_ON_MAIN_THREAD_BYTES + 10 * 1024,
  huge: WHOLE_BODY_LIMIT_BYTES + 64 * 1024,
};
type Size = keyof typeof sizes;

/** Text that compresses like a page: repeated markup with varying numbers. */
function pageText(length: number): string {
  let text = '';
  for (let row = 0; text.length < length; row++) text += `<li class="card"><a href="/en/resources/item-${row}/">Item ${row}</a> — ${row * 7919}</li>\n`;
  return text.slice(0, length);
}

let server: Server;
let base: string;
const kept: WholeAnswer[] = [];

beforeAll(async () => {
  server = createServer((request, response) => {
    const size = sizes[(request.url ?? '/').slice(1) as Size];
    wholeBody(request, response, (answer) => kept.push(answer));
    response.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
    // As Astro writes a page: in many small chunks, strings and bytes.
    const text = pageText(size);
    for (let at = 0; at < text.length; at += 4096) {
      const part = text.slice(at, at + 4096);
      response.write(at % 8192 === 0 ? part : Buffer.from(part));
    }
    response.end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

async function get(size: Size, acceptEncoding: string) {
  // fetch would decode the body itself: read the bytes as sent.
  const { request } = await import('node:http');
  return new Promise<{ headers: Record<string, string | string[] | undefined>; body: Buffer }>((resolve, reject) => {
    request(`${base}/${size}`, { headers: { 'Accept-Encoding': acceptEncoding } }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ headers: response.headers, body: Buffer.concat(chunks) }));
    })
      .on('error', reject)
      .end();
  });
}

describe('whole bodies', () => {
  for (const size of Object.keys(sizes) as Size[]) {
    it(`sends a ${size} page the same in br, gzip and identity`, async () => {
      const expected = pageText(sizes[size]);
      const br = await get(size, 'gzip, br');
      const gzip = await get(size, 'gzip');
      const plain = await get(size, 'identity');
      expect(plain.headers['content-encoding']).toBeUndefined();
      expect(plain.body.toString()).toBe(expected);
      if (size === 'tiny') {
        // Too small to be worth compressing.
        expect(br.headers['content-encoding']).toBeUndefined();
        expect(br.body.toString()).toBe(expected);
        return;
      }
      expect(br.headers['content-encoding']).toBe('br');
      expect(gzip.headers['content-encoding']).toBe('gzip');
      expect(brotliDecompressSync(br.body).toString()).toBe(expected);
      expect(gunzipSync(gzip.body).toString()).toBe(expected);
      expect(br.headers.vary).toContain('Accept-Encoding');
      if (size === 'huge') {
        // Streamed: no length known in advance.
        expect(br.headers['content-length']).toBeUndefined();
      } else {
        expect(Number(br.headers['content-length'])).toBe(br.body.length);
        expect(br.body.length).toBeLessThan(sizes[size] / 3);
      }
    });
  }

  it('hands what it sent whole to the page cache, as sent', async () => {
    kept.length = 0;
    const sent = await get('page', 'br');
    expect(kept).toHaveLength(1);
    expect(kept[0]!.body.equals(sent.body)).toBe(true);
    expect(kept[0]!.headers['content-encoding']).toBe('br');
  });
});

describe('windowBitsFor', () => {
  it('fits the window to the body, between 16 and 22 bits', () => {
    expect(windowBitsFor(0)).toBe(16);
    expect(windowBitsFor(16 * 1024)).toBe(16);
    expect(windowBitsFor(80 * 1024)).toBe(17);
    expect(windowBitsFor(128 * 1024)).toBe(17);
    expect(windowBitsFor(50 * 1024 * 1024)).toBe(22);
  });
});
