import * as clock from '~/lib/clock.ts';
import { textOrder } from '~/lib/format.ts';
import type { Kysely, Selectable } from 'kysely';
import type { CurrentUser } from '~/server/auth/lucia.ts';
import { parseStringArray } from '~/server/accounts/profiles.ts';
import type { Language } from '~/i18n/index.ts';
import type { Database, GroupRhythm, GroupTable, GroupType, GroupVisibility } from '~/server/db/schema.ts';
import { canSeeGroup, type GroupFacts, type GroupRole, type GroupViewer } from './rules.ts';
import { syncGroup } from '~/server/search/sources/groups.ts';
import { inTransaction } from '~/server/search/sources/text.ts';
import { keptPerKeyUntilChanged, keptUntilChanged, recordChange } from '~/server/cache/changes.ts';
import { keptPerObject } from '~/lib/kept-per-object.ts';
import { townsInOrder, type TownSummary } from '~/server/towns/towns.ts';

/** Group types, visibilities and rhythms, in the order forms offer them. */
export const GROUP_TYPES: readonly GroupType[] = ['committee', 'forum', 'community'];
export const GROUP_VISIBILITIES: readonly GroupVisibility[] = ['open', 'approval', 'private'];
export const GROUP_RHYTHMS: readonly GroupRhythm[] = ['weekly', 'fortnightly', 'monthly', 'quarterly', 'as_needed'];

/** A group as pages and rules see it. */
export interface Group extends GroupFacts {
  id: number;
  slug: string;
  name: Record<Language, string>;
  purpose: Record<Language, string>;
  topics: string[];
  type: GroupType;
  rhythm: GroupRhythm;
  descriptionPublic: boolean;
  archivedAt: number | null;
}

/** What an editor writes about a group. */
export interface GroupInput {
  slug: string;
  name: Record<Language, string>;
  purpose: Record<Language, string>;
  topics: readonly string[];
  type: GroupType;
  visibility: GroupVisibility;
  rhythm: GroupRhythm;
  descriptionPublic: boolean;
}

function toGroup(row: Selectable<GroupTable>): Group {
  return {
    id: row.id,
    slug: row.slug,
    name: { kk: row.name_kk, ru: row.name_ru, en: row.name_en },
    purpose: { kk: row.purpose_kk, ru: row.purpose_ru, en: row.purpose_en },
    topics: parseStringArray(row.topics),
    type: row.type,
    visibility: row.visibility,
    rhythm: row.rhythm,
    descriptionPublic: Number(row.description_public) === 1,
    archived: row.archived_at !== null,
    archivedAt: row.archived_at,
  };
}

function columns(input: GroupInput) {
  return {
    slug: input.slug,
    name_kk: input.name.kk.trim(),
    name_ru: input.name.ru.trim(),
    name_en: input.name.en.trim(),
    purpose_kk: input.purpose.kk.trim(),
    purpose_ru: input.purpose.ru.trim(),
    purpose_en: input.purpose.en.trim(),
    topics: JSON.stringify([...new Set(input.topics)]),
    type: input.type,
    visibility: input.visibility,
    rhythm: input.rhythm,
    description_public: (input.descriptionPublic ? 1 : 0) as 0 | 1,
  };
}

/** A group by id, whoever asks (rules are the caller's job). */
export async function findGroupById(db: Kysely<Database>, id: number): Promise<Group | undefined> {
  const row = await db.selectFrom('groups').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? toGroup(row) : undefined;
}

/** A group by slug, whoever asks (rules are the caller's job). */
export async function findGroupBySlug(db: Kysely<Database>, slug: string): Promise<Group | undefined> {
  const row = await db.selectFrom('groups').selectAll().where('slug', '=', slug).executeTakeFirst();
  return row ? toGroup(row) : undefined;
}

/** A user's role in a group, or null. */
export async function roleInGroup(db: Kysely<Database>, groupId: number, userId: string | undefined): Promise<GroupRole> {
  if (!userId) return null;
  const row = await db.selectFrom('group_members').select('role').where('group_id', '=', groupId).where('user_id', '=', userId).executeTakeFirst();
  return row?.role ?? null;
}

/** A group and the viewer's place in it. */
export interface GroupAccess {
  group: Group;
  viewer: GroupViewer;
}

/**
 * The group a viewer asked for, or undefined when it does not exist *for them*: a
 * private group answers exactly like a missing one to anyone but its members and editors.
 */
export async function groupForViewer(
  db: Kysely<Database>,
  key: { slug: string } | { id: number },
  user: CurrentUser | null,
): Promise<GroupAccess | undefined> {
  // The group and the viewer's membership in one query: every page under /groups/<slug>/
  // asks first, before its own reads (on PostgreSQL one round trip instead of two in a row).
  const userId = user?.id ?? null;
  const row = await db
    .selectFrom('groups')
    .leftJoin('group_members', (join) => join.onRef('group_members.group_id', '=', 'groups.id').on('group_members.user_id', '=', userId ?? ''))
    .selectAll('groups')
    .select('group_members.role as viewer_role')
    .where('slug' in key ? 'groups.slug' : 'groups.id', '=', 'slug' in key ? key.slug : key.id)
    .executeTakeFirst();
  if (!row) return undefined;
  const { viewer_role: role, ...groupRow } = row;
  const group = toGroup(groupRow);
  const viewer: GroupViewer = { user, role: userId === null ? null : (role ?? null) };
  return canSeeGroup(group, viewer) ? { group, viewer } : undefined;
}

/** A line of the public list: a group with its member towns. */
export interface GroupSummary extends Group {
  memberCount: number;
  /** The towns its active members come from, each once, in the reader's alphabetical order. */
  towns: ReadonlyArray<Record<Language, string>>;
}

/** What group lists show of a group's active members: how many, and which towns they come from. */
interface MemberFacts {
  count: number;
  townIds: readonly number[];
  /** The towns by name, worked out once per language and kept list of towns (see `namedTowns`). */
  named: Partial<Record<Language, { order: TownOrder; towns: ReadonlyArray<Record<Language, string>> }>>;
}

/**
 * Member facts per group, read for the groups a page shows and kept until the
 * `memberships` counter moves (joins, leaves, approvals, invitations, accounts disabled
 * or brought back): a member's own list of 40 groups read 1,390 memberships with their
 * users and towns on every view at national scale.
 */
const memberFacts = keptPerKeyUntilChanged<number, MemberFacts>(['memberships'], async (db, ids) => {
  // One row per group and town (not per membership); users.town_id is null for partners' people.
  const rows = await db
    .selectFrom('group_members')
    .innerJoin('users', 'users.id', 'group_members.user_id')
    .select((eb) => ['group_members.group_id', 'users.town_id', eb.fn.countAll<number>().as('members')])
    .where('group_members.group_id', 'in', ids)
    .where('users.disabled_at', 'is', null)
    .groupBy(['group_members.group_id', 'users.town_id'])
    .execute();
  const read = new Map(ids.map((id) => [id, { count: 0, townIds: [] as number[], named: {} }]));
  for (const row of rows) {
    const facts = read.get(Number(row.group_id))!;
    facts.count += Number(row.members);
    if (row.town_id !== null) facts.townIds.push(Number(row.town_id));
  }
  return read;
});

/** Every town's names and place in a language's alphabetical order, worked out once per kept order of towns. */
const townOrders = keptPerObject<readonly TownSummary[], Language, TownOrder>();

type TownOrder = ReadonlyMap<number, { name: Record<Language, string>; rank: number }>;

async function townOrder(db: Kysely<Database>, lang: Language): Promise<TownOrder> {
  const sorted = await townsInOrder(db, lang);
  return townOrders(sorted, lang, () => new Map(sorted.map((town, rank) => [town.id, { name: town.name, rank }])));
}

/** Groups with their active members' count and towns (in the reader's order), from kept member facts and the kept towns. */
async function withTowns<T extends { id: number }>(db: Kysely<Database>, groups: T[], lang: Language): Promise<Array<T & Pick<GroupSummary, 'memberCount' | 'towns'>>> {
  if (groups.length === 0) return [];
  const [facts, order] = await Promise.all([memberFacts.get(db, groups.map((group) => group.id)), townOrder(db, lang)]);
  return groups.map((group) => {
    const entry = facts.get(group.id)!;
    return { ...group, memberCount: entry.count, towns: namedTowns(entry, order, lang) };
  });
}

/** A group's member towns in the reader's order, kept in its (shared) facts while the towns' order stays the same. */
function namedTowns(facts: MemberFacts, order: TownOrder, lang: Language): ReadonlyArray<Record<Language, string>> {
  const kept = facts.named[lang];
  if (kept?.order === order) return kept.towns;
  const towns: Array<{ name: Record<Language, string>; rank: number }> = [];
  for (const id of facts.townIds) {
    const town = order.get(id);
    if (town) towns.push(town);
  }
  const named = Object.freeze(towns.sort((a, b) => a.rank - b.rank).map((town) => town.name));
  facts.named[lang] = { order, towns: named };
  return named;
}

/** The towns a group's active members come from, by name in the reader's language. */
export async function groupTowns(db: Kysely<Database>, groupId: number, lang: Language): Promise<string[]> {
  const [group] = await withTowns(db, [{ id: groupId }], lang);
  return (group?.towns ?? []).map((town) => town[lang]);
}

/**
 * The groups that are not private and not archived, kept until the `groups` change counter
 * moves (every write to a group's own row bumps it): at national scale reading and sorting
 * 1,500 groups cost about 10 ms a view of the groups list or the committees page.
 */
const publicGroups = keptUntilChanged(['groups'], async (db): Promise<readonly Group[]> => {
  const rows = await db.selectFrom('groups').selectAll().where('visibility', '!=', 'private').where('archived_at', 'is', null).execute();
  return Object.freeze(rows.map(toGroup));
});

/** The kept public groups sorted per language, kept with the list they came from. */
const publicGroupsSorted = new WeakMap<readonly Group[], Map<Language, readonly Group[]>>();

/** Groups that are not private and not archived, by name in the reader's language, without members. A new array each call. */
export async function publicGroupsByName(db: Kysely<Database>, lang: Language): Promise<Group[]> {
  const groups = await publicGroups.get(db);
  let byLanguage = publicGroupsSorted.get(groups);
  if (!byLanguage) publicGroupsSorted.set(groups, (byLanguage = new Map()));
  let sorted = byLanguage.get(lang);
  if (!sorted) byLanguage.set(lang, (sorted = [...groups].sort((a, b) => textOrder(lang)(a.name[lang], b.name[lang]))));
  return [...sorted];
}

/** The public list: groups that are not private and not archived, by name in the reader's language. */
export async function listPublicGroups(db: Kysely<Database>, lang: Language): Promise<GroupSummary[]> {
  return withTowns(db, await publicGroupsByName(db, lang), lang);
}

/** How many groups one page of the public list shows. */
export const PUBLIC_GROUPS_PER_PAGE = 30;

/**
 * One page of the public list. Only that page's members and towns are read: at national
 * scale (1,500 public groups, 60,000 memberships) the whole list cost seconds a view.
 * A page past the end gives no groups, with the number of pages there are.
 */
export async function listPublicGroupsPage(db: Kysely<Database>, lang: Language, page: number): Promise<{ groups: GroupSummary[]; total: number; pages: number }> {
  const all = await publicGroupsByName(db, lang);
  const pages = Math.max(1, Math.ceil(all.length / PUBLIC_GROUPS_PER_PAGE));
  const slice = all.slice((page - 1) * PUBLIC_GROUPS_PER_PAGE, page * PUBLIC_GROUPS_PER_PAGE);
  return { groups: await withTowns(db, slice, lang), total: all.length, pages };
}

/**
 * The public groups (not private, not archived) that have an active member from a
 * town, for the town's public profile, by name in the reader's language.
 */
export async function publicGroupsOfTown(db: Kysely<Database>, townId: number, lang: Language): Promise<Group[]> {
  // From the town's few members to their groups' ids (two indexes), and the groups from
  // the kept public list in its order: reading and converting the groups' own rows for
  // every profile view was a third of the profile's database time at national scale.
  const [sorted, rows] = await Promise.all([
    publicGroupsByName(db, lang),
    db
      .selectFrom('users')
      .innerJoin('group_members', 'group_members.user_id', 'users.id')
      .select('group_members.group_id')
      .where('users.town_id', '=', townId)
      .where('users.disabled_at', 'is', null)
      .execute(),
  ]);
  const ids = new Set(rows.map((row) => Number(row.group_id)));
  return sorted.filter((group) => ids.has(group.id));
}

/** The groups a member belongs to (private ones included: they are theirs), with their role. */
export async function listMyGroups(db: Kysely<Database>, userId: string, lang: Language): Promise<Array<GroupSummary & { role: 'lead' | 'member' }>> {
  const rows = await db
    .selectFrom('groups')
    .innerJoin('group_members', 'group_members.group_id', 'groups.id')
    .selectAll('groups')
    .select('group_members.role as member_role')
    .where('group_members.user_id', '=', userId)
    .execute();
  const roles = new Map(rows.map((row) => [row.id, row.member_role]));
  const groups = rows.map(toGroup).sort((a, b) => textOrder(lang)(a.name[lang], b.name[lang]));
  return (await withTowns(db, groups, lang)).map((group) => ({ ...group, role: roles.get(group.id)! }));
}

/** Every group, archived and private ones too: for editors only. */
export async function listAllGroups(db: Kysely<Database>, lang: Language): Promise<GroupSummary[]> {
  const rows = await db.selectFrom('groups').selectAll().execute();
  const groups = rows.map(toGroup).sort((a, b) => Number(a.archived) - Number(b.archived) || textOrder(lang)(a.name[lang], b.name[lang]));
  return withTowns(db, groups, lang);
}

/** Creates a group; 'slugTaken' when the address is in use. */
export async function createGroup(db: Kysely<Database>, input: GroupInput, editorId: string, now = clock.now()): Promise<{ ok: true; id: number } | { ok: false; problem: 'slugTaken' }> {
  return db.transaction().execute(async (trx) => {
    const taken = await trx.selectFrom('groups').select('id').where('slug', '=', input.slug).executeTakeFirst();
    if (taken) return { ok: false as const, problem: 'slugTaken' as const };
    const row = await trx
      .insertInto('groups')
      .values({ ...columns(input), archived_at: null, created_by: editorId, created_at: now, updated_at: now })
      .returning('id')
      .executeTakeFirstOrThrow();
    await syncGroup(trx, row.id);
    await recordChange(trx, 'groups');
    return { ok: true as const, id: row.id };
  });
}

/** Saves an editor's changes to a group. */
export async function updateGroup(db: Kysely<Database>, id: number, input: GroupInput, now = clock.now()): Promise<{ ok: true } | { ok: false; problem: 'slugTaken' | 'notFound' }> {
  return db.transaction().execute(async (trx) => {
    const existing = await trx.selectFrom('groups').select('id').where('id', '=', id).executeTakeFirst();
    if (!existing) return { ok: false as const, problem: 'notFound' as const };
    const taken = await trx.selectFrom('groups').select('id').where('slug', '=', input.slug).where('id', '!=', id).executeTakeFirst();
    if (taken) return { ok: false as const, problem: 'slugTaken' as const };
    await trx.updateTable('groups').set({ ...columns(input), updated_at: now }).where('id', '=', id).execute();
    await syncGroup(trx, id);
    await recordChange(trx, 'groups');
    return { ok: true as const };
  });
}

/** Archives a group (read-only from then on) or brings it back. */
export async function setArchived(db: Kysely<Database>, id: number, archived: boolean, now = clock.now()): Promise<boolean> {
  return inTransaction(db, async (trx) => {
    const result = await trx
      .updateTable('groups')
      .set({ archived_at: archived ? now : null, updated_at: now })
      .where('id', '=', id)
      .where('archived_at', archived ? 'is' : 'is not', null)
      .executeTakeFirst();
    const changed = Number(result.numUpdatedRows) === 1;
    // An archived group's public meetings leave the public calendar, and come back with it.
    if (changed) {
      await syncGroup(trx, id);
      await recordChange(trx, 'groups');
    }
    return changed;
  });
}

/** A group's name in a language (every group has all three). */
export function groupName(group: Pick<Group, 'name'>, lang: Language): string {
  return group.name[lang];
}
