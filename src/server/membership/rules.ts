import type { CurrentUser } from '~/server/auth/lucia.ts';
import type { Language } from '~/i18n/index.ts';

/** Editors and administrators review membership applications (of towns and of partners). */
export function canReviewApplications(user: CurrentUser | null): boolean {
  return user?.role === 'editor' || user?.role === 'admin';
}

/** A town administrator invites colleagues, always into their own town. */
export function canInviteColleagues(user: CurrentUser | null): user is CurrentUser & { town: NonNullable<CurrentUser['town']> } {
  return user?.role === 'town_admin' && user.town !== null && !user.disabled;
}

/** A partner's account invites colleagues into its own organisation (partners have one role, so each may). */
export function canInvitePartnerColleagues(user: CurrentUser | null): user is CurrentUser & { partner: NonNullable<CurrentUser['partner']> } {
  return user?.role === 'partner' && !!user.partner && !user.disabled;
}

/** The organisation whose accounts a user manages: a town, a partner, or none. */
export type ColleagueOrganisation =
  | { kind: 'town'; id: number; name: Record<Language, string>; invitedRole: 'member' }
  | { kind: 'partner'; id: number; name: string; invitedRole: 'partner' };

/** Where the user invites colleagues to, and with which role; null when they may not. */
export function colleagueOrganisation(user: CurrentUser | null): ColleagueOrganisation | null {
  if (canInviteColleagues(user)) return { kind: 'town', id: user.town.id, name: user.town.name, invitedRole: 'member' };
  if (canInvitePartnerColleagues(user)) return { kind: 'partner', id: user.partner.id, name: user.partner.name, invitedRole: 'partner' };
  return null;
}

/**
 * Removes a colleague of the same organisation (not themselves): a town administrator
 * removes a member of the town (not another administrator); a partner's account removes
 * another account of the same partner.
 */
export function canRemoveColleague(user: CurrentUser | null, target: { id: string; townId: number | null; role: string; partnerId?: number | null }): boolean {
  if (target.id === user?.id) return false;
  if (canInviteColleagues(user)) return target.townId === user.town.id && target.role === 'member';
  if (canInvitePartnerColleagues(user)) return target.partnerId === user.partner.id && target.role === 'partner';
  return false;
}
