import type { CurrentUser } from '~/server/auth/lucia.ts';

// Who may do what with a town's indicator values. Tested as a table of role × action
// in tests/http/indicator-rules.test.ts and tests/unit/indicator-rules.test.ts.

function active(user: CurrentUser | null): user is CurrentUser {
  return user !== null && !user.disabled;
}

function isEditor(user: CurrentUser): boolean {
  return user.role === 'editor' || user.role === 'admin';
}

function isOwnTownAdmin(user: CurrentUser, townId: number): boolean {
  return user.role === 'town_admin' && user.town?.id === townId;
}

/** Adds or corrects values: the town's own administrator; editors and administrators for any town. */
export function canEnterValues(user: CurrentUser | null, townId: number): user is CurrentUser {
  return active(user) && (isOwnTownAdmin(user, townId) || isEditor(user));
}

/** Publishes the town's new values: the town's own administrator only (it is the town's word). */
export function canPublishValues(user: CurrentUser | null, townId: number): user is CurrentUser {
  return active(user) && isOwnTownAdmin(user, townId);
}

/** Sees values a town has not published yet: any signed-in member of the association (never a partner). */
export function canSeeUnpublished(user: CurrentUser | null): boolean {
  return active(user) && user.role !== 'partner';
}

/** Reads who changed what and when: editors and administrators, and the town's own administrator. */
export function canSeeHistory(user: CurrentUser | null, townId: number): boolean {
  return active(user) && (isEditor(user) || isOwnTownAdmin(user, townId));
}
