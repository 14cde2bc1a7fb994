import { isLanguage, type Language, type MessageKey } from '~/i18n/index.ts';
import { TAXONOMIES, TOWN_REGIONS } from '~/schemas/taxonomy.ts';
import type { FilterName, Section } from './sections.ts';
import { isEventFormat, type EventFormat } from '~/lib/events/format.ts';

/** Items on one page of a list. */
export const PAGE_SIZE = 10;
const MAX_QUERY_LENGTH = 100;

/** A list page's filters, read from its URL. Absent means "any". */
export interface ListQuery {
  topic?: string;
  type?: string;
  programme?: string;
  region?: string;
  town?: string;
  language?: Language;
  year?: number;
  status?: 'open' | 'closed' | 'rolling';
  when?: 'upcoming' | 'past';
  format?: EventFormat;
  q?: string;
  page: number;
}

/** The filters as read, or what was wrong with them (i18n keys naming the filter). */
export type ParsedListQuery = { ok: true; query: ListQuery } | { ok: false; problems: MessageKey[]; query: ListQuery };

/** Values only the content knows (the funding programmes' slugs), given by the caller. */
export interface KnownValues {
  programmes: ReadonlySet<string>;
}

const KNOWN: Record<Exclude<FilterName, 'language' | 'year'>, (value: string, known: KnownValues) => boolean> = {
  topic: (value) => TAXONOMIES.topics.some((term) => term.id === value),
  programme: (value, known) => known.programmes.has(value),
  type: (value) => TAXONOMIES.resourceTypes.some((term) => term.id === value),
  region: (value) => TAXONOMIES.regions.some((term) => term.id === value),
  town: (value) => TOWN_REGIONS.has(value),
  status: (value) => ['open', 'closed', 'rolling'].includes(value),
  when: (value) => ['upcoming', 'past'].includes(value),
  format: isEventFormat,
};

/**
 * Reads a list page's query string. Values that cannot be right (an unknown topic, a
 * page of -1, a filter this list does not have) are reported, so the page can answer
 * 400 with a message instead of guessing; the valid part is kept for the form.
 */
export function parseListQuery(params: URLSearchParams, section: Section, known: KnownValues = { programmes: new Set() }): ParsedListQuery {
  const problems: MessageKey[] = [];
  const query: ListQuery = { page: 1 };
  const value = (name: string) => params.get(name)?.trim() || undefined;

  for (const name of section.filters) {
    const raw = value(name);
    if (raw === undefined) continue;
    if (name === 'language') {
      if (isLanguage(raw)) query.language = raw;
      else problems.push('list.problem.language');
    } else if (name === 'year') {
      const year = /^\d{4}$/.test(raw) ? Number(raw) : NaN;
      if (year >= 1990 && year <= 2100) query.year = year;
      else problems.push('list.problem.year');
    } else if (KNOWN[name](raw, known)) {
      (query as unknown as Record<string, string>)[name] = raw;
    } else {
      problems.push(`list.problem.${name}` as MessageKey);
    }
  }

  const q = value('q');
  if (q !== undefined) {
    if (q.length <= MAX_QUERY_LENGTH) query.q = q;
    else problems.push('list.problem.q');
  }

  const page = value('page');
  if (page !== undefined) {
    // Any whole number from 1 is a page; one past the end is simply empty.
    if (/^\d+$/.test(page) && Number(page) >= 1) query.page = Math.min(Number(page), 1_000_000_000);
    else problems.push('list.problem.page');
  }
  return problems.length > 0 ? { ok: false, problems, query } : { ok: true, query };
}

/** The query string for a list with these filters (and page), for links and pagination. */
export function listSearch(query: Partial<ListQuery>): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (value === undefined || value === '' || (name === 'page' && value === 1)) continue;
    params.set(name, String(value));
  }
  const search = params.toString();
  return search ? `?${search}` : '';
}

