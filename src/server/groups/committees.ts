import { sql, type Kysely } from 'kysely';
import * as clock from '~/lib/clock.ts';
import type { Language } from '~/i18n/index.ts';
import type { CurrentUser } from '~/server/auth/lucia.ts';
import { byEngine } from '~/server/db/dialect.ts';
import type { Database, GroupType } from '~/server/db/schema.ts';
import { GROUP_TYPES, publicGroupsByName, type Group } from './groups.ts';
import { canReadThreads, canSeeDescription, type GroupRole } from './rules.ts';

/** A group's chair or co-lead, as the public committees page names them. */
export interface CommitteeLead {
  name: string;
  town: Record<Language, string> | null;
}

/** One standing committee, forum or community of practice, as `/<lang>/committees/` shows it. */
export interface Committee {
  /** The group, with the towns its active members come from. */
  group: Group & { towns: Array<Record<Language, string>> };
  /** The mandate, or null when the group keeps it for its members and this viewer is not one. */
  mandate: string | null;
  leads: CommitteeLead[];
  /** The next meeting's start (UTC seconds), and its title for those who may read the group's meetings. */
  nextMeeting: { startsAt: number; title: string | null } | null;
  /** The viewer's role in the group. */
  role: GroupRole;
}

/** One kind's part of the committees page: how many there are, and those shown. */
export interface CommitteesOfKind {
  kind: GroupType;
  /** Every public group of this kind. */
  total: number;
  /** The pages of COMMITTEES_PER_PAGE the kind has on its own page (at least 1). */
  pages: number;
  /** Those shown: the first COMMITTEES_PER_KIND on the overview, one page on the kind's own page. */
  committees: Committee[];
}

/** The committees page: public groups by kind, in the order committees, forums, communities. */
export type CommitteesByKind = CommitteesOfKind[];

/** How many of each kind the overview shows before "All …" links to the kind's own pages. */
export const COMMITTEES_PER_KIND = 12;
/** How many one page of a kind's own list shows. */
export const COMMITTEES_PER_PAGE = 30;

/** What part of the page is asked for: every kind's first few, or one page of one kind. */
export type CommitteesView = { kind?: undefined } | { kind: GroupType; page: number };

/**
 * The groups that are not private and not archived, by kind, each with its mandate, leads,
 * member towns and next meeting: every kind's first COMMITTEES_PER_KIND, or one page of
 * one kind (`view`). Four queries whatever the number of groups (five for a signed-in
 * viewer), each for the groups shown only: their distinct member towns, their leads, their
 * next meeting (one row per group), the viewer's roles. At national scale (1,500 public
 * groups, 60,000 memberships) showing every group cost 0.25–0.4 s of CPU a view. When the
 * next meeting is, is public; what it is about stays with members and editors, as on the
 * group's own page.
 */
export async function listCommittees(db: Kysely<Database>, viewer: CurrentUser | null, lang: Language, view: CommitteesView = {}, now = clock.now()): Promise<CommitteesByKind> {
  const groups = await publicGroupsByName(db, lang);
  const kinds = GROUP_TYPES.filter((kind) => view.kind === undefined || view.kind === kind).map((kind) => {
    const ofKind = groups.filter((group) => group.type === kind);
    const shown = view.kind === undefined ? ofKind.slice(0, COMMITTEES_PER_KIND) : ofKind.slice((view.page - 1) * COMMITTEES_PER_PAGE, view.page * COMMITTEES_PER_PAGE);
    return { kind, total: ofKind.length, pages: Math.max(1, Math.ceil(ofKind.length / COMMITTEES_PER_PAGE)), shown };
  });
  const ids = kinds.flatMap((kind) => kind.shown.map((group) => group.id));
  if (ids.length === 0) return kinds.map(({ shown: _shown, ...kind }) => ({ ...kind, committees: [] }));
  const [towns, leads, meetings, roles] = await Promise.all([
    db
      .selectFrom('group_members')
      .innerJoin('users', 'users.id', 'group_members.user_id')
      .innerJoin('towns', 'towns.id', 'users.town_id')
      .select(['group_members.group_id', 'towns.name_kk', 'towns.name_ru', 'towns.name_en'])
      .distinct()
      .where('group_members.group_id', 'in', ids)
      .where('users.disabled_at', 'is', null)
      .execute(),
    db
      .selectFrom('group_members')
      .innerJoin('users', 'users.id', 'group_members.user_id')
      .leftJoin('towns', 'towns.id', 'users.town_id')
      .select(['group_members.group_id', 'users.display_name', 'towns.name_kk', 'towns.name_ru', 'towns.name_en'])
      .where('group_members.group_id', 'in', ids)
      .where('group_members.role', '=', 'lead')
      .where('users.disabled_at', 'is', null)
      .orderBy('group_members.joined_at')
      .orderBy('users.display_name')
      .execute(),
    nextMeetings(db, ids, now),
    viewer
      ? db.selectFrom('group_members').select(['group_id', 'role']).where('user_id', '=', viewer.id).where('group_id', 'in', ids).execute()
      : Promise.resolve([]),
  ]);
  const roleOf = new Map(roles.map((row) => [row.group_id, row.role]));
  const townsOf = groupBy(towns, (row) => row.group_id);
  const leadsOf = groupBy(leads, (row) => row.group_id);
  const meetingOf = new Map(meetings.map((meeting) => [meeting.group_id, meeting]));
  const committeeOf = (group: Group): Committee => {
    const role = roleOf.get(group.id) ?? null;
    const access = { user: viewer, role };
    const next = meetingOf.get(group.id);
    return {
      group: { ...group, towns: (townsOf.get(group.id) ?? []).map((row) => ({ kk: row.name_kk, ru: row.name_ru, en: row.name_en })) },
      mandate: canSeeDescription(group, access) ? group.purpose[lang] : null,
      leads: (leadsOf.get(group.id) ?? []).map((lead) => ({ name: lead.display_name, town: lead.name_kk === null ? null : { kk: lead.name_kk, ru: lead.name_ru ?? '', en: lead.name_en ?? '' } })),
      nextMeeting: next ? { startsAt: Number(next.starts_at), title: canReadThreads(group, access) ? next.title : null } : null,
      role,
    };
  };
  // Already by name: the groups come sorted in the reader's language.
  return kinds.map(({ shown, ...kind }) => ({ ...kind, committees: shown.map(committeeOf) }));
}

/**
 * Each group's next meeting after `now`, one row per group that has one. Each engine has
 * its own way to take one row per group (SQLite's bare columns beside `min()` come from the
 * row holding the minimum; PostgreSQL's `DISTINCT ON`), as in src/server/towns/peers.ts.
 */
async function nextMeetings(db: Kysely<Database>, ids: number[], now: number): Promise<Array<{ group_id: number; title: string; starts_at: number }>> {
  const query = byEngine(db, {
    sqlite: sql<{ group_id: number; title: string; starts_at: number }>`SELECT group_id, title, min(starts_at) AS starts_at FROM group_meetings WHERE group_id IN (${sql.join(ids)}) AND starts_at > ${now} GROUP BY group_id`,
    postgres: sql<{ group_id: number; title: string; starts_at: number }>`SELECT DISTINCT ON (group_id) group_id, title, starts_at FROM group_meetings WHERE group_id IN (${sql.join(ids)}) AND starts_at > ${now} ORDER BY group_id, starts_at`,
  });
  return (await query.execute(db)).rows.map((row) => ({ group_id: Number(row.group_id), title: row.title, starts_at: Number(row.starts_at) }));
}

function groupBy<T, K>(rows: readonly T[], key: (row: T) => K): Map<K, T[]> {
  const groups = new Map<K, T[]>();
  for (const row of rows) {
    const list = groups.get(key(row));
    if (list) list.push(row);
    else groups.set(key(row), [row]);
  }
  return groups;
}
