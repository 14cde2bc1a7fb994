import type { ActionAPIContext } from 'astro:actions';

/** Where a request came from: the Node entry's socket address; Astro's own in `astro dev`. */
export function requestClientAddress(context: ActionAPIContext): string {
  return context.locals.clientAddress ?? (import.meta.env.DEV ? context.clientAddress : 'unknown');
}
