import { isCommunityRule, type CommunityRule } from '~/lib/community-rules.ts';
import { sql, type Kysely, type RawBuilder, type SqlBool } from 'kysely';
import * as clock from '~/lib/clock.ts';
import type { Language } from '~/i18n/index.ts';
import type { Database } from '~/server/db/schema.ts';
import { parseStringArray } from '~/server/accounts/profiles.ts';
import { recordRequestEvent } from './requests.ts';
import { syncResponse } from '~/server/search/sources/exchange.ts';
import { inTransaction } from '~/server/search/sources/text.ts';

/** A response as the request page shows it. */
export interface HelpResponse {
  id: number;
  requestId: number;
  authorId: string;
  authorName: string;
  town: { slug: string; name: Record<Language, string> };
  body: string;
  links: string[];
  accepted: boolean;
  withdrawn: boolean;
  hidden: boolean;
  hiddenReason: string | null;
  /** The community rule it broke, when a moderator named one. */
  hiddenRule: CommunityRule | null;
  createdAt: number;
  updatedAt: number;
}

const RESPONSE_COLUMNS = [
  'p.id', 'p.request_id', 'p.author_id', 'p.body', 'p.links', 'p.accepted_at', 'p.withdrawn_at', 'p.hidden_at', 'p.hidden_reason', 'p.hidden_rule',
  'p.created_at', 'p.updated_at', 'u.display_name', 't.slug', 't.name_kk', 't.name_ru', 't.name_en',
] as const;

function baseQuery(db: Kysely<Database>) {
  return db
    .selectFrom('help_responses as p')
    .innerJoin('users as u', 'u.id', 'p.author_id')
    .innerJoin('towns as t', 't.id', 'p.town_id')
    .select(RESPONSE_COLUMNS);
}

type Row = Awaited<ReturnType<ReturnType<typeof baseQuery>['executeTakeFirstOrThrow']>>;

function toResponse(row: Row): HelpResponse {
  return {
    id: row.id,
    requestId: row.request_id,
    authorId: row.author_id,
    authorName: row.display_name,
    town: { slug: row.slug, name: { kk: row.name_kk, ru: row.name_ru, en: row.name_en } },
    body: row.body,
    links: parseStringArray(row.links),
    accepted: row.accepted_at !== null,
    withdrawn: row.withdrawn_at !== null,
    hidden: row.hidden_at !== null,
    hiddenReason: row.hidden_reason,
    hiddenRule: isCommunityRule(row.hidden_rule) ? row.hidden_rule : null,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** Responses on one page of a request. */
export const RESPONSES_PER_PAGE = 50;

/** Who reads the responses: hidden ones are shown only to their author and to moderators (see canViewResponse). */
export interface ResponseViewer {
  id: string;
  moderator: boolean;
}

/** One page of a request's responses, and what the page says about all of them. */
export interface ResponsePage {
  responses: HelpResponse[];
  /** How many pages the responses the viewer may see fill (at least one). */
  pages: number;
  /** Responses neither withdrawn nor hidden, on every page: the count beside the heading. */
  current: number;
}

/** Whether the viewer sees the response `alias` (the rule of canViewResponse, in SQL, so that pages and counts agree with what is shown). */
function seenBy(viewer: ResponseViewer, alias: 'p' | 'q'): RawBuilder<SqlBool> {
  return viewer.moderator ? sql<SqlBool>`1 = 1` : sql<SqlBool>`(${sql.ref(`${alias}.hidden_at`)} IS NULL OR ${sql.ref(`${alias}.author_id`)} = ${viewer.id})`;
}

/**
 * One page of the responses to a request that the viewer may see, oldest first (the
 * order they were written in). Pages are numbered from 1; one past the last is empty.
 */
export async function listResponses(db: Kysely<Database>, requestId: number, viewer: ResponseViewer, page = 1, perPage = RESPONSES_PER_PAGE): Promise<ResponsePage> {
  const [rows, counts] = await Promise.all([
    baseQuery(db)
      .where('p.request_id', '=', requestId)
      .where(seenBy(viewer, 'p'))
      .orderBy('p.created_at', 'asc')
      .orderBy('p.id', 'asc')
      .limit(perPage)
      .offset((Math.max(1, page) - 1) * perPage)
      .execute(),
    db
      .selectFrom('help_responses as p')
      .select([
        sql<number | string | null>`sum(CASE WHEN ${seenBy(viewer, 'p')} THEN 1 ELSE 0 END)`.as('visible'),
        sql<number | string | null>`sum(CASE WHEN p.withdrawn_at IS NULL AND p.hidden_at IS NULL THEN 1 ELSE 0 END)`.as('current'),
      ])
      .where('p.request_id', '=', requestId)
      .executeTakeFirstOrThrow(),
  ]);
  return { responses: rows.map(toResponse), pages: Math.max(1, Math.ceil(Number(counts.visible ?? 0) / perPage)), current: Number(counts.current ?? 0) };
}

/**
 * The accepted responses to a request that are still shown (not withdrawn or hidden),
 * oldest first, each with the page of listResponses it is on for this viewer: the
 * request page keeps them in view on every page, and a case started from the request
 * quotes them.
 */
export async function acceptedResponses(db: Kysely<Database>, requestId: number, viewer: ResponseViewer, perPage = RESPONSES_PER_PAGE): Promise<Array<HelpResponse & { page: number }>> {
  const rows = await baseQuery(db)
    .select((eb) =>
      eb
        .selectFrom('help_responses as q')
        .select(sql<number | string>`count(*)`.as('n'))
        .whereRef('q.request_id', '=', 'p.request_id')
        .where(sql<SqlBool>`(q.created_at < p.created_at OR (q.created_at = p.created_at AND q.id < p.id))`)
        .where(seenBy(viewer, 'q'))
        .as('before'),
    )
    .where('p.request_id', '=', requestId)
    .where('p.accepted_at', 'is not', null)
    .where('p.withdrawn_at', 'is', null)
    .where('p.hidden_at', 'is', null)
    .orderBy('p.created_at', 'asc')
    .orderBy('p.id', 'asc')
    .execute();
  return rows.map((row) => ({ ...toResponse(row), page: Math.floor(Number(row.before ?? 0) / perPage) + 1 }));
}

/** One response, or undefined. */
export async function getResponse(db: Kysely<Database>, responseId: number): Promise<HelpResponse | undefined> {
  const row = await baseQuery(db).where('p.id', '=', responseId).executeTakeFirst();
  return row ? toResponse(row) : undefined;
}

/** Stores a response from a member of another town. Returns its id. */
export async function addResponse(
  db: Kysely<Database>,
  response: { requestId: number; authorId: string; townId: number; body: string; links: readonly string[] },
  now = clock.now(),
): Promise<number> {
  return db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto('help_responses')
      .values({
        request_id: response.requestId,
        author_id: response.authorId,
        town_id: response.townId,
        body: response.body,
        links: JSON.stringify(response.links),
        accepted_at: null,
        withdrawn_at: null,
        hidden_at: null,
        hidden_reason: null,
        created_at: now,
        updated_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await recordRequestEvent(trx, { requestId: response.requestId, responseId: row.id, actorId: response.authorId, action: 'responded' }, now);
    await syncResponse(trx, row.id);
    return row.id;
  });
}

/** The author's edit of their response. */
export async function editResponse(
  db: Kysely<Database>,
  responseId: number,
  change: { body: string; links: readonly string[] },
  now = clock.now(),
): Promise<void> {
  await inTransaction(db, async (trx) => {
    await trx.updateTable('help_responses').set({ body: change.body, links: JSON.stringify(change.links), updated_at: now }).where('id', '=', responseId).execute();
    await syncResponse(trx, responseId);
  });
}

/** The author takes their response back. */
export async function withdrawResponse(db: Kysely<Database>, response: { id: number; requestId: number; authorId: string }, now = clock.now()): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx.updateTable('help_responses').set({ withdrawn_at: now, updated_at: now }).where('id', '=', response.id).execute();
    await recordRequestEvent(trx, { requestId: response.requestId, responseId: response.id, actorId: response.authorId, action: 'response_withdrawn' }, now);
    await syncResponse(trx, response.id);
  });
}

/**
 * The requesting town accepts a response: it is marked, an open request moves to
 * "in progress", and the responder's track record on the request's topics grows
 * (the matching's index). Returns false when it was already accepted.
 */
export async function acceptResponse(
  db: Kysely<Database>,
  accept: { requestId: number; responseId: number; actorId: string },
  now = clock.now(),
): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const updated = await trx
      .updateTable('help_responses')
      .set({ accepted_at: now, updated_at: now })
      .where('id', '=', accept.responseId)
      .where('request_id', '=', accept.requestId)
      .where('accepted_at', 'is', null)
      .returning(['author_id'])
      .executeTakeFirst();
    if (!updated) return false;
    const topics = await trx.selectFrom('help_request_topics').select('topic').where('request_id', '=', accept.requestId).execute();
    for (const { topic } of topics) {
      await trx
        .insertInto('help_match_index')
        .values({ topic, user_id: updated.author_id, accepted: 1, town_id: null })
        .onConflict((conflict) => conflict.columns(['topic', 'user_id']).doUpdateSet({ accepted: sql`help_match_index.accepted + 1` }))
        .execute();
    }
    await trx.updateTable('help_requests').set({ status: 'in_progress', updated_at: now }).where('id', '=', accept.requestId).where('status', '=', 'open').execute();
    await recordRequestEvent(trx, { requestId: accept.requestId, responseId: accept.responseId, actorId: accept.actorId, action: 'accepted' }, now);
    return true;
  });
}

/** An editor hides a response with a reason, or shows it again (reason null). */
export async function setResponseHidden(
  db: Kysely<Database>,
  response: { id: number; requestId: number },
  change: { actorId: string; reason: string | null; rule?: CommunityRule | null },
  now = clock.now(),
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable('help_responses')
      .set({ hidden_at: change.reason === null ? null : now, hidden_reason: change.reason, hidden_rule: change.reason === null ? null : (change.rule ?? null) })
      .where('id', '=', response.id)
      .execute();
    await syncResponse(trx, response.id);
    await recordRequestEvent(
      trx,
      { requestId: response.requestId, responseId: response.id, actorId: change.actorId, action: change.reason === null ? 'response_unhidden' : 'response_hidden', note: change.reason },
      now,
    );
  });
}

/** Invites a member to answer a request; false when they were invited before. */
export async function inviteToRequest(
  db: Kysely<Database>,
  invitation: { requestId: number; userId: string; invitedBy: string },
  now = clock.now(),
): Promise<boolean> {
  const inserted = await db
    .insertInto('help_request_invitations')
    .values({ request_id: invitation.requestId, user_id: invitation.userId, invited_by: invitation.invitedBy, created_at: now })
    .onConflict((conflict) => conflict.columns(['request_id', 'user_id']).doNothing())
    .returning('user_id')
    .executeTakeFirst();
  return inserted !== undefined;
}

/** Ids of members already invited to a request. */
export async function invitedMembers(db: Kysely<Database>, requestId: number): Promise<Set<string>> {
  const rows = await db.selectFrom('help_request_invitations').select('user_id').where('request_id', '=', requestId).execute();
  return new Set(rows.map((row) => row.user_id));
}
