import type { AstroGlobal } from 'astro';
import { signInUrl } from '../../lib/return-path.ts';
import type { CurrentUser } from './lucia.ts';

/** What a guarded page goes on with: the sign-in redirect to return, or the user and whether they may see it. */
export type PageGuard = { signIn: Response } | { signIn: null; user: CurrentUser; allowed: boolean };

/**
 * The one guard of the pages that need a role (the editor and admin pages, a town's
 * cases): a visitor is sent to sign in and brought back (303); a signed-in user the
 * rule does not allow gets 403, and the page shows "forbidden" instead of its content
 * (still a page, with the site's navigation, not a bare error).
 */
export function guardPage(page: Pick<AstroGlobal, 'locals' | 'url' | 'response' | 'redirect'>, may: (user: CurrentUser) => boolean): PageGuard {
  const { lang, user } = page.locals;
  if (!user) return { signIn: page.redirect(signInUrl(lang, page.url.pathname), 303) };
  const allowed = may(user);
  if (!allowed) page.response.status = 403;
  return { signIn: null, user, allowed };
}
