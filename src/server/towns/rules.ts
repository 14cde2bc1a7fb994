import type { CurrentUser } from '~/server/auth/lucia.ts';

// Who may edit a town's profile. Tested as a table of role × action in
// tests/data/town-profile.test.ts; pages and the action both call these.

function active(user: CurrentUser | null): user is CurrentUser {
  return user !== null && !user.disabled;
}

function isEditor(user: CurrentUser): boolean {
  return user.role === 'editor' || user.role === 'admin';
}

/** Edits a town's profile: the town's own administrator; editors and administrators for any town. */
export function canEditTownProfile(user: CurrentUser | null, townId: number): user is CurrentUser {
  return active(user) && (isEditor(user) || (user.role === 'town_admin' && user.town?.id === townId));
}

/** Sets a town's economic-potential category (the national programme's, not the town's own word): editors and administrators. */
export function canSetEconomicPotential(user: CurrentUser | null): user is CurrentUser {
  return active(user) && isEditor(user);
}

/** Reads a town profile's history of changes: the same people who may edit it. */
export const canSeeTownProfileHistory = canEditTownProfile;
