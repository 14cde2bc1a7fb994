import type { MessageKey } from '~/i18n/index.ts';

/**
 * What a search result is: the `section` of its document, shown as the result's label and
 * offered as a filter. The knowledge centre's own ids first (file and member items share
 * them), then the on-demand parts of the portal.
 */
export const SEARCH_SECTIONS = [
  'resources',
  'cases',
  'news',
  'events',
  'programmes',
  'pages',
  'towns',
  'groups',
  'threads',
  'indicators',
  'exchange',
  'members',
] as const;

/** One of the sections a search result belongs to. */
export type SearchSection = (typeof SEARCH_SECTIONS)[number];

/** The dictionary key of a section's label (kk, ru, en in src/i18n/searchsources/). */
export function searchSectionLabel(section: SearchSection): MessageKey {
  return `searchsources.section.${section}`;
}

/** Whether a stored section id is one the portal knows (a filter value from a URL may not be). */
export function isSearchSection(value: string): value is SearchSection {
  return (SEARCH_SECTIONS as readonly string[]).includes(value);
}
