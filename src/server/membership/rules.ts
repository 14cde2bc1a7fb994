import type { CurrentUser } from '~/server/auth/lucia.ts';

/** Editors and administrators review membership applications. */
export function canReviewApplications(user: CurrentUser | null): boolean {
  return user?.role === 'editor' || user?.role === 'admin';
}

/** A town administrator invites colleagues, always into their own town. */
export function canInviteColleagues(user: CurrentUser | null): user is CurrentUser & { town: NonNullable<CurrentUser['town']> } {
  return user?.role === 'town_admin' && user.town !== null;
}

/** A town administrator removes a member of their own town (not themselves, not another admin). */
export function canRemoveColleague(user: CurrentUser | null, target: { id: string; townId: number | null; role: string }): boolean {
  return canInviteColleagues(user) && target.townId === user.town.id && target.id !== user.id && target.role === 'member';
}
