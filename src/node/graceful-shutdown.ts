import type { Server } from 'node:http';
import { log } from '~/server/log.ts';

/** How long requests in flight may take to finish before their connections are cut. */
export const DRAIN_LIMIT_MS = 10_000;

/**
 * Stops `server` the way a rolling restart needs: the listening socket closes at once
 * (the load balancer sends new requests to another instance), requests in flight
 * finish and get their answers, then `release` closes the database and the process
 * exits 0. Keep-alive connections are closed as soon as they fall idle, so a client
 * is never left holding a socket this process is about to drop; whatever is still
 * running after `limitMs` is cut so a stuck request cannot block the restart forever.
 */
export function stopGracefully(server: Server, release: () => Promise<void>, limitMs = DRAIN_LIMIT_MS): Promise<void> {
  log.info('stopping: finishing requests in flight', { limitMs });
  // A response finished while draining tells its client not to reuse the connection.
  server.on('request', (_request, response) => response.setHeader('Connection', 'close'));
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  const sweepIdle = setInterval(() => server.closeIdleConnections(), 50);
  const deadline = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), limitMs).unref());
  server.closeIdleConnections();
  return Promise.race([closed, deadline]).then(async (outcome) => {
    clearInterval(sweepIdle);
    if (outcome === 'timeout') {
      log.warn('stopping: requests still running at the limit were cut', { limitMs });
      server.closeAllConnections();
    }
    await release();
    log.info('stopped');
  });
}
