import type { Kysely, Selectable } from 'kysely';
import type { Database, MemberCaseStatus, MemberCaseTable } from '~/server/db/schema.ts';
import { parseContent } from './content.ts';
import { isPublic, type MemberCase } from './types.ts';
import type { CaseFacts } from './rules.ts';

/** Reading member cases: one, a town's, the editors' queue, and a case's history. */

type Row = Selectable<MemberCaseTable> & { town_slug: string; town_region: string; town_name_kk: string; town_name_ru: string; town_name_en: string };

function baseQuery(db: Kysely<Database>) {
  return db
    .selectFrom('member_cases')
    .innerJoin('towns', 'towns.id', 'member_cases.town_id')
    .selectAll('member_cases')
    .select(['towns.slug as town_slug', 'towns.region as town_region', 'towns.name_kk as town_name_kk', 'towns.name_ru as town_name_ru', 'towns.name_en as town_name_en']);
}

function fromRow(row: Row): MemberCase {
  return {
    id: row.id,
    townId: row.town_id,
    townSlug: row.town_slug,
    townRegion: row.town_region,
    townName: { kk: row.town_name_kk, ru: row.town_name_ru, en: row.town_name_en },
    status: row.status,
    version: row.version,
    content: parseContent(row.content),
    published: row.published_content ? parseContent(row.published_content) : null,
    slug: row.slug,
    publishedAt: row.published_at,
    publishedVersion: row.published_version,
    unpublishedAt: row.unpublished_at,
    unpublishReason: row.unpublish_reason,
    createdBy: row.created_by,
    updatedBy: row.updated_by,
    sourceRequestId: row.source_request_id,
    illustrative: row.illustrative === 1,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** What the permission rules need to know about a case. */
export function caseFacts(memberCase: MemberCase): CaseFacts {
  return { townId: memberCase.townId, status: memberCase.status, isPublic: isPublic(memberCase), hasPublished: memberCase.published !== null };
}

/** One case by id, whatever its state (callers check the rules before showing it). */
export async function findCase(db: Kysely<Database>, id: number): Promise<MemberCase | undefined> {
  const row = await baseQuery(db).where('member_cases.id', '=', id).executeTakeFirst();
  return row ? fromRow(row as Row) : undefined;
}

/** One case by its public slug, whatever its state. */
export async function findCaseBySlug(db: Kysely<Database>, slug: string): Promise<MemberCase | undefined> {
  const row = await baseQuery(db).where('member_cases.slug', '=', slug).executeTakeFirst();
  return row ? fromRow(row as Row) : undefined;
}

/** A town's cases, most recently changed first. */
export async function townCases(db: Kysely<Database>, townId: number): Promise<MemberCase[]> {
  const rows = await baseQuery(db).where('member_cases.town_id', '=', townId).orderBy('member_cases.updated_at', 'desc').orderBy('member_cases.id', 'desc').execute();
  return rows.map((row) => fromRow(row as Row));
}

/** The editors' queue tabs. "Approved" are cases whose latest copy is approved (published or withdrawn since). */
export const QUEUE_STATUSES = ['submitted', 'changes_requested', 'approved', 'rejected'] as const satisfies readonly MemberCaseStatus[];

/** Cases in one state of review, oldest waiting first for new submissions, newest first otherwise. */
export async function queue(db: Kysely<Database>, status: (typeof QUEUE_STATUSES)[number]): Promise<MemberCase[]> {
  const rows = await baseQuery(db)
    .where('member_cases.status', '=', status)
    .orderBy('member_cases.updated_at', status === 'submitted' ? 'asc' : 'desc')
    .orderBy('member_cases.id')
    .execute();
  return rows.map((row) => fromRow(row as Row));
}

/** How many cases wait in each tab of the queue. */
export async function queueCounts(db: Kysely<Database>): Promise<Record<(typeof QUEUE_STATUSES)[number], number>> {
  const rows = await db.selectFrom('member_cases').select(['status', (eb) => eb.fn.countAll<number>().as('count')]).groupBy('status').execute();
  const counts = { submitted: 0, changes_requested: 0, approved: 0, rejected: 0 };
  for (const row of rows) if (row.status in counts) counts[row.status as keyof typeof counts] = Number(row.count);
  return counts;
}

/** Cases the public reads now. */
function publishedQuery(db: Kysely<Database>) {
  return baseQuery(db).where('member_cases.published_content', 'is not', null).where('member_cases.unpublished_at', 'is', null).where('member_cases.slug', 'is not', null);
}

/** Every case the public can read now; or, given `townSlug`, that town's only. */
export async function publishedCases(db: Kysely<Database>, { townSlug }: { townSlug?: string } = {}): Promise<MemberCase[]> {
  let query = publishedQuery(db);
  if (townSlug !== undefined) query = query.where('towns.slug', '=', townSlug);
  const rows = await query
    .orderBy('member_cases.published_at', 'desc')
    // Cases published in the same second come in the same order on every server.
    .orderBy('member_cases.id', 'desc')
    .execute();
  return rows.map((row) => fromRow(row as Row));
}

/** Published cases in id order after `afterId`, at most `limit` (search's full resync goes through them a page at a time). */
export async function publishedCasesAfter(db: Kysely<Database>, afterId: number, limit: number): Promise<MemberCase[]> {
  const rows = await publishedQuery(db)
    .where('member_cases.id', '>', afterId)
    .orderBy('member_cases.id')
    .limit(limit)
    .execute();
  return rows.map((row) => fromRow(row as Row));
}

/** One entry of a case's history, with the actor's name. */
export interface CaseEvent {
  id: number;
  kind: string;
  fromStatus: string | null;
  toStatus: string | null;
  version: number | null;
  body: string | null;
  at: number;
  actorName: string | null;
  actorRole: string | null;
}

/** A case's history, oldest first. */
export async function caseHistory(db: Kysely<Database>, caseId: number): Promise<CaseEvent[]> {
  const rows = await db
    .selectFrom('member_case_events')
    .leftJoin('users', 'users.id', 'member_case_events.actor_id')
    .select([
      'member_case_events.id', 'member_case_events.kind', 'member_case_events.from_status', 'member_case_events.to_status',
      'member_case_events.version', 'member_case_events.body', 'member_case_events.at', 'users.display_name', 'users.role',
    ])
    .where('member_case_events.case_id', '=', caseId)
    .orderBy('member_case_events.id')
    .execute();
  return rows.map((row) => ({
    id: row.id, kind: row.kind, fromStatus: row.from_status, toStatus: row.to_status, version: row.version, body: row.body, at: row.at,
    actorName: row.display_name, actorRole: row.role,
  }));
}

/** The town members who wrote a case (created, saved or submitted it): they hear of decisions. */
export async function caseAuthorIds(db: Kysely<Database>, caseId: number): Promise<string[]> {
  const row = await db.selectFrom('member_cases').select(['created_by', 'updated_by', 'town_id']).where('id', '=', caseId).executeTakeFirst();
  if (!row) return [];
  const actors = await db
    .selectFrom('member_case_events')
    .innerJoin('users', 'users.id', 'member_case_events.actor_id')
    .select('users.id')
    .where('member_case_events.case_id', '=', caseId)
    .where('member_case_events.kind', 'in', ['created', 'submitted', 'resubmitted', 'revision_started'])
    .where('users.town_id', '=', row.town_id)
    .execute();
  return [...new Set([row.created_by, row.updated_by, ...actors.map((actor) => actor.id)].filter((id): id is string => id !== null))];
}

/** The id of the case a town started from an exchange request, if it started one. */
export async function caseFromRequestId(db: Kysely<Database>, requestId: number, townId: number): Promise<number | undefined> {
  const row = await db.selectFrom('member_cases').select('id').where('source_request_id', '=', requestId).where('town_id', '=', townId).executeTakeFirst();
  return row?.id;
}
