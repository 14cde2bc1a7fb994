import type { MessageKey } from '~/i18n/index.ts';

/** The content collections the public knowledge centre lists. */
export const SECTION_COLLECTIONS = ['resources', 'cases', 'news', 'events', 'programmes'] as const;
/** One of the knowledge centre's collections. */
export type SectionCollection = (typeof SECTION_COLLECTIONS)[number];

/** Filters a list page may offer. */
export type FilterName = 'topic' | 'type' | 'programme' | 'region' | 'town' | 'language' | 'year' | 'status' | 'when' | 'format';

/** How one collection appears on the site. */
export interface Section {
  collection: SectionCollection;
  /** URL segment under /<lang>/. */
  path: string;
  title: MessageKey;
  /** One item of this kind, for breadcrumbs and search filters. */
  singular: MessageKey;
  intro: MessageKey;
  filters: readonly FilterName[];
}

/** Every knowledge-centre section, in the order the site shows them. */
export const SECTIONS: Record<SectionCollection, Section> = {
  resources: {
    collection: 'resources',
    path: 'resources',
    title: 'section.resources',
    singular: 'section.resources.one',
    intro: 'section.resources.intro',
    filters: ['topic', 'type', 'programme', 'region', 'town', 'language', 'year'],
  },
  cases: {
    collection: 'cases',
    path: 'cases',
    title: 'section.cases',
    singular: 'section.cases.one',
    intro: 'section.cases.intro',
    filters: ['topic', 'region', 'town', 'language', 'year'],
  },
  programmes: {
    collection: 'programmes',
    path: 'funding',
    title: 'section.programmes',
    singular: 'section.programmes.one',
    intro: 'section.programmes.intro',
    filters: ['topic', 'status', 'language'],
  },
  news: {
    collection: 'news',
    path: 'news',
    title: 'section.news',
    singular: 'section.news.one',
    intro: 'section.news.intro',
    filters: ['topic', 'language', 'year'],
  },
  events: {
    collection: 'events',
    path: 'events',
    title: 'section.events',
    singular: 'section.events.one',
    intro: 'section.events.intro',
    filters: ['topic', 'format', 'region', 'when', 'language'],
  },
};

/** Sections in display order. */
export const SECTION_LIST: readonly Section[] = [SECTIONS.resources, SECTIONS.cases, SECTIONS.programmes, SECTIONS.news, SECTIONS.events];
