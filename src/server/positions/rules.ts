import type { CurrentUser } from '~/server/auth/lucia.ts';
import type { Role } from '~/server/db/schema.ts';
import { isConsultationOpen, isPublicPosition, type Position } from './types.ts';

/**
 * Who may do what with a position. Deny by default: every rule lists the roles it lets
 * in, so a role added later (partners) may do nothing here until it is named. Pure
 * functions of the user, the position and the time; tested as a role × action table.
 */

/** Who runs positions: drafts, opens consultations, revises, adopts, reads the tally. */
const RUNNING_ROLES: readonly Role[] = ['editor', 'admin'];
/** Who comments on sections: the member towns' people. */
const COMMENTING_ROLES: readonly Role[] = ['member', 'town_admin'];
/** Who records a town's stance: its administrator. */
const STANCE_ROLES: readonly Role[] = ['town_admin'];
/** Who reads the comments: the member towns' people and the association's staff. */
const COMMENT_READING_ROLES: readonly Role[] = ['member', 'town_admin', 'editor', 'admin'];

type PositionFacts = Pick<Position, 'status' | 'closesAt'>;

function active(user: CurrentUser | null): user is CurrentUser {
  return user !== null && !user.disabled;
}

/** Editors and administrators run positions. */
export function canRunPositions(user: CurrentUser | null): boolean {
  return active(user) && RUNNING_ROLES.includes(user.role);
}

/** Whether the user may read a position at all: the public reads those in consultation and adopted; drafts are the editors'. */
export function canReadPosition(user: CurrentUser | null, position: Pick<Position, 'status'>): boolean {
  return isPublicPosition(position) || canRunPositions(user);
}

/** Comments are for members only: never the public, never a role not listed. */
export function canReadComments(user: CurrentUser | null): boolean {
  return active(user) && COMMENT_READING_ROLES.includes(user.role);
}

/** A member town's member or administrator comments on a section while the consultation is open. */
export function canComment(user: CurrentUser | null, position: PositionFacts, now: number): boolean {
  return active(user) && COMMENTING_ROLES.includes(user.role) && user.town !== null && isConsultationOpen(position, now);
}

/** Whether the user is one who could comment on some open consultation (a town's member or administrator). */
export function isCommenter(user: CurrentUser | null): user is CurrentUser & { town: NonNullable<CurrentUser['town']> } {
  return active(user) && COMMENTING_ROLES.includes(user.role) && user.town !== null;
}

/** Whether the user speaks for a town's stance (its administrator), whatever the position. */
export function isStanceTaker(user: CurrentUser | null): user is CurrentUser & { town: NonNullable<CurrentUser['town']> } {
  return active(user) && STANCE_ROLES.includes(user.role) && user.town !== null;
}

/** A town's administrator records or changes the town's stance while the consultation is open. */
export function canRecordStance(user: CurrentUser | null, position: PositionFacts, now: number): boolean {
  return isStanceTaker(user) && isConsultationOpen(position, now);
}

/** Editors change a draft's text in place (nobody else has read it). */
export function canEditDraft(user: CurrentUser | null, position: Pick<Position, 'status'>): boolean {
  return canRunPositions(user) && position.status === 'draft';
}

/** Editors open a draft for consultation. */
export function canOpenConsultation(user: CurrentUser | null, position: Pick<Position, 'status'>): boolean {
  return canRunPositions(user) && position.status === 'draft';
}

/** Editors publish a revised version while the position is in consultation (open or closed). */
export function canRevise(user: CurrentUser | null, position: Pick<Position, 'status'>): boolean {
  return canRunPositions(user) && position.status === 'consultation';
}

/** Editors adopt a position that has been through consultation. */
export function canAdopt(user: CurrentUser | null, position: Pick<Position, 'status'>): boolean {
  return canRunPositions(user) && position.status === 'consultation';
}
