import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { errorFields, log } from '~/server/log.ts';
import { collectProcessMetrics, qalaMetrics } from './registry.ts';

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

/**
 * Whether `header` is `Bearer <token>`. Both sides are hashed first, so the comparison
 * takes the same time whatever the guess, its length included.
 */
export function bearerMatches(header: string | undefined, token: string): boolean {
  const presented = /^Bearer +(\S+) *$/i.exec(header ?? '')?.[1] ?? '';
  return timingSafeEqual(digest(presented), digest(token)) && presented.length > 0;
}

/**
 * Answers `GET /metrics` in Prometheus's text format, to a scraper that presents the
 * token (`Authorization: Bearer <METRICS_TOKEN>`); anyone else gets 401. Creating it
 * starts Node's own metrics (heap, memory, event-loop lag). `gather` replaces this
 * process's figures, e.g. with every worker's under QALA_WORKERS (src/node/workers.ts).
 */
export function metricsEndpoint(
  token: string,
  gather?: () => Promise<string>,
): (request: IncomingMessage, response: ServerResponse, requestId: string) => Promise<void> {
  collectProcessMetrics();
  const { registry } = qalaMetrics();
  return async (request, response, requestId) => {
    response.setHeader('Cache-Control', 'no-store');
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.statusCode = 405;
      response.setHeader('Allow', 'GET, HEAD');
      response.end();
      return;
    }
    if (!bearerMatches(request.headers.authorization, token)) {
      response.statusCode = 401;
      response.setHeader('WWW-Authenticate', 'Bearer realm="metrics"');
      response.setHeader('Content-Type', 'text/plain; charset=utf-8');
      response.end('A bearer token is required.\n');
      return;
    }
    try {
      const body = await (gather ? gather() : registry.metrics());
      response.statusCode = 200;
      response.setHeader('Content-Type', registry.contentType);
      response.end(request.method === 'HEAD' ? undefined : body);
    } catch (error) {
      log.error('metrics failed', { requestId, ...errorFields(error) });
      response.statusCode = 500;
      response.end('Internal error');
    }
  };
}
