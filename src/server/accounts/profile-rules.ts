import type { CurrentUser } from '~/server/auth/lucia.ts';

/**
 * Who may read a member's profile: any signed-in member whose account is active, for
 * any active account. The public never; a disabled account's profile, nobody.
 */
export function canViewProfile(viewer: CurrentUser | null, target: { disabled: boolean }): boolean {
  if (!viewer || viewer.disabled) return false;
  return !target.disabled;
}

/** Who may edit their own profile: anyone signed in with an active account (every role). */
export function canEditOwnProfile(user: CurrentUser | null): user is CurrentUser {
  return user !== null && !user.disabled;
}
