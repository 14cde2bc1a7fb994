import type { CurrentUser } from '~/server/auth/lucia.ts';
import type { Role } from '~/server/db/schema.ts';

/**
 * Who may see whom in the people directory (`/members/`). Nothing of it is public; it
 * is tested as a table of role × action in tests/unit/members-rules.test.ts.
 */

/** Editors and administrators look after the association's accounts: they see everyone. */
export function isDirectoryEditor(user: CurrentUser | null): boolean {
  return user !== null && !user.disabled && (user.role === 'editor' || user.role === 'admin');
}

/** The roles that see the people directory: the association's members, never partners (deny by default). */
const DIRECTORY_ROLES: readonly Role[] = ['member', 'town_admin', 'editor', 'admin'];

/** The directory and members' profiles are for signed-in members whose account is active. */
export function canUseDirectory(user: CurrentUser | null): user is CurrentUser {
  return user !== null && !user.disabled && DIRECTORY_ROLES.includes(user.role);
}

/** A closed (disabled) account is listed and shown to editors only; to members it does not exist. */
export function canSeeMember(viewer: CurrentUser | null, target: { disabled: boolean }): boolean {
  return canUseDirectory(viewer) && (!target.disabled || isDirectoryEditor(viewer));
}

/**
 * Contact details (the email address) only of members who agreed to be contacted; the
 * member themselves and editors always see them.
 */
export function canSeeContact(viewer: CurrentUser | null, target: { id: string; contactable: boolean }): boolean {
  if (!canUseDirectory(viewer)) return false;
  return target.contactable || viewer.id === target.id || isDirectoryEditor(viewer);
}
