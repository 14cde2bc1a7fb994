import type { ActionAPIContext } from 'astro:actions';
import { config } from '../server/config.ts';

/** Where a request came from: the Node entry's socket address; Astro's own in `astro dev`. */
export function requestClientAddress(context: ActionAPIContext): string {
  return context.locals.clientAddress ?? (import.meta.env.DEV ? context.clientAddress : 'unknown');
}

/**
 * The origin links in emails point to: ORIGIN when configured (always in production),
 * so a forged Host header can never redirect a reset link; the request's own otherwise.
 */
export function publicBaseUrl(context: ActionAPIContext): string {
  return config().origin ?? context.url.origin;
}
