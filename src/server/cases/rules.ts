import type { CurrentUser } from '~/server/auth/lucia.ts';
import type { MemberCaseStatus } from '~/server/db/schema.ts';

/**
 * Who may do what with a member case. Pure functions of the user and the case, called by
 * every action and every page that reads a case, and tested as a table of role × action.
 * Town members (members and town administrators) write their own town's cases; editors
 * and administrators review what was submitted. Nobody touches another town's case, and
 * a draft belongs to its town until it is submitted (as an unpublished exchange request).
 */

/** The part of a case the rules look at. */
export interface CaseFacts {
  townId: number;
  status: MemberCaseStatus;
  /** Whether an approved version is public now. */
  isPublic: boolean;
  /** Whether the case has ever been approved (it has a published copy, public or withdrawn). */
  hasPublished: boolean;
}

/** Editors and administrators review submissions. */
export function canReviewCases(user: CurrentUser | null): boolean {
  return user?.role === 'editor' || user?.role === 'admin';
}

/** A member or town administrator of a town writes cases for it (only their own). */
export function canWriteCases(user: CurrentUser | null): user is CurrentUser & { town: NonNullable<CurrentUser['town']> } {
  return (user?.role === 'member' || user?.role === 'town_admin') && user.town !== null;
}

/** Whether the user belongs to the case's town. */
export function isOfTown(user: CurrentUser | null, facts: Pick<CaseFacts, 'townId'>): boolean {
  return canWriteCases(user) && user.town.id === facts.townId;
}

/**
 * Who may open a case's working copy and its history: its town's members, and editors
 * once it has been submitted. A draft (new, taken back before a decision, or a revision
 * of a published case) is the town's alone; editors see a published copy as the public does.
 */
export function canViewCase(user: CurrentUser | null, facts: CaseFacts): boolean {
  // "Changes requested" is not a draft: editors opened that round themselves, it stays in their "sent back" tab, and they discuss it with the town.
  return isOfTown(user, facts) || (canReviewCases(user) && facts.status !== 'draft');
}

/** The town edits a draft, or a copy sent back with requested changes; never while it is with the editors. */
export function canEditCase(user: CurrentUser | null, facts: CaseFacts): boolean {
  return isOfTown(user, facts) && (facts.status === 'draft' || facts.status === 'changes_requested');
}

/** Submitting (or resubmitting) is editing's last step. */
export const canSubmitCase = canEditCase;

/** The town takes a submission back to edit it, before an editor decides. */
export function canWithdrawCase(user: CurrentUser | null, facts: CaseFacts): boolean {
  return isOfTown(user, facts) && facts.status === 'submitted';
}

/**
 * After publication the town proposes changes: a new working copy goes through review
 * again while the published one stays. Also after a rejected proposal to a published case.
 */
export function canProposeChanges(user: CurrentUser | null, facts: CaseFacts): boolean {
  return isOfTown(user, facts) && facts.hasPublished && (facts.status === 'approved' || facts.status === 'rejected');
}

/** Editors decide on a submission, and only on one that is waiting for them. */
export function canDecideCase(user: CurrentUser | null, facts: CaseFacts): boolean {
  return canReviewCases(user) && facts.status === 'submitted';
}

/** Editors withdraw a case the public can read (also while its town drafts a revision they cannot see). */
export function canUnpublishCase(user: CurrentUser | null, facts: CaseFacts): boolean {
  return canReviewCases(user) && facts.isPublic;
}

/** Editors and the town's members talk about a case in its history. */
export function canCommentOnCase(user: CurrentUser | null, facts: CaseFacts): boolean {
  return canViewCase(user, facts);
}
