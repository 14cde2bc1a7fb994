import type { MessageKey } from '~/i18n/index.ts';
import { TAXONOMIES } from '~/schemas/taxonomy.ts';
import { SPOKEN_LANGUAGES, type SpokenLanguage } from '~/server/accounts/profiles.ts';

// The people directory's filters as the URL gives them. Pure: no database.

/** The directory's filters (town by slug, as in the URL); `page` counts from 1. */
export interface DirectoryQuery {
  topic?: string;
  town?: string;
  region?: string;
  language?: SpokenLanguage;
  q?: string;
  page: number;
}

/** The names of the query string, in the order links write them. */
const FIELDS = ['q', 'topic', 'town', 'region', 'language', 'page'] as const;
/** A name search is cut here; longer is refused. */
export const NAME_SEARCH_MAX = 100;

/** What is wrong with each filter, as a message key (the page says which filter in words). */
const PROBLEMS: Record<(typeof FIELDS)[number], MessageKey> = {
  q: 'members.filter.badName',
  topic: 'members.filter.badTopic',
  town: 'members.filter.badTown',
  region: 'members.filter.badRegion',
  language: 'members.filter.badLanguage',
  page: 'members.filter.badPage',
};

const oneOf = <T extends string>(values: readonly T[], value: string): value is T => (values as readonly string[]).includes(value);

/**
 * Reads the directory's query string. A value that cannot be right (an unknown topic or
 * town, a page that is not a number, a repeated filter) is left out and named in
 * `problems`, so the page answers 400 with the form and says what to change.
 */
export function parseDirectoryQuery(params: URLSearchParams, townSlugs: { has(slug: string): boolean }): { query: DirectoryQuery; problems: MessageKey[] } {
  const query: DirectoryQuery = { page: 1 };
  const problems = new Set<MessageKey>();
  for (const name of FIELDS) {
    const all = params.getAll(name);
    if (all.length > 1) {
      problems.add('members.filter.repeated');
      continue;
    }
    const raw = all[0]?.trim() ?? '';
    if (raw === '') continue;
    if (name === 'q' && raw.length <= NAME_SEARCH_MAX && !/[\u0000-\u001f\u007f]/.test(raw)) query.q = raw;
    else if (name === 'topic' && oneOf(TAXONOMIES.topics.map((term) => term.id), raw)) query.topic = raw;
    else if (name === 'region' && oneOf(TAXONOMIES.regions.map((term) => term.id), raw)) query.region = raw;
    else if (name === 'town' && townSlugs.has(raw)) query.town = raw;
    else if (name === 'language' && oneOf(SPOKEN_LANGUAGES, raw)) query.language = raw;
    else if (name === 'page' && /^[1-9]\d{0,3}$/.test(raw)) query.page = Number(raw);
    else problems.add(PROBLEMS[name]);
  }
  return { query, problems: [...problems] };
}

/** The query string of a directory view (empty values and page 1 left out), for links. */
export function directorySearch(query: Partial<DirectoryQuery>): string {
  const params = new URLSearchParams();
  for (const name of FIELDS) {
    const value = query[name];
    if (value === undefined || value === '' || (name === 'page' && value === 1)) continue;
    params.set(name, String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}
