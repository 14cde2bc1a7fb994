import type { ChangeArea } from './changes.ts';

/**
 * Says that this page's answer is the same for every reader who is not signed in (it
 * depends only on its address and on the database areas named), so the Node entry may
 * keep it and send it again to the next anonymous reader of the same address
 * (src/node/page-cache.ts) until one of `areas` changes, or PAGE_CACHE_MAX_AGE_MS has
 * passed (for what no counter tracks: the time of day, groups' members and meetings,
 * the dialogue, positions).
 * A page that shows a form with a reader's own values, or anything per request, must not
 * call it. Signed-in readers are never given a kept page.
 */
export function shareWithAnonymousReaders(locals: App.Locals, areas: readonly ChangeArea[]): void {
  if (locals.user) return;
  locals.sharedPage = { areas };
}
