import { createHash } from 'node:crypto';
import { createReadStream, existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';

/** Hashed build assets never change, so browsers and CDNs may keep them for a year. */
export const IMMUTABLE = 'public, max-age=31536000, immutable';
/** Prerendered pages change with each deploy: caches must check back. */
export const REVALIDATE = 'public, max-age=0, must-revalidate';

type Coding = 'br' | 'gzip' | 'identity';

/** One stored encoding of a file, with the headers of its answers worked out once. */
interface Representation {
  path: string;
  size: number;
  /** The bytes, or null when they stay on disk (beyond the memory bound). */
  body: Buffer | null;
  etag: string;
  /** Headers of a 200 answer as a flat name, value list; the last value is the request id. */
  ok: string[];
  /** Headers of a 304 answer, the same way. */
  notModified: string[];
}

interface StaticFile {
  /** Its path under the root, with a leading slash (`/en/about/index.html`). */
  name: string;
  identity: Representation;
  br: Representation | undefined;
  gzip: Representation | undefined;
  /** Milliseconds, whole seconds (HTTP dates have no finer resolution). */
  modifiedMs: number;
  lastModified: string;
}

/** Serves a request if it names a static file; false hands it on (to Astro). */
export type StaticHandler = (request: IncomingMessage, response: ServerResponse, requestId: string) => boolean;

/** What the static files look like once loaded, for the log and tests. */
export interface StaticFilesSummary {
  files: number;
  inMemory: number;
  bytesInMemory: number;
}

const TYPES: Record<string, string> = {
  html: 'text/html; charset=utf-8',
  htm: 'text/html; charset=utf-8',
  css: 'text/css; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  mjs: 'text/javascript; charset=utf-8',
  json: 'application/json; charset=utf-8',
  webmanifest: 'application/manifest+json; charset=utf-8',
  xml: 'application/xml; charset=utf-8',
  txt: 'text/plain; charset=utf-8',
  csv: 'text/csv; charset=utf-8',
  ics: 'text/calendar; charset=utf-8',
  svg: 'image/svg+xml',
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
  avif: 'image/avif',
  ico: 'image/x-icon',
  woff: 'font/woff',
  woff2: 'font/woff2',
  pdf: 'application/pdf',
  wasm: 'application/wasm',
};

function contentType(path: string): string {
  const dot = path.lastIndexOf('.');
  return TYPES[path.slice(dot + 1).toLowerCase()] ?? 'application/octet-stream';
}

function* walk(root: string, relative = ''): Generator<string> {
  for (const entry of readdirSync(join(root, relative), { withFileTypes: true })) {
    // Dot files are never served (as sirv did), except the well-known folder.
    if (entry.name.startsWith('.') && entry.name !== '.well-known') continue;
    const path = relative ? `${relative}/${entry.name}` : entry.name;
    if (entry.isDirectory()) yield* walk(root, path);
    else if (entry.isFile()) yield path;
  }
}

/**
 * Which files earn memory first when not all fit: hashed assets (every page needs them),
 * then pages near the top of the site (home and section pages), then small before large.
 */
function memoryPriority(a: { path: string; bytes: number }, b: { path: string; bytes: number }): number {
  const assetA = a.path.startsWith('_astro/') ? 0 : 1;
  const assetB = b.path.startsWith('_astro/') ? 0 : 1;
  if (assetA !== assetB) return assetA - assetB;
  const depth = (path: string) => path.split('/').length;
  return depth(a.path) - depth(b.path) || a.bytes - b.bytes;
}

/**
 * The URL forms that reach a file, in sirv's order (exact, `/index`, `.html`,
 * `/index.html`), so addresses work as before: `/en/about`, `/en/about/` and
 * `/en/about/index.html` all answer with `en/about/index.html`.
 */
function candidates(pathname: string): string[] {
  const base = pathname.endsWith('/') ? pathname.slice(0, -1) : pathname;
  const out: string[] = [];
  for (const extension of ['', '.html', '.htm']) {
    if (base) out.push(base + extension);
    out.push(`${base}/index${extension}`);
  }
  return out;
}

/**
 * Prerendered pages, hashed assets and public files, answered from memory: each
 * file's bytes and its precompressed `.br` and `.gz` siblings (made by the build) are
 * read once at start, up to `memoryBytes` in all; files beyond the bound are read from
 * disk on each request. Every header (security headers included) is worked out once per
 * file. Answers carry a strong ETag per encoding and Last-Modified, choose the encoding
 * by Accept-Encoding (with `Vary`), answer If-None-Match and If-Modified-Since with 304,
 * HEAD with the headers alone, and a single byte range (on the unencoded bytes) with 206
 * or 416. The files must not change while the process runs (they are the build).
 */
export function staticFiles(options: {
  root: string;
  memoryBytes: number;
  /** Headers every answer carries (the security headers). */
  headers: Record<string, string>;
}): { handle: StaticHandler; summary: StaticFilesSummary; addresses: () => IterableIterator<[string, string]> } {
  const files = new Map<string, StaticFile>();
  const found: Array<{ path: string; bytes: number; siblings: Partial<Record<'br' | 'gzip', string>> }> = [];
  if (existsSync(options.root)) {
    const all = new Set(walk(options.root));
    for (const path of all) {
      if ((path.endsWith('.br') || path.endsWith('.gz')) && all.has(path.slice(0, -3))) continue;
      const siblings: Partial<Record<'br' | 'gzip', string>> = {};
      if (all.has(`${path}.br`)) siblings.br = `${path}.br`;
      if (all.has(`${path}.gz`)) siblings.gzip = `${path}.gz`;
      const bytes = [path, ...Object.values(siblings)].reduce((sum, name) => sum + statSync(join(options.root, name)).size, 0);
      found.push({ path, bytes, siblings });
    }
  }
  found.sort(memoryPriority);

  const common = Object.entries(options.headers).flat();
  let bytesInMemory = 0;
  let inMemory = 0;
  for (const { path, bytes, siblings } of found) {
    const keep = bytesInMemory + bytes <= options.memoryBytes;
    if (keep) {
      bytesInMemory += bytes;
      inMemory += 1;
    }
    const absolute = join(options.root, path);
    const stat = statSync(absolute);
    const modifiedMs = Math.floor(stat.mtimeMs / 1000) * 1000;
    const lastModified = new Date(modifiedMs).toUTCString();
    const identityBody = keep ? readFileSync(absolute) : null;
    // In memory: a hash of the content, so an unchanged file keeps its ETag across
    // releases; on disk: size and modification time, as nginx does.
    const tag = identityBody
      ? createHash('sha256').update(identityBody).digest('base64url').slice(0, 27)
      : `${stat.size.toString(16)}-${Math.floor(stat.mtimeMs).toString(16)}`;
    const varies = siblings.br !== undefined || siblings.gzip !== undefined;
    const cacheControl = path.startsWith('_astro/') ? IMMUTABLE : REVALIDATE;
    const type = contentType(path);
    const representation = (coding: Coding, name: string): Representation => {
      const file = join(options.root, name);
      const body = coding === 'identity' ? identityBody : keep ? readFileSync(file) : null;
      const size = body?.length ?? statSync(file).size;
      const etag = coding === 'identity' ? `"${tag}"` : `"${tag}-${coding === 'br' ? 'br' : 'gz'}"`;
      const validators = ['ETag', etag, 'Last-Modified', lastModified, 'Cache-Control', cacheControl, ...(varies ? ['Vary', 'Accept-Encoding'] : [])];
      return {
        path: file,
        size,
        body,
        etag,
        ok: [
          ...common,
          'Content-Type',
          type,
          'Content-Length',
          String(size),
          ...(coding === 'identity' ? ['Accept-Ranges', 'bytes'] : ['Content-Encoding', coding]),
          ...validators,
          'X-Request-Id',
          '',
        ],
        notModified: [...common, ...validators, 'X-Request-Id', ''],
      };
    };
    const entry: StaticFile = {
      name: `/${path}`,
      identity: representation('identity', path),
      br: siblings.br ? representation('br', siblings.br) : undefined,
      gzip: siblings.gzip ? representation('gzip', siblings.gzip) : undefined,
      modifiedMs,
      lastModified,
    };
    files.set(`/${path}`, entry);
  }

  // Every address a file answers to, resolved once.
  const routes = new Map<string, StaticFile>();
  const resolve = (pathname: string) => {
    for (const candidate of candidates(pathname)) {
      const file = files.get(candidate);
      if (file) return file;
    }
    return undefined;
  };
  for (const path of files.keys()) {
    const forms = [path];
    if (path.endsWith('/index.html')) forms.push(path.slice(0, -'index.html'.length), path.slice(0, -'/index.html'.length), path.slice(0, -'.html'.length));
    else if (path.endsWith('.html')) forms.push(path.slice(0, -'.html'.length), `${path.slice(0, -'.html'.length)}/`);
    for (const form of forms) {
      if (!form || routes.has(form)) continue;
      const file = resolve(form);
      if (file) routes.set(form, file);
    }
  }

  const handle: StaticHandler = (request, response, requestId) => {
    const method = request.method;
    if (method !== 'GET' && method !== 'HEAD') return false;
    const file = routes.get(pathnameOf(request.url ?? '/'));
    if (!file) return false;

    const headers = request.headers;
    const range = method === 'GET' ? headers.range : undefined;
    // A range is counted in the unencoded bytes, so a range request gets those.
    const chosen = range ? file.identity : negotiate(file, headers['accept-encoding']);

    const ifNoneMatch = headers['if-none-match'];
    const unchanged =
      ifNoneMatch !== undefined
        ? etagListMatches(ifNoneMatch, chosen.etag)
        : headers['if-modified-since'] !== undefined && notModifiedSince(file, headers['if-modified-since']);
    if (unchanged) {
      response.writeHead(304, withRequestId(chosen.notModified, requestId));
      response.end();
      return true;
    }

    const ifRange = headers['if-range'];
    if (range && (ifRange === undefined || ifRangeHolds(String(ifRange), file))) {
      const span = parseRange(range, chosen.size);
      if (span === 'unsatisfiable') {
        const answer = withRequestId(chosen.notModified, requestId);
        answer.push('Content-Range', `bytes */${chosen.size}`, 'Content-Length', '0');
        response.writeHead(416, answer);
        response.end();
        return true;
      }
      if (span) {
        const answer = withRequestId(chosen.ok, requestId);
        answer[answer.indexOf('Content-Length') + 1] = String(span.end - span.start + 1);
        answer.push('Content-Range', `bytes ${span.start}-${span.end}/${chosen.size}`);
        response.writeHead(206, answer);
        send(response, chosen, span);
        return true;
      }
    }

    response.writeHead(200, withRequestId(chosen.ok, requestId));
    if (method === 'HEAD') response.end();
    else send(response, chosen);
    return true;
  };

  // Every address (as requests name it, percent-decoded) with the file it answers with.
  function* addresses(): IterableIterator<[string, string]> {
    for (const [address, file] of routes) yield [address, file.name];
  }
  return { handle, summary: { files: files.size, inMemory, bytesInMemory }, addresses };
}

function withRequestId(headers: string[], requestId: string): string[] {
  const copy = headers.slice();
  copy[copy.length - 1] = requestId;
  return copy;
}

function send(response: ServerResponse, representation: Representation, span?: { start: number; end: number }): void {
  if (representation.body) {
    response.end(span ? representation.body.subarray(span.start, span.end + 1) : representation.body);
    return;
  }
  const stream = createReadStream(representation.path, span);
  stream.on('error', () => response.destroy());
  stream.pipe(response);
}

/** The path of a request target, without its query, percent-decoded like sirv did. */
export function pathnameOf(url: string): string {
  const mark = url.indexOf('?');
  const path = mark === -1 ? url : url.slice(0, mark);
  if (!path.includes('%')) return path;
  try {
    return decodeURI(path);
  } catch {
    return path;
  }
}

const codingCache = new Map<string, Coding>();

/** br, else gzip, else the plain bytes, as Accept-Encoding allows (q=0 refuses). */
function negotiate(file: StaticFile, acceptEncoding: string | undefined): Representation {
  if (!acceptEncoding || (!file.br && !file.gzip)) return file.identity;
  let coding = codingCache.get(acceptEncoding);
  if (coding === undefined) {
    coding = preferredCoding(acceptEncoding);
    // Browsers send a handful of distinct values; a flood of odd ones cannot grow this.
    if (codingCache.size >= 256) codingCache.clear();
    codingCache.set(acceptEncoding, coding);
  }
  if (coding === 'br') return file.br ?? (preferredCoding(acceptEncoding, ['gzip']) === 'gzip' ? file.gzip! : file.identity);
  if (coding === 'gzip') return file.gzip ?? (preferredCoding(acceptEncoding, ['br']) === 'br' ? file.br! : file.identity);
  return file.identity;
}

/** The encoding an Accept-Encoding value prefers among `offered`: the highest q, br on a tie. */
export function preferredCoding(header: string, offered: readonly Coding[] = ['br', 'gzip']): Coding {
  const weights = new Map<string, number>();
  for (const part of header.split(',')) {
    const [name = '', ...parameters] = part.split(';');
    const coding = name.trim().toLowerCase();
    if (!coding) continue;
    let q = 1;
    for (const parameter of parameters) {
      const [key, value] = parameter.split('=');
      if (key?.trim().toLowerCase() === 'q') q = Number(value?.trim());
    }
    weights.set(coding, Number.isFinite(q) ? q : 0);
  }
  let best: Coding = 'identity';
  let bestWeight = 0;
  for (const coding of offered) {
    const weight = weights.get(coding) ?? weights.get('*') ?? 0;
    if (weight > bestWeight) {
      best = coding;
      bestWeight = weight;
    }
  }
  return best;
}

/** If-None-Match: `*` or a list of entity tags, compared weakly (W/ ignored). */
function etagListMatches(header: string, etag: string): boolean {
  if (header.trim() === '*') return true;
  for (const candidate of header.split(',')) {
    const tag = candidate.trim();
    if ((tag.startsWith('W/') ? tag.slice(2) : tag) === etag) return true;
  }
  return false;
}

function notModifiedSince(file: StaticFile, header: string): boolean {
  const since = Date.parse(header);
  return !Number.isNaN(since) && file.modifiedMs <= since;
}

/** If-Range: the range holds only for the same bytes, by strong ETag or exact date. */
function ifRangeHolds(header: string, file: StaticFile): boolean {
  const value = header.trim();
  if (value.startsWith('"')) return value === file.identity.etag;
  if (value.startsWith('W/')) return false;
  return Date.parse(value) === file.modifiedMs;
}

/**
 * One byte range (`bytes=a-b`, `bytes=a-`, `bytes=-n`) within `size`; null when the
 * header is not one valid range (the whole file is sent, as RFC 9110 allows),
 * 'unsatisfiable' when it starts past the end.
 */
export function parseRange(header: string, size: number): { start: number; end: number } | 'unsatisfiable' | null {
  const match = /^bytes=\s*(\d*)\s*-\s*(\d*)\s*$/i.exec(header.trim());
  if (!match) return null;
  const [, first = '', last = ''] = match;
  if (!first && !last) return null;
  if (!first) {
    const suffix = Number(last);
    if (suffix === 0 || size === 0) return 'unsatisfiable';
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(first);
  if (last && Number(last) < start) return null;
  if (start >= size) return 'unsatisfiable';
  return { start, end: last ? Math.min(Number(last), size - 1) : size - 1 };
}
