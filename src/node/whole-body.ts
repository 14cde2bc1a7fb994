import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { brotliCompress, brotliCompressSync, constants, createBrotliCompress, createGzip, gzip, gzipSync, type BrotliCompress, type Gzip } from 'node:zlib';
import { preferredCoding } from './static-files.ts';

/**
 * Compression levels for pages rendered on demand, chosen by measurement on member pages
 * (tests/bench/compression-levels.measure.ts, README: Performance): pages of 10–26 KB
 * come to 3.9–5.8 KB at brotli 3 in about 0.2–1.6 ms, within 10% of brotli 5–8's size
 * at a third of their time (brotli 11 saves 15% more but takes 70–230 ms); gzip 6 is as
 * small as gzip 9 and no slower than gzip 4.
 */
export const BROTLI_QUALITY = 3;
export const GZIP_LEVEL = 6;
/** Below this, compressing costs more than the bytes it saves. */
export const COMPRESS_FROM_BYTES = 1024;
/**
 * Up to this, a body is compressed on the main thread: handing a page of 10–80 KB to
 * libuv's pool cost more CPU than compressing it (0.3–0.4 ms against 0.17–0.2 ms for
 * 16 KB at brotli 3, more with 50 requests in flight: README, Performance), and it blocks
 * the event loop for well under a millisecond. Larger bodies still go to the pool.
 */
export const COMPRESS_ON_MAIN_THREAD_BYTES = 128 * 1024;
/** Beyond this, a body is streamed (compressed as it comes) rather than held whole. */
export const WHOLE_BODY_LIMIT_BYTES = 1024 * 1024;

const COMPRESSIBLE = /^(text\/|application\/(json|xml|rss\+xml|atom\+xml|manifest\+json|javascript)|image\/svg\+xml)/i;

/** An answer as it goes out whole: its status, every header set (the encoding and length included) and the bytes sent. */
export interface WholeAnswer {
  status: number;
  headers: OutgoingHttpHeaders;
  body: Buffer;
}

type Write = ServerResponse['write'];
type End = ServerResponse['end'];
type WriteHead = ServerResponse['writeHead'];

/**
 * Makes what Astro renders go out as one body, compressed once: Astro writes a page in
 * many small chunks, and per-chunk compression (the `compression` middleware) cost more
 * CPU than the page. A text answer (a page, a feed, JSON) is held until Astro ends it,
 * then compressed whole, off the main thread, with br or gzip as Accept-Encoding prefers,
 * and sent with its Content-Length. Files (Content-Disposition), already encoded answers,
 * HEAD and bodiless statuses pass through untouched, and a body past
 * WHOLE_BODY_LIMIT_BYTES switches to streaming compression, so nothing large is held.
 * `sent` hears of each answer that went out whole (the page cache keeps some).
 */
export function wholeBody(request: IncomingMessage, response: ServerResponse, sent?: (answer: WholeAnswer) => void): void {
  if (request.method === 'HEAD') return;
  const writeHead = response.writeHead as (this: ServerResponse, ...args: unknown[]) => ServerResponse;
  const write = response.write as (this: ServerResponse, ...args: unknown[]) => boolean;
  const end = response.end as (this: ServerResponse, ...args: unknown[]) => ServerResponse;
  let chunks: Buffer[] = [];
  let size = 0;
  let holding = false;
  let stream: BrotliCompress | Gzip | null = null;
  let streamingPlain = false;
  const restore = () => {
    response.writeHead = writeHead as WriteHead;
    response.write = write as Write;
    response.end = end as End;
  };

  response.writeHead = function (status: number, ...rest: unknown[]) {
    const [reason, headers] = typeof rest[0] === 'string' ? [rest[0], rest[1]] : [undefined, rest[0]];
    if (reason !== undefined) response.statusMessage = reason;
    response.statusCode = status;
    applyHeaders(response, headers as OutgoingHttpHeaders | readonly string[] | undefined);
    holding =
      status >= 200 &&
      status !== 204 &&
      status !== 304 &&
      COMPRESSIBLE.test(String(response.getHeader('content-type') ?? '')) &&
      !response.hasHeader('content-encoding') &&
      !response.hasHeader('content-disposition');
    if (!holding) {
      restore();
      return writeHead.call(response, status);
    }
    appendVary(response);
    return response;
  } as WriteHead;

  const hold = (chunk: unknown, encoding?: unknown) => {
    if (chunk === undefined || chunk === null || typeof chunk === 'function') return;
    // A Uint8Array is viewed, not copied (as Node's own write keeps it until sent): the
    // held chunks are copied once, by Buffer.concat.
    const bytes =
      typeof chunk === 'string'
        ? Buffer.from(chunk, typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8')
        : Buffer.isBuffer(chunk)
          ? chunk
          : Buffer.from((chunk as Uint8Array).buffer, (chunk as Uint8Array).byteOffset, (chunk as Uint8Array).byteLength);
    if (stream) {
      stream.write(bytes);
      return;
    }
    if (streamingPlain) {
      write.call(response, bytes);
      return;
    }
    chunks.push(bytes);
    size += bytes.length;
    if (size > WHOLE_BODY_LIMIT_BYTES) startStreaming();
  };

  // Too large to hold: headers go now, the rest is compressed as it comes.
  const startStreaming = () => {
    const coding = codingFor(request);
    response.removeHeader('content-length');
    if (coding === 'identity') {
      streamingPlain = true;
      writeHead.call(response, response.statusCode);
      for (const chunk of chunks) write.call(response, chunk);
    } else {
      response.setHeader('Content-Encoding', coding);
      writeHead.call(response, response.statusCode);
      stream = coding === 'br' ? createBrotliCompress({ params: { [constants.BROTLI_PARAM_QUALITY]: BROTLI_QUALITY } }) : createGzip({ level: GZIP_LEVEL });
      stream.on('data', (data: Buffer) => write.call(response, data));
      stream.on('end', () => end.call(response));
      stream.on('error', () => response.destroy());
      for (const chunk of chunks) stream.write(chunk);
    }
    chunks = [];
  };

  response.write = function (chunk: unknown, encoding?: unknown, callback?: unknown) {
    if (!holding) return write.call(response, chunk, encoding, callback);
    hold(chunk, encoding);
    if (typeof encoding === 'function') (encoding as () => void)();
    else if (typeof callback === 'function') (callback as () => void)();
    return true;
  } as Write;

  response.end = function (chunk?: unknown, encoding?: unknown, callback?: unknown) {
    if (!holding) {
      // Astro never called writeHead (a bare end): nothing was held.
      restore();
      return end.call(response, chunk, encoding, callback);
    }
    hold(chunk, encoding);
    const done = typeof chunk === 'function' ? chunk : typeof encoding === 'function' ? encoding : callback;
    if (typeof done === 'function') response.once('finish', done as () => void);
    if (stream) stream.end();
    else if (streamingPlain) end.call(response);
    else sendWhole(request, response, chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size), writeHead, end, sent);
    return response;
  } as End;
}

function sendWhole(
  request: IncomingMessage,
  response: ServerResponse,
  body: Buffer,
  writeHead: (this: ServerResponse, ...args: unknown[]) => ServerResponse,
  end: (this: ServerResponse, ...args: unknown[]) => ServerResponse,
  sent: ((answer: WholeAnswer) => void) | undefined,
): void {
  const coding = body.length >= COMPRESS_FROM_BYTES ? codingFor(request) : 'identity';
  const finish = (bytes: Buffer, encoded: boolean) => {
    if (response.destroyed) return;
    if (encoded) response.setHeader('Content-Encoding', coding);
    response.setHeader('Content-Length', bytes.length);
    sent?.({ status: response.statusCode, headers: response.getHeaders(), body: bytes });
    writeHead.call(response, response.statusCode);
    end.call(response, bytes);
  };
  if (coding === 'identity') return finish(body, false);
  const brotli = { params: { [constants.BROTLI_PARAM_QUALITY]: BROTLI_QUALITY, [constants.BROTLI_PARAM_LGWIN]: windowBitsFor(body.length), [constants.BROTLI_PARAM_SIZE_HINT]: body.length } };
  if (body.length <= COMPRESS_ON_MAIN_THREAD_BYTES) {
    let bytes: Buffer;
    try {
      bytes = coding === 'br' ? brotliCompressSync(body, brotli) : gzipSync(body, { level: GZIP_LEVEL });
    } catch {
      return finish(body, false);
    }
    return finish(bytes, true);
  }
  // Off the main thread (libuv's pool), so other requests go on meanwhile.
  const compressed = (error: Error | null, bytes: Buffer) => (error ? finish(body, false) : finish(bytes, true));
  if (coding === 'br') brotliCompress(body, brotli, compressed);
  else gzip(body, { level: GZIP_LEVEL }, compressed);
}

/**
 * Brotli's window, just large enough for the body (16–22 bits): the default 22 bits makes
 * the encoder set up a 4 MB window for every page, which a page of 16 KB never fills.
 */
export function windowBitsFor(length: number): number {
  return Math.max(16, Math.min(22, Math.ceil(Math.log2(Math.max(length, 1)))));
}

function codingFor(request: IncomingMessage): 'br' | 'gzip' | 'identity' {
  const accepted = request.headers['accept-encoding'];
  return accepted ? preferredCoding(accepted) : 'identity';
}

function applyHeaders(response: ServerResponse, headers: OutgoingHttpHeaders | readonly string[] | undefined): void {
  if (!headers) return;
  if (Array.isArray(headers)) {
    for (let i = 0; i + 1 < headers.length; i += 2) response.setHeader(headers[i] as string, headers[i + 1] as string);
    return;
  }
  for (const [name, value] of Object.entries(headers as OutgoingHttpHeaders)) if (value !== undefined) response.setHeader(name, value);
}

function appendVary(response: ServerResponse): void {
  const vary = response.getHeader('vary');
  const values = (Array.isArray(vary) ? vary.join(',') : String(vary ?? '')).split(',').map((value) => value.trim()).filter(Boolean);
  if (values.includes('*') || values.some((value) => value.toLowerCase() === 'accept-encoding')) return;
  response.setHeader('Vary', [...values, 'Accept-Encoding'].join(', '));
}
