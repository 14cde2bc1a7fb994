import type { AstroGlobal } from 'astro';
import { parseId } from '~/lib/ids.ts';
import { signInUrl } from '~/lib/return-path.ts';
import type { CurrentUser } from './lucia.ts';

/** What a guarded page needs of Astro's page object. */
type GuardedPage = Pick<AstroGlobal, 'locals' | 'url' | 'response' | 'redirect'>;

/**
 * What a guarded page goes on with: the sign-in redirect to return, or the user and
 * whether they may see it (as the rule's own type when the rule is a type guard, e.g.
 * a user with a town).
 */
export type PageGuard<U extends CurrentUser = CurrentUser> =
  | { signIn: Response }
  | { signIn: null; allowed: true; user: U }
  | { signIn: null; allowed: false; user: CurrentUser };

/**
 * The one guard of the pages that need a role (the editor and admin pages, a town's
 * cases): a visitor is sent to sign in and brought back (303); a signed-in user the
 * rule does not allow gets 403, and the page shows "forbidden" instead of its content
 * (still a page, with the site's navigation, not a bare error).
 */
export function guardPage<U extends CurrentUser>(page: GuardedPage, may: (user: CurrentUser) => user is U): PageGuard<U>;
export function guardPage(page: GuardedPage, may: (user: CurrentUser) => boolean): PageGuard;
export function guardPage(page: GuardedPage, may: (user: CurrentUser) => boolean): PageGuard {
  const { lang, user } = page.locals;
  if (!user) return { signIn: page.redirect(signInUrl(lang, page.url.pathname), 303) };
  if (may(user)) return { signIn: null, allowed: true, user };
  page.response.status = 403;
  return { signIn: null, allowed: false, user };
}

/** What a guarded page about one record goes on with: the guard's answer, and the record for an allowed user. */
export type RecordPageGuard<T> =
  | { signIn: Response }
  | { signIn: null; allowed: true; user: CurrentUser; record: T | undefined }
  | { signIn: null; allowed: false; user: CurrentUser; record: undefined };

/**
 * guardPage for an editor's page about one record named by the URL's `id` (an
 * application, a case, a group): the record is looked up only for a user the rule
 * allows, and the answer is 404 when the id is not one (see parseId) or names nothing.
 */
export async function guardRecordPage<T>(
  page: GuardedPage & Pick<AstroGlobal, 'params'>,
  may: (user: CurrentUser) => boolean,
  find: (id: number) => Promise<T | undefined>,
): Promise<RecordPageGuard<T>> {
  const guard = guardPage(page, may);
  if (guard.signIn) return guard;
  if (!guard.allowed) return { ...guard, record: undefined };
  const id = parseId(page.params.id);
  const record = id !== null ? await find(id) : undefined;
  if (record === undefined) page.response.status = 404;
  return { ...guard, record };
}
