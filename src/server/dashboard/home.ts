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

/**
 * Open requests of the member's town with responses nobody has accepted yet (accepting
 * one moves a request on to "in progress"). A town has a few hundred requests at most,
 * read through its own index.
 */
async function awaitingAcceptance(db: Kysely<Database>, townId: number): Promise<{ count: number; items: ActionItem[] }> {
  const { rows } = await sql<{ id: number; title: string; responses: number; latest: number; total: number }>`
    SELECT r.id, r.title, count(*) AS responses, max(p.created_at) AS latest, count(*) OVER () AS total
    FROM help_requests AS r JOIN help_responses AS p ON p.request_id = r.id
    WHERE r.town_id = ${townId} AND r.status = 'open' AND r.hidden_at IS NULL
      AND p.accepted_at IS NULL AND p.withdrawn_at IS NULL AND p.hidden_at IS NULL
    GROUP BY r.id, r.title
    ORDER BY latest DESC, r.id DESC
    LIMIT ${HOME_ITEMS}`.execute(db);
  return {
    count: Number(rows[0]?.total ?? 0),
    items: rows.map((row) => ({ kind: 'acceptance', at: Number(row.latest), requestId: row.id, title: row.title, responses: Number(row.responses) })),
  };
}

/** Pending requests to join the active groups the member leads. */
async function joinRequests(db: Kysely<Database>, userId: string): Promise<{ count: number; items: ActionItem[] }> {
  const { rows } = await sql<{ created_at: number; slug: string; name_kk: string; name_ru: string; name_en: string; display_name: string; total: number }>`
    SELECT j.created_at, g.slug, g.name_kk, g.name_ru, g.name_en, u.display_name, count(*) OVER () AS total
    FROM group_members AS m
      JOIN groups AS g ON g.id = m.group_id AND g.archived_at IS NULL
      JOIN group_join_requests AS j ON j.group_id = m.group_id AND j.status = 'pending'
      JOIN users AS u ON u.id = j.user_id
    WHERE m.user_id = ${userId} AND m.role = 'lead'
    ORDER BY j.created_at DESC, j.id DESC
    LIMIT ${HOME_ITEMS}`.execute(db);
  return {
    count: Number(rows[0]?.total ?? 0),
    items: rows.map((row) => ({ kind: 'join', at: Number(row.created_at), groupSlug: row.slug, groupName: names(row), applicant: row.display_name })),
  };
}

/** The town's case working copies that editors sent back with requested changes. */
async function casesSentBack(db: Kysely<Database>, townId: number): Promise<{ count: number; items: ActionItem[] }> {
  const { rows } = await sql<{ id: number; content: string; updated_at: number; total: number }>`
    SELECT id, content, updated_at, count(*) OVER () AS total
    FROM member_cases
    WHERE town_id = ${townId} AND status = 'changes_requested'
    ORDER BY updated_at DESC, id DESC
    LIMIT ${HOME_ITEMS}`.execute(db);
  return {
    count: Number(rows[0]?.total ?? 0),
    items: rows.map((row) => ({ kind: 'case', at: Number(row.updated_at), caseId: row.id, title: parseContent(row.content).title })),
  };
}

/** Requests the member was invited to answer, still open, that they have not answered. */
async function invitations(db: Kysely<Database>, userId: string): Promise<{ count: number; items: ActionItem[] }> {
  const { rows } = await sql<{ id: number; title: string; created_at: number; name_kk: string; name_ru: string; name_en: string; total: number }>`
    SELECT r.id, r.title, i.created_at, t.name_kk, t.name_ru, t.name_en, count(*) OVER () AS total
    FROM help_request_invitations AS i
      JOIN help_requests AS r ON r.id = i.request_id
      JOIN towns AS t ON t.id = r.town_id
    WHERE i.user_id = ${userId} AND r.status IN ('open', 'in_progress') AND r.hidden_at IS NULL
      AND NOT EXISTS (SELECT 1 FROM help_responses AS p WHERE p.request_id = r.id AND p.author_id = ${userId} AND p.withdrawn_at IS NULL)
    ORDER BY i.created_at DESC, r.id DESC
    LIMIT ${HOME_ITEMS}`.execute(db);
  return {
    count: Number(rows[0]?.total ?? 0),
    items: rows.map((row) => ({ kind: 'invitation', at: Number(row.created_at), requestId: row.id, title: row.title, town: names(row) })),
  };
}

/** What needs the member: the four kinds together, newest first, with their total. */
async function waitingForMe(db: Kysely<Database>, user: CurrentUser): Promise<MemberHome['actions']> {
  const ownTown = user.town && (user.role === 'member' || user.role === 'town_admin') ? user.town.id : null;
  const none = Promise.resolve({ count: 0, items: [] as ActionItem[] });
  const parts = await Promise.all([
    user.town ? awaitingAcceptance(db, user.town.id) : none,
    joinRequests(db, user.id),
    ownTown !== null ? casesSentBack(db, ownTown) : none,
    invitations(db, user.id),
  ]);
  const [acceptance, join, sentBack, invited] = parts;
  const items = parts.flatMap((part) => part.items).sort((a, b) => b.at - a.at).slice(0, HOME_ITEMS * 2);
  return {
    count: parts.reduce((sum, part) => sum + part.count, 0),
    byKind: { acceptance: acceptance.count, join: join.count, case: sentBack.count, invitation: invited.count },
    items,
  };
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
  const [counts, latest] = await Promise.all([
    sql<{ group_id: number; n: number }>`SELECT m.group_id, count(*) AS n ${freshThreads(db, userId, ids, now)} GROUP BY m.group_id`.execute(db),
    sql<{ id: number; title: string; last_activity_at: number; group_id: number }>`
      SELECT t.id, t.title, t.last_activity_at, t.group_id ${freshThreads(db, userId, ids, now)}
      ORDER BY t.last_activity_at DESC, t.id DESC
      LIMIT ${HOME_ITEMS}`.execute(db),
  ]);
  const fresh = new Map(counts.rows.map((row) => [Number(row.group_id), Number(row.n)]));
  const byId = new Map(groups.map((group) => [group.id, group]));
  const memberOf = groups.map((group) => ({ slug: group.slug, name: names(group), fresh: fresh.get(group.id) ?? 0 }));
  return {
    memberOf,
    count: memberOf.reduce((sum, group) => sum + group.fresh, 0),
    threads: latest.rows.flatMap((row) => {
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
    listRequests(db, { id: user.id, townId }, { scope: 'expertise', status: 'open' }, HOME_ITEMS),
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

/** The member's unread notifications: the newest few and how many (read through a partial index of unread ones). */
async function unreadNotifications(db: Kysely<Database>, userId: string): Promise<MemberHome['notifications']> {
  const [count, rows] = await Promise.all([
    cappedCount(db, sql`SELECT 1 FROM notifications WHERE user_id = ${userId} AND read_at IS NULL`),
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
    unreadNotifications(db, user.id),
  ]);
  return { actions, meetings, groups, matching, notifications };
}
