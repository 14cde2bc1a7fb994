import { sql, type Kysely, type RawBuilder, type Transaction } from 'kysely';
import * as clock from '~/lib/clock.ts';
import type { Language } from '~/i18n/index.ts';
import type { Database, RequestStatus } from '~/server/db/schema.ts';
import { byEngine, unindexed } from '~/server/db/dialect.ts';
import { parseStringArray } from '~/server/accounts/profiles.ts';
import { REQUESTS_PER_PAGE, type HelpForm, type Urgency, type WorkingLanguage } from '~/lib/exchange/catalogue.ts';

/** What a member writes when asking for help. */
export interface RequestInput {
  title: string;
  body: string;
  helpForms: readonly HelpForm[];
  topics: readonly string[];
  languages: readonly WorkingLanguage[];
  urgency: Urgency;
  /** ISO date, or null for "no deadline". */
  deadline: string | null;
}

/** A request as pages show it. */
export interface HelpRequest {
  id: number;
  townId: number;
  town: { slug: string; name: Record<Language, string>; region: string };
  authorId: string;
  authorName: string;
  title: string;
  body: string;
  helpForms: HelpForm[];
  topics: string[];
  languages: WorkingLanguage[];
  urgency: Urgency;
  deadline: string | null;
  status: RequestStatus;
  outcome: string | null;
  hidden: boolean;
  hiddenReason: string | null;
  publishedAt: number | null;
  resolvedAt: number | null;
  createdAt: number;
  updatedAt: number;
}

/** A line in the list of requests. */
export interface RequestSummary {
  id: number;
  title: string;
  body: string;
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
}

/** Statuses everyone in the exchange sees. */
export const PUBLISHED_STATUSES = ['open', 'in_progress', 'resolved'] as const;

type Executor = Kysely<Database> | Transaction<Database>;

/** Writes one line of a request's history. */
export async function recordRequestEvent(
  db: Executor,
  event: { requestId: number; responseId?: number | null; actorId: string; action: string; note?: string | null },
  now: number,
): Promise<void> {
  await db
    .insertInto('help_request_events')
    .values({ request_id: event.requestId, response_id: event.responseId ?? null, actor_id: event.actorId, action: event.action, note: event.note ?? null, created_at: now })
    .execute();
}

/** The request's topic rows, carrying its publication time so a topic's list walks one index. */
async function writeTopics(db: Transaction<Database>, requestId: number, topics: readonly string[], publishedAt: number | null): Promise<void> {
  await db.deleteFrom('help_request_topics').where('request_id', '=', requestId).execute();
  const unique = [...new Set(topics)];
  if (unique.length > 0) {
    await db.insertInto('help_request_topics').values(unique.map((topic) => ({ request_id: requestId, topic, published_at: publishedAt }))).execute();
  }
}

function inputColumns(input: RequestInput) {
  return {
    title: input.title,
    body: input.body,
    help_forms: JSON.stringify([...new Set(input.helpForms)]),
    topics: JSON.stringify([...new Set(input.topics)]),
    languages: JSON.stringify([...new Set(input.languages)]),
    urgency: input.urgency,
    deadline: input.deadline,
  };
}

/** Stores a new request as a draft or, with `publish`, open for answers. Returns its id. */
export async function createRequest(
  db: Kysely<Database>,
  request: { townId: number; authorId: string; input: RequestInput; publish: boolean },
  now = clock.now(),
): Promise<number> {
  return db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto('help_requests')
      .values({
        ...inputColumns(request.input),
        town_id: request.townId,
        author_id: request.authorId,
        status: request.publish ? 'open' : 'draft',
        outcome: null,
        hidden_at: null,
        hidden_reason: null,
        published_at: request.publish ? now : null,
        resolved_at: null,
        created_at: now,
        updated_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await writeTopics(trx, row.id, request.input.topics, request.publish ? now : null);
    await recordRequestEvent(trx, { requestId: row.id, actorId: request.authorId, action: request.publish ? 'published' : 'drafted' }, now);
    return row.id;
  });
}

/**
 * Saves edits to a request; with `publish`, a draft opens for answers. Returns
 * whether this save published it (so watchers are told once).
 */
export async function updateRequest(
  db: Kysely<Database>,
  requestId: number,
  change: { actorId: string; input: RequestInput; publish: boolean },
  now = clock.now(),
): Promise<{ published: boolean }> {
  return db.transaction().execute(async (trx) => {
    const current = await trx.selectFrom('help_requests').select(['status', 'published_at']).where('id', '=', requestId).executeTakeFirstOrThrow();
    const publishing = change.publish && current.status === 'draft';
    await trx
      .updateTable('help_requests')
      .set({ ...inputColumns(change.input), updated_at: now, ...(publishing ? { status: 'open', published_at: now } : {}) })
      .where('id', '=', requestId)
      .execute();
    await writeTopics(trx, requestId, change.input.topics, publishing ? now : current.published_at);
    await recordRequestEvent(trx, { requestId, actorId: change.actorId, action: publishing ? 'published' : 'edited' }, now);
    return { published: publishing };
  });
}

/** One request with its town and author, or undefined. */
export async function getRequest(db: Kysely<Database>, requestId: number): Promise<HelpRequest | undefined> {
  const row = await db
    .selectFrom('help_requests as r')
    .innerJoin('towns as t', 't.id', 'r.town_id')
    .innerJoin('users as u', 'u.id', 'r.author_id')
    .select([
      'r.id', 'r.town_id', 'r.author_id', 'r.title', 'r.body', 'r.help_forms', 'r.topics', 'r.languages', 'r.urgency', 'r.deadline',
      'r.status', 'r.outcome', 'r.hidden_at', 'r.hidden_reason', 'r.published_at', 'r.resolved_at', 'r.created_at', 'r.updated_at',
      't.slug', 't.name_kk', 't.name_ru', 't.name_en', 't.region', 'u.display_name',
    ])
    .where('r.id', '=', requestId)
    .executeTakeFirst();
  if (!row) return undefined;
  return {
    id: row.id,
    townId: row.town_id,
    town: { slug: row.slug, name: { kk: row.name_kk, ru: row.name_ru, en: row.name_en }, region: row.region },
    authorId: row.author_id,
    authorName: row.display_name,
    title: row.title,
    body: row.body,
    helpForms: parseStringArray(row.help_forms) as HelpForm[],
    topics: parseStringArray(row.topics),
    languages: parseStringArray(row.languages) as WorkingLanguage[],
    urgency: row.urgency,
    deadline: row.deadline,
    status: row.status,
    outcome: row.outcome,
    hidden: row.hidden_at !== null,
    hiddenReason: row.hidden_reason,
    publishedAt: row.published_at,
    resolvedAt: row.resolved_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
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
function searchSource(db: Kysely<Database>, text: string): { from: RawBuilder<unknown>; condition: RawBuilder<unknown>; order: RawBuilder<unknown> } | null {
  const words = searchWords(text);
  if (words.length === 0) return null;
  return byEngine(db, {
    sqlite: {
      from: sql`help_requests_search AS s JOIN help_requests AS r ON r.id = s.rowid`,
      condition: sql`help_requests_search MATCH ${searchQuery(text)}`,
      order: sql`s.rowid DESC`,
    },
    postgres: {
      from: sql`help_requests AS r`,
      condition: sql`to_tsvector('simple', r.title || ' ' || r.body) @@ to_tsquery('simple', ${words.map((word) => `${word}:*`).join(' & ')})`,
      order: sql`r.id DESC`,
    },
  });
}

/** The columns a list row reads. */
interface SummaryRow {
  id: number;
  title: string;
  body: string;
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
  const search = filters.query ? searchSource(db, filters.query) : null;
  const conditions: RawBuilder<unknown>[] = [sql`r.hidden_at IS NULL`];
  let from: RawBuilder<unknown>;
  let order: RawBuilder<unknown>;

  const topicCondition = (topic: string) => sql`EXISTS (SELECT 1 FROM help_request_topics AS x WHERE x.request_id = r.id AND x.topic = ${topic})`;
  if (search) {
    from = search.from;
    conditions.push(search.condition);
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
    const expertise = (await db.selectFrom('help_match_index').select('topic').where('user_id', '=', viewer.id).where('declared', '=', 1).execute()).map((row) => row.topic);
    if (expertise.length === 0) return { items: [], hasNext: false };
    conditions.push(sql`EXISTS (SELECT 1 FROM help_request_topics AS x WHERE x.request_id = r.id AND x.topic IN (${sql.join(expertise)}))`);
    if (viewer.townId !== null) conditions.push(sql`${unindexed(db, 'r.town_id')} != ${viewer.townId}`);
  }
  if (filters.scope === 'answered') {
    conditions.push(sql`r.id IN (SELECT request_id FROM help_responses WHERE author_id = ${viewer.id})`);
  }

  const { rows } = await sql<SummaryRow>`
    SELECT r.id, r.title, r.body, r.status, r.hidden_at, r.topics, r.urgency, r.deadline, r.published_at, r.created_at,
           t.slug, t.name_kk, t.name_ru, t.name_en, t.region
    FROM ${from} JOIN towns AS t ON t.id = r.town_id
    WHERE ${sql.join(conditions, sql` AND `)}
    ORDER BY ${order}
    LIMIT ${perPage + 1} OFFSET ${(page - 1) * perPage}`.execute(db);
  const shown = rows.slice(0, perPage);
  const responses = await countResponses(db, shown.map((row) => row.id));
  return {
    hasNext: rows.length > perPage,
    items: shown.map((row) => ({
      id: row.id,
      title: row.title,
      body: row.body,
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

/** Moves an open request to "in progress" or to "resolved" with an outcome note. */
export async function changeRequestStatus(
  db: Kysely<Database>,
  requestId: number,
  change: { actorId: string; status: 'in_progress' | 'resolved'; outcome?: string },
  now = clock.now(),
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable('help_requests')
      .set({
        status: change.status,
        updated_at: now,
        ...(change.status === 'resolved' ? { outcome: change.outcome ?? null, resolved_at: now } : {}),
      })
      .where('id', '=', requestId)
      .execute();
    await recordRequestEvent(trx, { requestId, actorId: change.actorId, action: change.status, note: change.outcome ?? null }, now);
  });
}

/** The author withdraws their request; it leaves the list for everyone outside the town. */
export async function withdrawRequest(db: Kysely<Database>, requestId: number, actorId: string, now = clock.now()): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx.updateTable('help_requests').set({ status: 'withdrawn', updated_at: now }).where('id', '=', requestId).execute();
    await recordRequestEvent(trx, { requestId, actorId, action: 'withdrawn' }, now);
  });
}

/** An editor hides a request with a reason, or shows it again (reason null). */
export async function setRequestHidden(
  db: Kysely<Database>,
  requestId: number,
  change: { actorId: string; reason: string | null },
  now = clock.now(),
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable('help_requests')
      .set({ hidden_at: change.reason === null ? null : now, hidden_reason: change.reason })
      .where('id', '=', requestId)
      .execute();
    await recordRequestEvent(trx, { requestId, actorId: change.actorId, action: change.reason === null ? 'unhidden' : 'hidden', note: change.reason }, now);
  });
}

/** A request's history, oldest first, with who acted. */
export function requestHistory(db: Kysely<Database>, requestId: number) {
  return db
    .selectFrom('help_request_events as e')
    .innerJoin('users as u', 'u.id', 'e.actor_id')
    .select(['e.id', 'e.action', 'e.note', 'e.response_id', 'e.created_at', 'u.display_name as actorName'])
    .where('e.request_id', '=', requestId)
    .orderBy('e.id', 'asc')
    .execute();
}
