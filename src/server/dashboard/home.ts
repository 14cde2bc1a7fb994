import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Language } from '~/i18n/index.ts';
import * as clock from '~/lib/clock.ts';
import type { CurrentUser } from '~/server/auth/lucia.ts';
import { parseContent } from '~/server/cases/content.ts';
import { greatest } from '~/server/db/dialect.ts';
import type { Database } from '~/server/db/schema.ts';
import { listRequests, type RequestSummary } from '~/server/exchange/request-list.ts';
import type { MeetingAnswer } from '~/server/groups/meetings.ts';
import { isNotificationKind, type NotificationKind } from '~/server/notifications/kinds.ts';
import { UNREAD_COUNT_CAP } from '~/server/notifications/notifications.ts';

/**
 * The member home: what needs me, my next meetings, what is new in my groups, open
 * requests I could answer, my unread notifications. Every section is a fixed number of
 * queries that each read a bounded range of an index (tests/bench/dashboard.measure.ts
 * measures it at national scale), so the page costs the same for a member of a busy
 * town in many groups as for a newcomer.
 */

/** Rows shown per section; each section links to its full list. */
export const HOME_ITEMS = 5;
/** Counts that could be large stop here and are shown as "99+". */
export const COUNT_CAP = 99;
/**
 * "New in your groups" looks back at most this far, however long ago the last visit was:
 * a member back after a year is told about the last month, and the rows read stay a
 * month of their groups' activity.
 */
export const FRESH_WINDOW_SECONDS = 30 * 24 * 60 * 60;

/** A number shown beside a section's title: exact, or "at least" when it reached the cap. */
export interface Count {
  count: number;
  more: boolean;
}

/** Names of a town or group in the portal's languages. */
type Names = Record<Language, string>;

/** Something that waits for the member, newest first. */
export type ActionItem =
  | { kind: 'acceptance'; at: number; requestId: number; title: string; responses: number }
  | { kind: 'join'; at: number; groupSlug: string; groupName: Names; applicant: string }
  | { kind: 'case'; at: number; caseId: number; title: string }
  | { kind: 'invitation'; at: number; requestId: number; title: string; town: Names };

/** A meeting of one of the member's groups that has not ended. */
export interface HomeMeeting {
  id: number;
  title: string;
  startsAt: number;
  durationMinutes: number;
  groupSlug: string;
  groupName: Names;
  answer: MeetingAnswer | null;
}

/** One of the member's groups and how many of its discussions moved since their last visit. */
export interface HomeGroup {
  slug: string;
  name: Names;
  fresh: number;
}

/** A discussion with new posts in one of the member's groups. */
export interface HomeThread {
  id: number;
  title: string;
  lastActivityAt: number;
  groupSlug: string;
  groupName: Names;
}

/** An unread notification, with its stored kind and parameters (pages word it). */
export interface HomeNotification {
  id: number;
  kind: NotificationKind;
  /** As stored: names may carry their translations (src/server/notifications/render.ts). */
  params: Record<string, unknown>;
  /** A path under the language root (the stored link without the recipient's language then). */
  path: string | null;
  createdAt: number;
}

/** Everything the member home shows. */
export interface MemberHome {
  actions: { count: number; byKind: Record<ActionItem['kind'], number>; items: ActionItem[] };
  meetings: { count: number; items: HomeMeeting[] };
  groups: { memberOf: HomeGroup[]; count: number; threads: HomeThread[] };
  matching: { hasExpertise: boolean; count: Count; items: RequestSummary[] };
  notifications: { count: Count; items: HomeNotification[] };
}

const names = (row: { name_kk: string; name_ru: string; name_en: string }): Names => ({ kk: row.name_kk, ru: row.name_ru, en: row.name_en });

/** The counted query's rows, at most COUNT_CAP + 1 of them. */
async function cappedCount(db: Kysely<Database>, rows: RawBuilder<unknown>): Promise<Count> {
  const { rows: [row] } = await sql<{ n: number }>`SELECT count(*) AS n FROM (${rows} LIMIT ${COUNT_CAP + 1}) AS capped`.execute(db);
  const n = Number(row?.n ?? 0);
  return { count: Math.min(n, COUNT_CAP), more: n > COUNT_CAP };
}

/** One row of `waitingForMe`'s query: a kind's item with the kind's total (columns another kind leaves null). */
interface WaitingRow {
  kind: ActionItem['kind'];
  at: number;
  ref_id: number | null;
  title: string | null;
  responses: number | null;
  slug: string | null;
  name_kk: string | null;
  name_ru: string | null;
  name_en: string | null;
  display_name: string | null;
  content: string | null;
  /** The second key of the kind's own order (newest first, then this, highest first). */
  tie: number;
  total: number;
}

const int = sql`CAST(NULL AS integer)`;
const text = sql`CAST(NULL AS text)`;

/**
 * Open requests of the member's town with responses nobody has accepted yet (accepting
 * one moves a request on to "in progress"). A town has a few hundred requests at most:
 * its open ones come from the index (town_id, status, hidden_at, id) and their waiting
 * responses from the partial index of responses nobody accepted, withdrew or hid
 * (migration 0030); only the five shown are joined to their titles.
 */
export function awaitingAcceptance(townId: number): RawBuilder<unknown> {
  return sql`
    SELECT 'acceptance' AS kind, a.latest AS at, a.request_id AS ref_id, r.title AS title, a.responses AS responses,
      ${text} AS slug, ${text} AS name_kk, ${text} AS name_ru, ${text} AS name_en, ${text} AS display_name, ${text} AS content, a.request_id AS tie, a.total AS total
    FROM (
      SELECT p.request_id, count(*) AS responses, max(p.created_at) AS latest, count(*) OVER () AS total
      FROM help_requests AS o JOIN help_responses AS p ON p.request_id = o.id
      WHERE o.town_id = ${townId} AND o.status = 'open' AND o.hidden_at IS NULL
        AND p.accepted_at IS NULL AND p.withdrawn_at IS NULL AND p.hidden_at IS NULL
      GROUP BY p.request_id
      ORDER BY latest DESC, p.request_id DESC
      LIMIT ${HOME_ITEMS}) AS a
    JOIN help_requests AS r ON r.id = a.request_id`;
}

/** Pending requests to join the active groups the member leads. */
function joinRequests(userId: string): RawBuilder<unknown> {
  return sql`
    SELECT 'join' AS kind, j.created_at AS at, ${int} AS ref_id, ${text} AS title, ${int} AS responses,
      g.slug AS slug, g.name_kk AS name_kk, g.name_ru AS name_ru, g.name_en AS name_en, u.display_name AS display_name, ${text} AS content, j.id AS tie, count(*) OVER () AS total
    FROM group_members AS m
      JOIN groups AS g ON g.id = m.group_id AND g.archived_at IS NULL
      JOIN group_join_requests AS j ON j.group_id = m.group_id AND j.status = 'pending'
      JOIN users AS u ON u.id = j.user_id
    WHERE m.user_id = ${userId} AND m.role = 'lead'
    ORDER BY j.created_at DESC, j.id DESC
    LIMIT ${HOME_ITEMS}`;
}

/** The town's case working copies that editors sent back with requested changes. */
function casesSentBack(townId: number): RawBuilder<unknown> {
  return sql`
    SELECT 'case' AS kind, updated_at AS at, id AS ref_id, ${text} AS title, ${int} AS responses,
      ${text} AS slug, ${text} AS name_kk, ${text} AS name_ru, ${text} AS name_en, ${text} AS display_name, content AS content, id AS tie, count(*) OVER () AS total
    FROM member_cases
    WHERE town_id = ${townId} AND status = 'changes_requested'
    ORDER BY updated_at DESC, id DESC
    LIMIT ${HOME_ITEMS}`;
}

/** Requests the member was invited to answer, still open, that they have not answered. */
function invitations(userId: string): RawBuilder<unknown> {
  return sql`
    SELECT 'invitation' AS kind, i.created_at AS at, r.id AS ref_id, r.title AS title, ${int} AS responses,
      ${text} AS slug, t.name_kk AS name_kk, t.name_ru AS name_ru, t.name_en AS name_en, ${text} AS display_name, ${text} AS content, r.id AS tie, count(*) OVER () AS total
    FROM help_request_invitations AS i
      JOIN help_requests AS r ON r.id = i.request_id
      JOIN towns AS t ON t.id = r.town_id
    WHERE i.user_id = ${userId} AND r.status IN ('open', 'in_progress') AND r.hidden_at IS NULL
      AND NOT EXISTS (SELECT 1 FROM help_responses AS p WHERE p.request_id = r.id AND p.author_id = ${userId} AND p.withdrawn_at IS NULL)
    ORDER BY i.created_at DESC, r.id DESC
    LIMIT ${HOME_ITEMS}`;
}

function actionItem(row: WaitingRow): ActionItem {
  const at = Number(row.at);
  const id = Number(row.ref_id);
  switch (row.kind) {
    case 'acceptance':
      return { kind: 'acceptance', at, requestId: id, title: row.title ?? '', responses: Number(row.responses) };
    case 'join':
      return { kind: 'join', at, groupSlug: row.slug ?? '', groupName: names(row as { name_kk: string; name_ru: string; name_en: string }), applicant: row.display_name ?? '' };
    case 'case':
      return { kind: 'case', at, caseId: id, title: parseContent(row.content ?? '').title };
    case 'invitation':
      return { kind: 'invitation', at, requestId: id, title: row.title ?? '', town: names(row as { name_kk: string; name_ru: string; name_en: string }) };
  }
}

/**
 * What needs the member: the four kinds together, newest first, with their total. The
 * four reads are one query (each kind's newest few and its count, side by side with
 * UNION ALL), so the page makes one round trip and takes one pooled connection for
 * them on PostgreSQL, not four.
 */
async function waitingForMe(db: Kysely<Database>, user: CurrentUser): Promise<MemberHome['actions']> {
  const ownTown = user.town && (user.role === 'member' || user.role === 'town_admin') ? user.town.id : null;
  // Each part in a subquery of its own: SQLite allows no ORDER BY or LIMIT on a part of a compound SELECT.
  const parts = [
    ...(user.town ? [awaitingAcceptance(user.town.id)] : []),
    joinRequests(user.id),
    ...(ownTown !== null ? [casesSentBack(ownTown)] : []),
    invitations(user.id),
  ].map((part) => sql`SELECT * FROM (${part}) AS part`);
  const { rows } = await sql<WaitingRow>`${sql.join(parts, sql` UNION ALL `)}`.execute(db);
  const byKind: Record<ActionItem['kind'], number> = { acceptance: 0, join: 0, case: 0, invitation: 0 };
  for (const row of rows) byKind[row.kind] = Number(row.total);
  // Newest first; at the same time, kinds in the order above and each kind in its own order.
  const kinds = Object.keys(byKind);
  const ordered = [...rows].sort((a, b) => Number(b.at) - Number(a.at) || kinds.indexOf(a.kind) - kinds.indexOf(b.kind) || Number(b.tie) - Number(a.tie));
  const items = ordered.slice(0, HOME_ITEMS * 2).map(actionItem);
  return { count: byKind.acceptance + byKind.join + byKind.case + byKind.invitation, byKind, items };
}

/**
 * Meetings of the member's active groups that have not ended, soonest first, with the
 * member's answer. A meeting lasts at most 600 minutes (src/actions/groups/meetings.ts),
 * so only meetings that started less than that ago are looked at: the range read of
 * each group's (group_id, starts_at) index stays on what is upcoming.
 */
async function nextMeetings(db: Kysely<Database>, userId: string, now: number): Promise<MemberHome['meetings']> {
  const { rows } = await sql<{ id: number; title: string; starts_at: number; duration_minutes: number; slug: string; name_kk: string; name_ru: string; name_en: string; answer: MeetingAnswer | null; total: number }>`
    SELECT mt.id, mt.title, mt.starts_at, mt.duration_minutes, g.slug, g.name_kk, g.name_ru, g.name_en, a.answer, count(*) OVER () AS total
    FROM group_members AS m
      JOIN groups AS g ON g.id = m.group_id AND g.archived_at IS NULL
      JOIN group_meetings AS mt ON mt.group_id = m.group_id AND mt.starts_at > ${now - 600 * 60}
      LEFT JOIN group_meeting_answers AS a ON a.meeting_id = mt.id AND a.user_id = ${userId}
    WHERE m.user_id = ${userId} AND mt.starts_at + mt.duration_minutes * 60 > ${now}
    ORDER BY mt.starts_at, mt.id
    LIMIT ${HOME_ITEMS}`.execute(db);
  return {
    count: Number(rows[0]?.total ?? 0),
    items: rows.map((row) => ({
      id: row.id,
      title: row.title,
      startsAt: Number(row.starts_at),
      durationMinutes: Number(row.duration_minutes),
      groupSlug: row.slug,
      groupName: names(row),
      answer: row.answer,
    })),
  };
}

/**
 * A thread is new to the member when its last post is after both their last visit to the
 * group (or their joining, before any visit) and their own last reading of the thread,
 * and within FRESH_WINDOW_SECONDS. Each group's new threads are a range of its
 * (group_id, last_activity_at, hidden_at, id) index. The groups are given by id (the
 * member's active ones, read first) rather than joined here: joined, PostgreSQL also
 * walks a second index of every thread of each group.
 */
function freshThreads(db: Kysely<Database>, userId: string, groupIds: readonly number[], now: number): RawBuilder<unknown> {
  const since = greatest(db, sql`coalesce(v.visited_at, m.joined_at)`, now - FRESH_WINDOW_SECONDS);
  return sql`
    FROM group_members AS m
      LEFT JOIN group_visits AS v ON v.user_id = m.user_id AND v.group_id = m.group_id
      JOIN group_threads AS t ON t.group_id = m.group_id AND t.last_activity_at > ${since} AND t.hidden_at IS NULL
      LEFT JOIN group_thread_reads AS r ON r.thread_id = t.id AND r.user_id = m.user_id
    WHERE m.user_id = ${userId} AND m.group_id IN (${sql.join(groupIds)}) AND (r.read_at IS NULL OR t.last_activity_at > r.read_at)`;
}

/** The member's active groups, how many discussions moved in each since their visit, and the latest of them. */
async function groupActivity(db: Kysely<Database>, userId: string, now: number): Promise<MemberHome['groups']> {
  const groups = await db
    .selectFrom('group_members')
    .innerJoin('groups', 'groups.id', 'group_members.group_id')
    .select(['groups.id', 'groups.slug', 'groups.name_kk', 'groups.name_ru', 'groups.name_en'])
    .where('group_members.user_id', '=', userId)
    .where('groups.archived_at', 'is', null)
    .orderBy('groups.slug')
    .execute();
  if (groups.length === 0) return { memberOf: [], count: 0, threads: [] };
  const ids = groups.map((group) => group.id);
  // Each group's count (rows with a null id) and the newest few threads, in one query: one
  // round trip and one pooled connection on PostgreSQL where two ran side by side.
  const { rows } = await sql<{ id: number | null; title: string | null; last_activity_at: number | null; group_id: number; n: number }>`
    SELECT * FROM (SELECT ${int} AS id, ${text} AS title, ${int} AS last_activity_at, m.group_id AS group_id, count(*) AS n
      ${freshThreads(db, userId, ids, now)} GROUP BY m.group_id) AS counts
    UNION ALL
    SELECT * FROM (SELECT t.id AS id, t.title AS title, t.last_activity_at AS last_activity_at, t.group_id AS group_id, 0 AS n
      ${freshThreads(db, userId, ids, now)}
      ORDER BY t.last_activity_at DESC, t.id DESC
      LIMIT ${HOME_ITEMS}) AS latest`.execute(db);
  const fresh = new Map(rows.filter((row) => row.id === null).map((row) => [Number(row.group_id), Number(row.n)]));
  const latest = rows
    .filter((row): row is typeof row & { id: number; title: string; last_activity_at: number } => row.id !== null)
    .sort((a, b) => Number(b.last_activity_at) - Number(a.last_activity_at) || b.id - a.id);
  const byId = new Map(groups.map((group) => [group.id, group]));
  const memberOf = groups.map((group) => ({ slug: group.slug, name: names(group), fresh: fresh.get(group.id) ?? 0 }));
  return {
    memberOf,
    count: memberOf.reduce((sum, group) => sum + group.fresh, 0),
    threads: latest.flatMap((row) => {
      const group = byId.get(Number(row.group_id));
      return group ? [{ id: row.id, title: row.title, lastActivityAt: Number(row.last_activity_at), groupSlug: group.slug, groupName: names(group) }] : [];
    }),
  };
}

/**
 * Open requests of other towns on the member's declared topics: the newest few (the
 * exchange's own list, "matching my expertise") and how many there are, counted from
 * the topic index up to the cap.
 */
async function matchingRequests(db: Kysely<Database>, user: CurrentUser): Promise<MemberHome['matching']> {
  const topics = (await db.selectFrom('help_match_index').select('topic').where('user_id', '=', user.id).where('declared', '=', 1).execute()).map((row) => row.topic);
  if (topics.length === 0) return { hasExpertise: false, count: { count: 0, more: false }, items: [] };
  const townId = user.town?.id ?? null;
  // A request on two of the member's topics appears twice in the topic index: count
  // distinct requests among twice the cap of rows, so the cap is still reached.
  const [{ rows: [counted] }, list] = await Promise.all([
    sql<{ n: number; scanned: number }>`
      SELECT count(DISTINCT request_id) AS n, count(*) AS scanned FROM (
        SELECT rt.request_id FROM help_request_topics AS rt JOIN help_requests AS r ON r.id = rt.request_id
        WHERE rt.topic IN (${sql.join(topics)}) AND rt.published_at IS NOT NULL
          AND r.status = 'open' AND r.hidden_at IS NULL ${townId !== null ? sql`AND r.town_id <> ${townId}` : sql``}
        LIMIT ${(COUNT_CAP + 1) * 2}) AS matched`.execute(db),
    listRequests(db, { id: user.id, townId, expertise: topics }, { scope: 'expertise', status: 'open' }, HOME_ITEMS),
  ]);
  const n = Number(counted?.n ?? 0);
  const reachedLimit = Number(counted?.scanned ?? 0) >= (COUNT_CAP + 1) * 2;
  return { hasExpertise: true, count: { count: Math.min(n, COUNT_CAP), more: n > COUNT_CAP || reachedLimit }, items: list.items };
}

/** The stored link without its language, so pages can give it in the reader's. */
function pathOf(link: string | null): string | null {
  if (!link) return null;
  const match = /^\/(?:kk|ru|en)\/(.*)$/.exec(link);
  return match ? match[1]! : null;
}

/**
 * The member's unread notifications: the newest few and how many (read through a partial
 * index of unread ones). The count comes with the session check when it did
 * (`CurrentUser.unreadNotifications`, counted to COUNT_CAP + 1 like `cappedCount`).
 */
async function unreadNotifications(db: Kysely<Database>, user: CurrentUser): Promise<MemberHome['notifications']> {
  const userId = user.id;
  const known = user.unreadNotifications;
  const [count, rows] = await Promise.all([
    // Exact below the badge's cap, and at the cap "more" as long as that cap is past ours.
    known !== undefined && (known < UNREAD_COUNT_CAP || UNREAD_COUNT_CAP > COUNT_CAP)
      ? { count: Math.min(known, COUNT_CAP), more: known > COUNT_CAP }
      : cappedCount(db, sql`SELECT 1 FROM notifications WHERE user_id = ${userId} AND read_at IS NULL`),
    db
      .selectFrom('notifications')
      .select(['id', 'kind', 'params', 'link', 'created_at'])
      .where('user_id', '=', userId)
      .where('read_at', 'is', null)
      .orderBy('id', 'desc')
      .limit(HOME_ITEMS)
      .execute(),
  ]);
  const items: HomeNotification[] = [];
  for (const row of rows) {
    if (!isNotificationKind(row.kind)) continue;
    let params: Record<string, unknown> = {};
    try {
      params = JSON.parse(row.params) as Record<string, unknown>;
    } catch {
      params = {};
    }
    items.push({ id: row.id, kind: row.kind, params, path: pathOf(row.link), createdAt: Number(row.created_at) });
  }
  return { count, items };
}

/** The member home's data for one member: a fixed number of queries, run side by side. */
export async function loadMemberHome(db: Kysely<Database>, user: CurrentUser, now = clock.now()): Promise<MemberHome> {
  const [actions, meetings, groups, matching, notifications] = await Promise.all([
    waitingForMe(db, user),
    nextMeetings(db, user.id, now),
    groupActivity(db, user.id, now),
    matchingRequests(db, user),
    unreadNotifications(db, user),
  ]);
  return { actions, meetings, groups, matching, notifications };
}
