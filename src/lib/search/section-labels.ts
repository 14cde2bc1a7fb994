import type { MessageKey } from '~/i18n/index.ts';

/**
 * What a search result is, by its section id (search_documents.section), in the order
 * the section filter lists them. Every writer of search_documents uses one of these ids
 * (tests/unit/search-sources.test.ts checks the sources); an unknown one is shown as a page.
 */
export const SEARCH_SECTION_LABELS = {
  resources: 'search.section.resources',
  cases: 'search.section.cases',
  news: 'search.section.news',
  events: 'search.section.events',
  programmes: 'search.section.programmes',
  pages: 'search.section.pages',
  towns: 'search.section.towns',
  groups: 'search.section.groups',
  threads: 'search.section.threads',
  indicators: 'search.section.indicators',
  exchange: 'search.section.exchange',
  members: 'search.section.members',
  dialogue: 'search.section.dialogue',
  positions: 'search.section.positions',
} as const satisfies Record<string, MessageKey>;

export type SearchSectionId = keyof typeof SEARCH_SECTION_LABELS;

export function isSearchSection(value: string): value is SearchSectionId {
  return Object.hasOwn(SEARCH_SECTION_LABELS, value);
}

/** The label key of a result's section. */
export function sectionLabel(section: string): MessageKey {
  return isSearchSection(section) ? SEARCH_SECTION_LABELS[section] : 'search.section.other';
}
