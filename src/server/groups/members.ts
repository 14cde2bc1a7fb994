import type { Kysely } from 'kysely';
import * as clock from '~/lib/clock.ts';
import { normalizeEmail } from '~/server/accounts/users.ts';
import type { Language } from '~/i18n/index.ts';
import type { Database } from '~/server/db/schema.ts';
import { recordChange } from '~/server/cache/changes.ts';

/** The result of a membership change; a problem names what stopped it (an i18n key suffix). */
export type MemberOutcome<T = object> = ({ ok: true } & T) | { ok: false; problem: MemberProblem };
/** Why a membership change did not happen. */
export type MemberProblem =
  | 'alreadyMember'
  | 'alreadyRequested'
  | 'requestNotPending'
  | 'requestNotFound'
  | 'notMember'
  | 'lastLead'
  | 'noAccount'
  | 'accountDisabled';

/** A member of a group, as the member list shows them. */
export interface GroupMember {
  userId: string;
  displayName: string;
  role: 'lead' | 'member';
  position: string | null;
  town: Record<Language, string> | null;
  joinedAt: number;
}

/** The group's active members: leads first, then by name. */
export async function listMembers(db: Kysely<Database>, groupId: number): Promise<GroupMember[]> {
  const rows = await db
    .selectFrom('group_members')
    .innerJoin('users', 'users.id', 'group_members.user_id')
    .leftJoin('towns', 'towns.id', 'users.town_id')
    .select(['users.id', 'users.display_name', 'users.position', 'group_members.role', 'group_members.joined_at', 'towns.name_kk', 'towns.name_ru', 'towns.name_en'])
    .where('group_members.group_id', '=', groupId)
    .where('users.disabled_at', 'is', null)
    .execute();
  return rows
    .map((row) => ({
      userId: row.id,
      displayName: row.display_name,
      role: row.role,
      position: row.position,
      town: row.name_kk === null ? null : { kk: row.name_kk, ru: row.name_ru ?? '', en: row.name_en ?? '' },
      joinedAt: row.joined_at,
    }))
    .sort((a, b) => Number(b.role === 'lead') - Number(a.role === 'lead') || a.displayName.localeCompare(b.displayName));
}

/** The ids of a group's active leads. */
export async function leadIds(db: Kysely<Database>, groupId: number): Promise<string[]> {
  const rows = await db
    .selectFrom('group_members')
    .innerJoin('users', 'users.id', 'group_members.user_id')
    .select('users.id')
    .where('group_members.group_id', '=', groupId)
    .where('group_members.role', '=', 'lead')
    .where('users.disabled_at', 'is', null)
    .execute();
  return rows.map((row) => row.id);
}

/** The ids of a group's active members (leads too). */
export async function memberIds(db: Kysely<Database>, groupId: number): Promise<string[]> {
  return (await listMembers(db, groupId)).map((member) => member.userId);
}

async function isMember(db: Kysely<Database>, groupId: number, userId: string): Promise<boolean> {
  return (await db.selectFrom('group_members').select('user_id').where('group_id', '=', groupId).where('user_id', '=', userId).executeTakeFirst()) !== undefined;
}

/** Joins a group directly (open groups: the caller checks the rule). */
export async function joinGroup(db: Kysely<Database>, groupId: number, userId: string, now = clock.now()): Promise<MemberOutcome> {
  return db.transaction().execute(async (trx) => {
    if (await isMember(trx, groupId, userId)) return { ok: false as const, problem: 'alreadyMember' as const };
    await trx.insertInto('group_members').values({ group_id: groupId, user_id: userId, role: 'member', joined_at: now }).execute();
    await recordChange(trx, 'memberships');
    return { ok: true as const };
  });
}

/** Asks to join a by-approval group, with an optional note for the leads. */
export async function requestToJoin(db: Kysely<Database>, groupId: number, userId: string, note: string | null, now = clock.now()): Promise<MemberOutcome<{ requestId: number }>> {
  return db.transaction().execute(async (trx) => {
    if (await isMember(trx, groupId, userId)) return { ok: false as const, problem: 'alreadyMember' as const };
    const pending = await pendingRequestOf(trx, groupId, userId);
    if (pending) return { ok: false as const, problem: 'alreadyRequested' as const };
    const row = await trx
      .insertInto('group_join_requests')
      .values({ group_id: groupId, user_id: userId, note: note?.trim() || null, status: 'pending', decided_by: null, decided_at: null, created_at: now })
      .returning('id')
      .executeTakeFirstOrThrow();
    return { ok: true as const, requestId: row.id };
  });
}

/** A member's pending request to join a group, if any. */
export function pendingRequestOf(db: Kysely<Database>, groupId: number, userId: string) {
  return db.selectFrom('group_join_requests').select(['id', 'note', 'created_at']).where('group_id', '=', groupId).where('user_id', '=', userId).where('status', '=', 'pending').executeTakeFirst();
}

/** Withdraws one's own pending request. */
export async function withdrawRequest(db: Kysely<Database>, groupId: number, userId: string, now = clock.now()): Promise<MemberOutcome> {
  const result = await db
    .updateTable('group_join_requests')
    .set({ status: 'withdrawn', decided_at: now, decided_by: userId })
    .where('group_id', '=', groupId)
    .where('user_id', '=', userId)
    .where('status', '=', 'pending')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1 ? { ok: true } : { ok: false, problem: 'requestNotPending' };
}

/** Pending requests of a group, oldest first, for its leads. */
export async function pendingRequests(db: Kysely<Database>, groupId: number) {
  const rows = await db
    .selectFrom('group_join_requests')
    .innerJoin('users', 'users.id', 'group_join_requests.user_id')
    .leftJoin('towns', 'towns.id', 'users.town_id')
    .select(['group_join_requests.id', 'group_join_requests.note', 'group_join_requests.created_at', 'users.id as user_id', 'users.display_name', 'towns.name_kk', 'towns.name_ru', 'towns.name_en'])
    .where('group_join_requests.group_id', '=', groupId)
    .where('group_join_requests.status', '=', 'pending')
    .where('users.disabled_at', 'is', null)
    .orderBy('group_join_requests.id')
    .execute();
  return rows.map((row) => ({
    id: row.id,
    note: row.note,
    createdAt: row.created_at,
    userId: row.user_id,
    displayName: row.display_name,
    town: row.name_kk === null ? null : ({ kk: row.name_kk, ru: row.name_ru ?? '', en: row.name_en ?? '' } as Record<Language, string>),
  }));
}

/**
 * Approves or declines a request of this group. A request of another group is 'not
 * found'; one already decided or withdrawn changes nothing.
 */
export async function decideRequest(
  db: Kysely<Database>,
  groupId: number,
  requestId: number,
  decision: 'approved' | 'declined',
  deciderId: string,
  now = clock.now(),
): Promise<MemberOutcome<{ userId: string }>> {
  return db.transaction().execute(async (trx) => {
    const request = await trx.selectFrom('group_join_requests').select(['user_id', 'status']).where('id', '=', requestId).where('group_id', '=', groupId).executeTakeFirst();
    if (!request) return { ok: false as const, problem: 'requestNotFound' as const };
    if (request.status !== 'pending') return { ok: false as const, problem: 'requestNotPending' as const };
    await trx.updateTable('group_join_requests').set({ status: decision, decided_by: deciderId, decided_at: now }).where('id', '=', requestId).execute();
    if (decision === 'approved' && !(await isMember(trx, groupId, request.user_id))) {
      await trx.insertInto('group_members').values({ group_id: groupId, user_id: request.user_id, role: 'member', joined_at: now }).execute();
      await recordChange(trx, 'memberships');
    }
    return { ok: true as const, userId: request.user_id };
  });
}

/**
 * Leaves a group: access ends at once. The last lead of an active group cannot leave
 * (someone must be able to approve requests); the caller checks that with the rule.
 */
export async function leaveGroup(db: Kysely<Database>, groupId: number, userId: string): Promise<MemberOutcome> {
  return db.transaction().execute(async (trx) => {
    const row = await trx.selectFrom('group_members').select('role').where('group_id', '=', groupId).where('user_id', '=', userId).executeTakeFirst();
    if (!row) return { ok: false as const, problem: 'notMember' as const };
    await trx.deleteFrom('group_members').where('group_id', '=', groupId).where('user_id', '=', userId).execute();
    await trx.deleteFrom('group_thread_follows').where('user_id', '=', userId).where('thread_id', 'in', trx.selectFrom('group_threads').select('id').where('group_id', '=', groupId)).execute();
    await recordChange(trx, 'memberships');
    return { ok: true as const };
  });
}

/** Removes a member (a lead's or editor's act); they lose access at once. */
export const removeMember = leaveGroup;

/**
 * Adds the account with this email to the group (invitation by a lead or editor, or an
 * editor appointing a lead). Only existing, active accounts can be added.
 */
export async function addMemberByEmail(
  db: Kysely<Database>,
  groupId: number,
  email: string,
  role: 'lead' | 'member',
  now = clock.now(),
): Promise<MemberOutcome<{ userId: string; changed: boolean }>> {
  return db.transaction().execute(async (trx) => {
    const user = await trx.selectFrom('users').select(['id', 'disabled_at']).where('email', '=', normalizeEmail(email)).executeTakeFirst();
    if (!user) return { ok: false as const, problem: 'noAccount' as const };
    if (user.disabled_at !== null) return { ok: false as const, problem: 'accountDisabled' as const };
    const existing = await trx.selectFrom('group_members').select('role').where('group_id', '=', groupId).where('user_id', '=', user.id).executeTakeFirst();
    if (existing && (existing.role === role || role === 'member')) return { ok: false as const, problem: 'alreadyMember' as const };
    if (existing) {
      await trx.updateTable('group_members').set({ role }).where('group_id', '=', groupId).where('user_id', '=', user.id).execute();
    } else {
      await trx.insertInto('group_members').values({ group_id: groupId, user_id: user.id, role, joined_at: now }).execute();
    }
    await recordChange(trx, 'memberships');
    // A pending request is settled by the invitation.
    await trx.updateTable('group_join_requests').set({ status: 'approved', decided_at: now }).where('group_id', '=', groupId).where('user_id', '=', user.id).where('status', '=', 'pending').execute();
    return { ok: true as const, userId: user.id, changed: existing !== undefined };
  });
}

/** Makes a member a lead or a lead a member (editors appoint leads). */
export async function setMemberRole(db: Kysely<Database>, groupId: number, userId: string, role: 'lead' | 'member'): Promise<MemberOutcome> {
  return db.transaction().execute(async (trx) => {
    const row = await trx.selectFrom('group_members').select('role').where('group_id', '=', groupId).where('user_id', '=', userId).executeTakeFirst();
    if (!row) return { ok: false as const, problem: 'notMember' as const };
    await trx.updateTable('group_members').set({ role }).where('group_id', '=', groupId).where('user_id', '=', userId).execute();
    await recordChange(trx, 'memberships');
    return { ok: true as const };
  });
}
