import type { IncomingMessage } from 'node:http';

/**
 * The address a request came from. By default the socket's peer: a client can
 * write any X-Forwarded-For it likes, so the header counts only when TRUST_PROXY
 * says how many proxies in front of Qala append to it; then the address is the one
 * that many hops from the right, which the outermost trusted proxy wrote.
 */
export function clientAddress(request: IncomingMessage, trustedProxyHops: number): string {
  const peer = request.socket.remoteAddress ?? 'unknown';
  if (trustedProxyHops === 0) return peer;
  const header = request.headers['x-forwarded-for'];
  const forwarded = (Array.isArray(header) ? header.join(',') : header ?? '')
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean);
  // The peer is the nearest proxy; each further trusted hop is one entry from the right.
  const chain = [...forwarded, peer];
  return chain[Math.max(0, chain.length - 1 - trustedProxyHops)] ?? peer;
}
