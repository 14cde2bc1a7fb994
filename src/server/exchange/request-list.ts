import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Language } from '~/i18n/index.ts';
import { REQUESTS_PER_PAGE, type Urgency, type WorkingLanguage } from '~/lib/exchange/catalogue.ts';
import { parseStringArray } from '~/server/accounts/profiles.ts';
import { engineOf, unindexed } from '~/server/db/dialect.ts';
import type { Database, RequestStatus } from '~/server/db/schema.ts';
import { expandedMatchQuery } from './prefix-terms.ts';
import { PUBLISHED_STATUSES } from './requests.ts';

// The list of requests and its text search: the one hand-written query of the exchange,
// kept apart from the request's own reads and writes because it is tuned per engine.

/** A line in the list of requests. */
export interface RequestSummary {
  id: number;
  title: string;
  /** Plain text, stored when the request was written (help_requests.excerpt). */
  excerpt: string;
  status: RequestStatus;
  hidden: boolean;
  town: { slug: string; name: Record<Language, string>; region: string };
  topics: string[];
  urgency: Urgency;
  deadline: string | null;
  publishedAt: number | null;
  createdAt: number;
  responses: number;
}

/** Filters of the list, all optional; `page` counts from 1. */
export interface RequestFilters {
  status?: 'open' | 'in_progress' | 'resolved' | undefined;
  topic?: string | undefined;
  region?: string | undefined;
  town?: number | undefined;
  language?: WorkingLanguage | undefined;
  /** "matching my expertise", "from my town" or "requests I answered". */
  scope?: 'expertise' | 'town' | 'answered' | undefined;
  query?: string | undefined;
  page?: number | undefined;
}

/** Who is looking: the list depends on their town and expertise. */
export interface Viewer {
  id: string;
  townId: number | null;
  /** The viewer's declared topics when the caller read them already (the member home): not read again. */
  expertise?: readonly string[] | undefined;
}

/**
 * Turns what a member typed into an FTS5 query: each word as a quoted prefix, so
 * operators and quotes typed by the member are just text. Null when no word is left.
 */
export function searchQuery(text: string): string | null {
  const words = searchWords(text);
  return words.length > 0 ? words.map((word) => `"${word}"*`).join(' ') : null;
}

/** The words of a search (letters and digits only, so no operator survives), at most eight. */
function searchWords(text: string): string[] {
  return text.normalize('NFKC').split(/[^\p{L}\p{N}]+/u).filter(Boolean).slice(0, 8);
}

/**
 * Where a text search reads, newest request first: SQLite's FTS5 table, or on
 * PostgreSQL the GIN index on the requests' tsvector (migration 0004 creates both; the
 * expression here must stay the index's). Every word must match as a word prefix on
 * both. Null when no word is left.
 */
async function searchSource(db: Kysely<Database>, text: string): Promise<{ from: RawBuilder<unknown>; condition: RawBuilder<unknown>; order: RawBuilder<unknown> } | null> {
  const words = searchWords(text);
  if (words.length === 0) return null;
  if (engineOf(db) === 'sqlite') {
    return {
      from: sql`help_requests_search AS s JOIN help_requests AS r ON r.id = s.rowid`,
      // Each prefix written as the terms it stands for, which FTS5 streams (src/server/exchange/prefix-terms.ts).
      condition: sql`help_requests_search MATCH ${await expandedMatchQuery(db, words)}`,
      order: sql`s.rowid DESC`,
    };
  }
  return {
    from: sql`help_requests AS r`,
    condition: sql`to_tsvector('simple', r.title || ' ' || r.body) @@ to_tsquery('simple', ${words.map((word) => `${word}:*`).join(' & ')})`,
    order: sql`r.id DESC`,
  };
}

/**
 * How many of the newest requests (that pass the other filters) a text search on
 * PostgreSQL tests first, word by word, before asking the GIN index; see `newestMatches`.
 */
const NEWEST_PROBE_ROWS = 250;

/**
 * A page of a PostgreSQL text search taken from the newest requests alone, or null when
 * they do not fill it. PostgreSQL estimates a prefix query (`college:* & housing:*`) at
 * a few rows however many match, so it takes every match from the GIN index and sorts
 * them: 1.7 s when most of 200,000 requests match. Common words fill a page within the
 * newest few dozen requests, so those are tested first (the walk stops at a full page);
 * rare words leave the page short and the caller asks the index, which is quick for them.
 * The matches among the newest N requests are exactly the first matches of the whole
 * list, so a full page here is the same page.
 */
async function newestMatches(
  db: Kysely<Database>,
  conditions: RawBuilder<unknown>[],
  searchCondition: RawBuilder<unknown>,
  columns: RawBuilder<unknown>,
  limit: RawBuilder<unknown>,
  wanted: number,
): Promise<{ rows: SummaryRow[] } | null> {
  const probe = await sql<SummaryRow>`
    SELECT ${columns}
    FROM (SELECT * FROM help_requests AS r WHERE ${sql.join(conditions, sql` AND `)} ORDER BY r.id DESC LIMIT ${NEWEST_PROBE_ROWS}) AS r
      JOIN towns AS t ON t.id = r.town_id
    WHERE ${searchCondition}
    ORDER BY r.id DESC
    ${limit}`.execute(db);
  return probe.rows.length === wanted ? { rows: probe.rows } : null;
}

/** The columns a list row reads. */
interface SummaryRow {
  id: number;
  title: string;
  excerpt: string;
  status: RequestStatus;
  hidden_at: number | null;
  topics: string;
  urgency: Urgency;
  deadline: string | null;
  published_at: number | null;
  created_at: number;
  slug: string;
  name_kk: string;
  name_ru: string;
  name_en: string;
  region: string;
}

/**
 * Visible responses per request, for a page of the list. Counted apart from the page's
 * query because both engines evaluate a count in the select list for every row they
 * skip with OFFSET too: on page 50 that was a thousand counts for twenty rows shown.
 */
async function countResponses(db: Kysely<Database>, requestIds: readonly number[]): Promise<Map<number, number>> {
  if (requestIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('help_responses')
    .select((eb) => ['request_id', eb.fn.countAll<number>().as('n')])
    .where('request_id', 'in', requestIds)
    .where('hidden_at', 'is', null)
    .where('withdrawn_at', 'is', null)
    .groupBy('request_id')
    .execute();
  return new Map(rows.map((row) => [row.request_id, Number(row.n)]));
}

/**
 * One page of requests, newest first. Everyone sees published requests that are
 * not hidden; "from my town" adds the town's drafts and withdrawn requests.
 * Returns one page and whether there is another.
 *
 * The query is written by hand so that each filter walks an index already in the
 * order of the list and stops after one page, whatever the table's size: a topic
 * walks help_request_topics (topic, published_at); a town or a single status its
 * own index; a text search the FTS index newest id first; everything else the
 * published_at index. The unary `+` keeps SQLite from choosing an index for a
 * filter that would then need sorting the whole match.
 */
export async function listRequests(
  db: Kysely<Database>,
  viewer: Viewer,
  filters: RequestFilters,
  perPage = REQUESTS_PER_PAGE,
): Promise<{ items: RequestSummary[]; hasNext: boolean }> {
  const page = Math.max(1, Math.min(filters.page ?? 1, 10_000));
  const ownTown = filters.scope === 'town' && viewer.townId !== null ? viewer.townId : null;
  const search = filters.query ? await searchSource(db, filters.query) : null;
  const conditions: RawBuilder<unknown>[] = [sql`r.hidden_at IS NULL`];
  let from: RawBuilder<unknown>;
  let order: RawBuilder<unknown>;

  const topicCondition = (topic: string) => sql`EXISTS (SELECT 1 FROM help_request_topics AS x WHERE x.request_id = r.id AND x.topic = ${topic})`;
  if (search) {
    from = search.from;
    if (filters.topic) conditions.push(topicCondition(filters.topic));
    order = search.order;
  } else if (filters.topic && ownTown === null) {
    from = sql`help_request_topics AS rt JOIN help_requests AS r ON r.id = rt.request_id`;
    conditions.push(sql`rt.topic = ${filters.topic}`, sql`rt.published_at IS NOT NULL`);
    order = sql`rt.published_at DESC, rt.request_id DESC`;
  } else {
    from = sql`help_requests AS r`;
    if (filters.topic) conditions.push(topicCondition(filters.topic));
    if (ownTown === null) {
      // Only published requests are listed here, and each has its publication time.
      // Saying so lets PostgreSQL, whose descending order puts NULLs (the drafts) first,
      // start its walk at the newest published request instead of stepping over every
      // draft. SQLite puts NULLs last anyway, and must not pick an index for it.
      conditions.push(sql`${unindexed(db, 'r.published_at')} IS NOT NULL`);
    }
    order = ownTown !== null ? sql`coalesce(r.published_at, r.created_at) DESC, r.id DESC` : sql`r.published_at DESC, r.id DESC`;
  }

  if (ownTown !== null) {
    conditions.push(sql`r.town_id = ${ownTown}`);
    if (filters.status) conditions.push(sql`${unindexed(db, 'r.status')} = ${filters.status}`);
  } else if (filters.status && !search && !filters.topic && filters.town === undefined) {
    conditions.push(sql`r.status = ${filters.status}`);
  } else {
    conditions.push(filters.status ? sql`${unindexed(db, 'r.status')} = ${filters.status}` : sql`${unindexed(db, 'r.status')} IN ('open', 'in_progress', 'resolved')`);
  }
  if (filters.town !== undefined) conditions.push(search || filters.topic ? sql`${unindexed(db, 'r.town_id')} = ${filters.town}` : sql`r.town_id = ${filters.town}`);
  if (filters.region) conditions.push(sql`${unindexed(db, 'r.town_id')} IN (SELECT id FROM towns WHERE region = ${filters.region})`);
  if (filters.language) conditions.push(sql`r.languages LIKE ${`%"${filters.language}"%`}`);
  if (filters.scope === 'expertise') {
    // The member's few topics are read first, so each row costs one lookup per topic.
    const expertise = viewer.expertise ?? (await db.selectFrom('help_match_index').select('topic').where('user_id', '=', viewer.id).where('declared', '=', 1).execute()).map((row) => row.topic);
    if (expertise.length === 0) return { items: [], hasNext: false };
    conditions.push(sql`EXISTS (SELECT 1 FROM help_request_topics AS x WHERE x.request_id = r.id AND x.topic IN (${sql.join(expertise)}))`);
    if (viewer.townId !== null) conditions.push(sql`${unindexed(db, 'r.town_id')} != ${viewer.townId}`);
  }
  if (filters.scope === 'answered') {
    conditions.push(sql`r.id IN (SELECT request_id FROM help_responses WHERE author_id = ${viewer.id})`);
  }

  const columns = sql`r.id, r.title, r.excerpt, r.status, r.hidden_at, r.topics, r.urgency, r.deadline, r.published_at, r.created_at,
           t.slug, t.name_kk, t.name_ru, t.name_en, t.region`;
  const limit = sql`LIMIT ${perPage + 1} OFFSET ${(page - 1) * perPage}`;
  const probed = search && engineOf(db) === 'postgres' ? await newestMatches(db, conditions, search.condition, columns, limit, perPage + 1) : null;
  const { rows } = probed ?? (await sql<SummaryRow>`
    SELECT ${columns}
    FROM ${from} JOIN towns AS t ON t.id = r.town_id
    WHERE ${sql.join(search ? [...conditions, search.condition] : conditions, sql` AND `)}
    ORDER BY ${order}
    ${limit}`.execute(db));
  const shown = rows.slice(0, perPage);
  const responses = await countResponses(db, shown.map((row) => row.id));
  return {
    hasNext: rows.length > perPage,
    items: shown.map((row) => ({
      id: row.id,
      title: row.title,
      excerpt: row.excerpt,
      status: row.status,
      hidden: row.hidden_at !== null,
      town: { slug: row.slug, name: { kk: row.name_kk, ru: row.name_ru, en: row.name_en }, region: row.region },
      topics: parseStringArray(row.topics),
      urgency: row.urgency,
      deadline: row.deadline,
      publishedAt: row.published_at,
      createdAt: row.created_at,
      responses: responses.get(row.id) ?? 0,
    })),
  };
}

