import type { Kysely } from 'kysely';
import * as clock from '~/lib/clock.ts';
import { textOrder } from '~/lib/format.ts';
import type { Language } from '~/i18n/index.ts';
import type { CurrentUser } from '~/server/auth/lucia.ts';
import type { Database, GroupType } from '~/server/db/schema.ts';
import { GROUP_TYPES, listPublicGroups, type GroupSummary } from './groups.ts';
import { canReadThreads, canSeeDescription, type GroupRole } from './rules.ts';

/** A group's chair or co-lead, as the public committees page names them. */
export interface CommitteeLead {
  name: string;
  town: Record<Language, string> | null;
}

/** One standing committee, forum or community of practice, as `/<lang>/committees/` shows it. */
export interface Committee {
  group: GroupSummary;
  /** The mandate, or null when the group keeps it for its members and this viewer is not one. */
  mandate: string | null;
  leads: CommitteeLead[];
  /** The next meeting's start (UTC seconds), and its title for those who may read the group's meetings. */
  nextMeeting: { startsAt: number; title: string | null } | null;
  /** The viewer's role in the group. */
  role: GroupRole;
}

/** The committees page: every public group by kind, in the order committees, forums, communities. */
export type CommitteesByKind = Array<{ kind: GroupType; committees: Committee[] }>;

/**
 * The groups that are not private and not archived, by kind, each with its mandate, leads,
 * member towns and next meeting. Four queries whatever the number of groups (five for a
 * signed-in viewer): groups, their towns, their leads, their next meetings, the viewer's roles.
 * When the next meeting is, is public; what it is about stays with members and editors, as on
 * the group's own page.
 */
export async function listCommittees(db: Kysely<Database>, viewer: CurrentUser | null, lang: Language, now = clock.now()): Promise<CommitteesByKind> {
  const groups = await listPublicGroups(db, lang);
  const ids = groups.map((group) => group.id);
  if (ids.length === 0) return GROUP_TYPES.map((kind) => ({ kind, committees: [] }));
  const [leads, meetings, roles] = await Promise.all([
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
    db
      .selectFrom('group_meetings')
      .select(['group_id', 'title', 'starts_at'])
      .where('group_id', 'in', ids)
      .where('starts_at', '>', now)
      .orderBy('starts_at')
      .execute(),
    viewer
      ? db.selectFrom('group_members').select(['group_id', 'role']).where('user_id', '=', viewer.id).where('group_id', 'in', ids).execute()
      : Promise.resolve([]),
  ]);
  const roleOf = new Map(roles.map((row) => [row.group_id, row.role]));
  const committees = groups.map((group): Committee => {
    const role = roleOf.get(group.id) ?? null;
    const access = { user: viewer, role };
    const next = meetings.find((meeting) => meeting.group_id === group.id);
    return {
      group,
      mandate: canSeeDescription(group, access) ? group.purpose[lang] : null,
      leads: leads
        .filter((lead) => lead.group_id === group.id)
        .map((lead) => ({ name: lead.display_name, town: lead.name_kk === null ? null : { kk: lead.name_kk, ru: lead.name_ru ?? '', en: lead.name_en ?? '' } })),
      nextMeeting: next ? { startsAt: Number(next.starts_at), title: canReadThreads(group, access) ? next.title : null } : null,
      role,
    };
  });
  return GROUP_TYPES.map((kind) => ({
    kind,
    committees: committees.filter((committee) => committee.group.type === kind).sort((a, b) => textOrder(lang)(a.group.name[lang], b.group.name[lang])),
  }));
}
