import type { CurrentUser } from '~/server/auth/lucia.ts';
import type { GroupVisibility } from '~/server/db/schema.ts';

/** A viewer's place in one group: lead, member, or none. */
export type GroupRole = 'lead' | 'member' | null;

/** What the rules need to know about a group. */
export interface GroupFacts {
  visibility: GroupVisibility;
  archived: boolean;
}

/** Who is asking, about which group. */
export interface GroupViewer {
  user: CurrentUser | null;
  /** The viewer's role in the group (null: not a member, or not signed in). */
  role: GroupRole;
}

/**
 * Whether an account takes part in working groups at all: the association's members and
 * staff. Partners never do (deny by default: the roles that may are listed); to them a
 * group is what the public sees.
 */
export function takesPartInGroups(user: CurrentUser | null): user is CurrentUser {
  return user !== null && !user.disabled && (['member', 'town_admin', 'editor', 'admin'] as const).some((role) => role === user.role);
}

/** Editors and administrators run working groups: they create, edit, archive and moderate all of them. */
export function isGroupEditor(user: CurrentUser | null): boolean {
  return user?.role === 'editor' || user?.role === 'admin';
}

/** Editors create new groups. */
export function canCreateGroups(user: CurrentUser | null): boolean {
  return isGroupEditor(user);
}

/**
 * Whether a group exists for this viewer at all. A private group is known only to its
 * members and to editors; for everyone else it is exactly like a group that does not exist.
 */
export function canSeeGroup(group: GroupFacts, viewer: GroupViewer): boolean {
  if (group.visibility !== 'private') return true;
  return viewer.role !== null || isGroupEditor(viewer.user);
}

/** Whether the viewer sees the purpose: members, editors, and everyone when it is public. */
export function canSeeDescription(group: GroupFacts & { descriptionPublic: boolean }, viewer: GroupViewer): boolean {
  if (!canSeeGroup(group, viewer)) return false;
  return group.descriptionPublic || viewer.role !== null || isGroupEditor(viewer.user);
}

/** Threads, replies, meetings, pinned resources and the member list: members, and editors for moderation. */
export function canReadThreads(group: GroupFacts, viewer: GroupViewer): boolean {
  return takesPartInGroups(viewer.user) && canSeeGroup(group, viewer) && (viewer.role !== null || isGroupEditor(viewer.user));
}

/** Members post threads and replies, while the group is not archived. */
export function canPost(group: GroupFacts, viewer: GroupViewer): boolean {
  return takesPartInGroups(viewer.user) && viewer.role !== null && !group.archived;
}

/** Leads and editors hide, pin and lock, while the group is not archived. */
export function canModerate(group: GroupFacts, viewer: GroupViewer): boolean {
  if (group.archived || viewer.user === null) return false;
  return viewer.role === 'lead' || isGroupEditor(viewer.user);
}

/** Leads (and editors) approve or decline join requests, invite and remove members, announce meetings and pin resources. */
export function canLead(group: GroupFacts, viewer: GroupViewer): boolean {
  return canModerate(group, viewer) && canSeeGroup(group, viewer);
}

/** Approving join requests is a lead's work (editors may step in). */
export const canApproveJoins = canLead;

/** Anyone signed in joins an open group directly. */
export function canJoin(group: GroupFacts, viewer: GroupViewer): boolean {
  return takesPartInGroups(viewer.user) && viewer.role === null && group.visibility === 'open' && !group.archived;
}

/** Anyone signed in asks to join a by-approval group. */
export function canRequestToJoin(group: GroupFacts, viewer: GroupViewer): boolean {
  return takesPartInGroups(viewer.user) && viewer.role === null && group.visibility === 'approval' && !group.archived;
}

/** A member leaves; the last lead of an active group must hand over first. */
export function canLeave(viewer: GroupViewer, leadCount: number, archived = false): boolean {
  if (viewer.user === null || viewer.role === null) return false;
  return viewer.role !== 'lead' || leadCount > 1 || archived;
}

/** A lead or editor removes a member (not themselves: leaving is for that). */
export function canRemoveMember(group: GroupFacts, viewer: GroupViewer, target: { userId: string }): boolean {
  return canLead(group, viewer) && viewer.user!.id !== target.userId;
}

/** Answering "will you attend?": members of an active group. */
export function canAnswerMeeting(group: GroupFacts, viewer: GroupViewer): boolean {
  return canPost(group, viewer);
}

/** Whether a hidden post's text is shown to this viewer: its author and moderators see it, with the reason. */
export function canSeeHidden(viewer: GroupViewer, authorId: string | null): boolean {
  if (viewer.user === null) return false;
  return authorId === viewer.user.id || viewer.role === 'lead' || isGroupEditor(viewer.user);
}
