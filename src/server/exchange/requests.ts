import { isCommunityRule, type CommunityRule } from '~/lib/community-rules.ts';
import { sql, type Kysely, type RawBuilder, type Transaction } from 'kysely';
import * as clock from '~/lib/clock.ts';
import type { Language } from '~/i18n/index.ts';
import type { Database, RequestStatus } from '~/server/db/schema.ts';
import { parseStringArray } from '~/server/accounts/profiles.ts';
import { type HelpForm, type Urgency, type WorkingLanguage } from '~/lib/exchange/catalogue.ts';
import { syncRequest } from '~/server/search/sources/exchange.ts';
import { requestExcerpt } from './excerpt.ts';

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
  /** The community rule it broke, when a moderator named one. */
  hiddenRule: CommunityRule | null;
  publishedAt: number | null;
  resolvedAt: number | null;
  createdAt: number;
  updatedAt: number;
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
    excerpt: requestExcerpt(input.body),
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
    await syncRequest(trx, row.id);
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
    await syncRequest(trx, requestId);
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
      'r.status', 'r.outcome', 'r.hidden_at', 'r.hidden_reason', 'r.hidden_rule', 'r.published_at', 'r.resolved_at', 'r.created_at', 'r.updated_at',
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
    hiddenRule: isCommunityRule(row.hidden_rule) ? row.hidden_rule : null,
    publishedAt: row.published_at,
    resolvedAt: row.resolved_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
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
    await syncRequest(trx, requestId);
  });
}

/** The author withdraws their request; it leaves the list for everyone outside the town. */
export async function withdrawRequest(db: Kysely<Database>, requestId: number, actorId: string, now = clock.now()): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx.updateTable('help_requests').set({ status: 'withdrawn', updated_at: now }).where('id', '=', requestId).execute();
    await recordRequestEvent(trx, { requestId, actorId, action: 'withdrawn' }, now);
    await syncRequest(trx, requestId);
  });
}

/** An editor hides a request with a reason, or shows it again (reason null). */
export async function setRequestHidden(
  db: Kysely<Database>,
  requestId: number,
  change: { actorId: string; reason: string | null; rule?: CommunityRule | null },
  now = clock.now(),
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable('help_requests')
      .set({ hidden_at: change.reason === null ? null : now, hidden_reason: change.reason, hidden_rule: change.reason === null ? null : (change.rule ?? null) })
      .where('id', '=', requestId)
      .execute();
    await recordRequestEvent(trx, { requestId, actorId: change.actorId, action: change.reason === null ? 'unhidden' : 'hidden', note: change.reason }, now);
    await syncRequest(trx, requestId);
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
