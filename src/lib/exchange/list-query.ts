import { TAXONOMIES } from '~/schemas/taxonomy.ts';
import { WORKING_LANGUAGES } from './catalogue.ts';

/** The exchange list's filters as they appear in the URL (town by slug). */
export interface ExchangeQuery {
  status?: 'open' | 'in_progress' | 'resolved';
  topic?: string;
  region?: string;
  town?: string;
  language?: (typeof WORKING_LANGUAGES)[number];
  scope?: 'expertise' | 'town' | 'answered';
  q?: string;
  page: number;
}

const STATUSES = ['open', 'in_progress', 'resolved'] as const;
const SCOPES = ['expertise', 'town', 'answered'] as const;
const FIELDS = ['status', 'topic', 'region', 'town', 'language', 'scope', 'q', 'page'] as const;
/** A filter name in the URL. */
export type ExchangeFilter = (typeof FIELDS)[number];

const oneOf = <T extends string>(values: readonly T[], value: string): value is T => (values as readonly string[]).includes(value);

/**
 * Reads the filters from a query string. Values that cannot be right are left out
 * and named in `problems`, so the page can say so (and answer 400) instead of failing.
 */
export function parseExchangeQuery(params: URLSearchParams, townSlugs: { has(slug: string): boolean }): { query: ExchangeQuery; problems: ExchangeFilter[] } {
  const query: ExchangeQuery = { page: 1 };
  const problems: ExchangeFilter[] = [];
  for (const name of FIELDS) {
    const raw = params.get(name)?.trim() ?? '';
    if (raw === '') continue;
    if (name === 'status' && oneOf(STATUSES, raw)) query.status = raw;
    else if (name === 'scope' && oneOf(SCOPES, raw)) query.scope = raw;
    else if (name === 'language' && oneOf(WORKING_LANGUAGES, raw)) query.language = raw;
    else if (name === 'topic' && oneOf(TAXONOMIES.topics.map((term) => term.id), raw)) query.topic = raw;
    else if (name === 'region' && oneOf(TAXONOMIES.regions.map((term) => term.id), raw)) query.region = raw;
    else if (name === 'town' && townSlugs.has(raw)) query.town = raw;
    else if (name === 'q' && raw.length <= 200) query.q = raw;
    else if (name === 'page' && /^[1-9]\d{0,3}$/.test(raw)) query.page = Number(raw);
    else problems.push(name);
  }
  return { query, problems };
}

/** The query string for a list view (empty values left out), e.g. for pagination links. */
export function exchangeSearch(query: Partial<ExchangeQuery>): string {
  const params = new URLSearchParams();
  for (const name of FIELDS) {
    const value = query[name];
    if (value === undefined || value === '' || (name === 'page' && value === 1)) continue;
    params.set(name, String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

/**
 * The data layer's filters (the exchange domain's `RequestFilters`) for a
 * parsed query: the town by id. Its type is checked where it is passed to listRequests.
 */
export function toFilters(query: ExchangeQuery, townIds: ReadonlyMap<string, number>) {
  return {
    status: query.status,
    topic: query.topic,
    region: query.region,
    town: query.town ? townIds.get(query.town) : undefined,
    language: query.language,
    scope: query.scope,
    query: query.q,
    page: query.page,
  };
}
