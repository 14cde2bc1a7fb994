import type { Language } from '~/i18n/index.ts';
import { escapeHtml } from '~/lib/html.ts';

/** A working group as a town's profile lists it. */
export interface ListedGroup {
  slug: string;
  name: Readonly<Record<Language, string>>;
  purpose: Readonly<Record<Language, string>>;
}

/**
 * The public working groups of a town's members, as the profile lists them: each its
 * link and purpose. A town at national scale is in forty or more groups, and as Astro
 * expressions each item was several render steps on every first view of a town.
 */
export function townGroupsHtml(groups: readonly ListedGroup[], lang: Language): string {
  let html = '<ul class="plain-list">';
  for (const group of groups) {
    html += `<li><a href="/${lang}/groups/${escapeHtml(group.slug)}/">${escapeHtml(group.name[lang])}</a> — ${escapeHtml(group.purpose[lang])}</li>`;
  }
  return `${html}</ul>`;
}
