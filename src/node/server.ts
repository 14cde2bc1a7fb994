import { randomUUID } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { dirname, join } from 'node:path';
import { sql, type Kysely } from 'kysely';
import { languageFromPath } from '~/i18n/index.ts';
import { changeSerials } from '~/server/cache/changes.ts';
import { readsFreshFromNow } from '~/server/cache/freshness.ts';
import type { Config } from '~/server/config.ts';
import type { Database } from '~/server/db/schema.ts';
import { errorFields, log } from '~/server/log.ts';
import { astroRouteLabels, metricsEndpoint, recordRequest } from '~/server/metrics/index.ts';
import { clientAddress } from './client-address.ts';
import { countersReader } from './counters-reader.ts';
import { liveRelatedRouter, type ItemPageRoute } from './live-related.ts';
import { pageCache, type KeepAnswer } from './page-cache.ts';
import { applyHeaders, securityHeaders } from './security-headers.ts';
import { staticFiles } from './static-files.ts';
import { wholeBody } from './whole-body.ts';

/** Astro's request handler in middleware mode (`dist/server/entry.mjs` → `handler`). */
export type AstroHandler = (
  request: IncomingMessage,
  response: ServerResponse,
  next: () => void,
  locals: App.Locals | Record<string, unknown>,
) => Promise<void>;

/** What the HTTP server is built from. */
export interface QalaServerOptions {
  config: Config;
  db: Kysely<Database>;
  clientDir: string;
  astroHandler: AstroHandler;
  /** Every process's metrics when this is one of several workers (src/node/workers.ts). */
  gatherMetrics?: () => Promise<string>;
}

/**
 * Qala's own HTTP entry. Astro runs in middleware mode behind it, because in
 * standalone mode Astro's middleware never sees static files; here every response,
 * static or rendered, passes the same security headers first.
 */
export function createQalaServer(options: QalaServerOptions): Server {
  const headers = securityHeaders({ production: options.config.production });
  const statics = staticFiles({ root: options.clientDir, memoryBytes: options.config.staticCacheBytes, headers });
  const serveStatic = statics.handle;
  // Prerendered item pages whose related items the database changes are rendered instead.
  // One reader of the change counters for the item pages' router and the page cache.
  const counters = countersReader(() => changeSerials(options.db));
  const itemPages = liveRelatedRouter({ db: options.db, addresses: statics.addresses(), counters });
  // Metrics exist only with a token to guard them (METRICS_TOKEN).
  const metrics = options.config.metricsToken
    ? { serve: metricsEndpoint(options.config.metricsToken, options.gatherMetrics), routeOf: astroRouteLabels(join(dirname(options.clientDir), 'server')) }
    : undefined;
  const sendNotFound = (request: IncomingMessage, response: ServerResponse) => {
    const language = languageFromPath(new URL(request.url ?? '/', 'http://qala').pathname);
    const page = join(options.clientDir, ...(language ? [language, '404', 'index.html'] : ['404.html']));
    response.statusCode = 404;
    response.setHeader('Content-Type', 'text/html; charset=utf-8');
    response.setHeader('Cache-Control', 'no-store');
    // Through writeHead, so the page is sent whole and compressed (src/node/whole-body.ts).
    response.writeHead(404);
    if (existsSync(page)) createReadStream(page).pipe(response);
    else response.end('Not found');
  };

  const pages = options.config.pageCacheBytes > 0 ? pageCache({ db: options.db, maxBytes: options.config.pageCacheBytes, counters }) : null;

  const renderWithAstro = (request: IncomingMessage, response: ServerResponse, requestId: string, keep?: KeepAnswer, askItemPages = false) => {
    // The page's kept reads share one read of the change counters, started after this request arrived.
    readsFreshFromNow();
    const locals: Partial<App.Locals> = { clientAddress: clientAddress(request, options.config.trustedProxyHops), requestId };
    if (askItemPages) locals.offerLiveRelatedPages = itemPages.offer;
    // Astro renders with this very object as `locals`, so what the page put there is read here.
    wholeBody(request, response, keep && ((answer) => keep(locals as App.Locals, answer)));
    options.astroHandler(request, response, () => sendNotFound(request, response), locals).catch((error: unknown) => {
      // Errors inside a page reach src/pages/500.astro; this is Astro itself failing.
      log.error('render failed', { requestId, ...loggedPath(request.url), ...errorFields(error) });
      if (!response.headersSent) {
        response.statusCode = 500;
        response.end('Internal error');
      }
    });
  };

  return createServer((request, response) => {
    const started = performance.now();
    // Said in the response and in every log line about the request, so a reader's
    // report ("it failed, reference …") leads to the log entry.
    const requestId = randomUUID();
    // Static files are labelled so; what Astro renders (null) is labelled by its route pattern.
    let route: string | null = 'static';
    response.on('finish', () => {
      if (metrics) recordRequest(route ?? metrics.routeOf(loggedPath(request.url).path), request.method, response.statusCode, (performance.now() - started) / 1000);
      log.info('request', {
        requestId,
        method: request.method,
        ...loggedPath(request.url),
        status: response.statusCode,
        ms: Math.round((performance.now() - started) * 10) / 10,
      });
    });

    // A static file's headers, security headers and request id included, are precomputed.
    const itemPage = itemPages.pageOf(request);
    if (itemPage === undefined) {
      if (serveStatic(request, response, requestId)) return;
      return onDemand();
    }
    // A prerendered item page: from memory unless the database adds to its related items.
    const routed = itemPages.route(itemPage);
    if (typeof routed === 'string') return itemPageAnswer(itemPage, routed);
    routed.then(
      (route) => itemPageAnswer(itemPage, route),
      () => itemPageAnswer(itemPage, 'static'),
    );

    function itemPageAnswer(page: string, answer: ItemPageRoute): void {
      if (answer === 'static' && serveStatic(request, response, requestId)) return;
      // On demand at its one address (`…/index.html` and the form without a slash included).
      const mark = request.url?.indexOf('?') ?? -1;
      request.url = mark === -1 ? page : page + request.url!.slice(mark);
      onDemand(answer === 'ask');
    }

    function onDemand(askItemPages = false): void {
      response.setHeader('X-Request-Id', requestId);
      applyHeaders(response, headers);
      if (request.url === '/healthz') {
        route = '/healthz';
        void health(options.db, response, requestId);
        return;
      }
      if (metrics && loggedPath(request.url).path === '/metrics') {
        route = '/metrics';
        void metrics.serve(request, response, requestId);
        return;
      }
      pinOrigin(request, options.config.origin);
      route = null;
      // After pinOrigin: the key holds the Host header as pinned.
      const key = pages?.keyOf(request);
      if (!pages || !key) return renderWithAstro(request, response, requestId, undefined, askItemPages);
      pages.answer(request, response, key, (keep) => renderWithAstro(request, response, requestId, keep, askItemPages)).catch((error: unknown) => {
        log.error('page cache failed', { requestId, ...loggedPath(request.url), ...errorFields(error) });
        if (!response.headersSent) {
          response.statusCode = 500;
          response.end('Internal error');
        }
      });
    }
  });
}

/**
 * The path of a request for the log: without the query string's values, which may be
 * secrets (a password-reset or invitation token, an email address); only the
 * parameters' names are kept.
 */
export function loggedPath(url: string | undefined): { path: string; query?: string[] } {
  const target = url ?? '/';
  const mark = target.indexOf('?');
  if (mark === -1) return { path: target };
  const names = [...new Set(new URLSearchParams(target.slice(mark + 1)).keys())];
  return { path: target.slice(0, mark), query: names };
}

/**
 * Astro builds `request.url` (and so its origin check) from Host and X-Forwarded-*.
 * With ORIGIN set, those are replaced by the declared origin, so a forged Host
 * changes nothing; without it, forwarded headers are dropped and Host is used as sent.
 */
function pinOrigin(request: IncomingMessage, origin: string | undefined): void {
  delete request.headers['x-forwarded-host'];
  delete request.headers['x-forwarded-port'];
  delete request.headers['x-forwarded-proto'];
  if (!origin) return;
  const url = new URL(origin);
  request.headers.host = url.host;
  request.headers['x-forwarded-proto'] = url.protocol.slice(0, -1);
}

async function health(db: Kysely<Database>, response: ServerResponse, requestId: string): Promise<void> {
  let database = 'ok';
  try {
    await sql`select 1`.execute(db);
  } catch (error) {
    database = 'unavailable';
    log.error('health check: database unavailable', { requestId, ...errorFields(error) });
  }
  const healthy = database === 'ok';
  response.statusCode = healthy ? 200 : 503;
  response.setHeader('Content-Type', 'application/json');
  response.setHeader('Cache-Control', 'no-store');
  response.end(JSON.stringify({ status: healthy ? 'ok' : 'unavailable', database }));
}
