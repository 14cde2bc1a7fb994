import type { AstroGlobal } from 'astro';
import { db } from '../server/db/index.ts';
import { groupForViewer, type GroupAccess } from '../server/groups/groups.ts';

/** The page number from `?page=`, or undefined when it is not a positive whole number. */
export function pageNumber(url: URL): number | undefined {
  const raw = url.searchParams.get('page');
  if (raw === null) return 1;
  return /^[1-9]\d{0,5}$/.test(raw) ? Number(raw) : undefined;
}

/** A whole positive id from a URL segment, or undefined. */
export function idParam(value: string | undefined): number | undefined {
  return value !== undefined && /^[1-9]\d{0,9}$/.test(value) && Number(value) <= 2 ** 31 ? Number(value) : undefined;
}

/**
 * The group of a `/groups/<slug>/…` page for the current visitor, or undefined — and
 * then the page answers 404, the same for a missing group as for a private one the
 * visitor may not know about.
 */
export async function groupOfPage(page: Pick<AstroGlobal, 'params' | 'locals' | 'response'>): Promise<GroupAccess | undefined> {
  const slug = page.params.slug ?? '';
  const access = /^[a-z0-9-]{1,60}$/.test(slug) ? await groupForViewer(db(), { slug }, page.locals.user) : undefined;
  if (!access) page.response.status = 404;
  return access;
}

/** The path of a group page under the language root. */
export function groupHref(lang: string, slug: string, rest = ''): string {
  return `/${lang}/groups/${slug}/${rest}`;
}
