import { RESPONSE_EDIT_WINDOW_SECONDS } from '~/lib/exchange/catalogue.ts';
import type { CurrentUser } from '~/server/auth/lucia.ts';
import type { RequestStatus, Role } from '~/server/db/schema.ts';

/**
 * Who may do what in the expertise exchange. Every page and action asks these
 * functions, with the record loaded from the database, never trusting the form.
 * tests/unit/exchange-rules.test.ts holds them as a table of role × action.
 */

/** What the rules need to know about a request. */
export interface RequestFacts {
  townId: number;
  authorId: string;
  status: RequestStatus;
  hidden: boolean;
}

/** What the rules need to know about a response. */
export interface ResponseFacts {
  authorId: string;
  createdAt: number;
  accepted: boolean;
  withdrawn: boolean;
  hidden: boolean;
}

type Member = CurrentUser & { town: NonNullable<CurrentUser['town']> };

/** The roles that use the exchange: the members' peer space, never partners (deny by default). */
const EXCHANGE_ROLES: readonly Role[] = ['member', 'town_admin', 'editor', 'admin'];

/** Only signed-in, active accounts of the roles above see the exchange; nothing of it is public. */
export function canUseExchange(user: CurrentUser | null): user is CurrentUser {
  return user !== null && !user.disabled && EXCHANGE_ROLES.includes(user.role);
}

/** Editors and administrators moderate. */
export function canModerate(user: CurrentUser | null): boolean {
  return canUseExchange(user) && (user.role === 'editor' || user.role === 'admin');
}

/** Requests are posted on behalf of a town, so the poster needs one. */
export function canPostRequest(user: CurrentUser | null): user is Member {
  return canUseExchange(user) && user.town !== null;
}

/** Whether the user belongs to the requesting town. */
export function isRequestingTown(user: CurrentUser | null, request: RequestFacts): user is Member {
  return canPostRequest(user) && user.town.id === request.townId;
}

/**
 * Members see published requests; drafts and withdrawn requests stay with the town
 * (and editors, for withdrawn ones); a hidden request disappears for everyone but
 * its author and editors.
 */
export function canViewRequest(user: CurrentUser | null, request: RequestFacts): boolean {
  if (!canUseExchange(user)) return false;
  const author = user.id === request.authorId;
  if (request.status === 'draft') return isRequestingTown(user, request);
  if (request.hidden) return author || canModerate(user);
  if (request.status === 'withdrawn') return isRequestingTown(user, request) || canModerate(user);
  return true;
}

/** The requesting town edits its request until it is resolved or withdrawn. */
export function canEditRequest(user: CurrentUser | null, request: RequestFacts): boolean {
  return isRequestingTown(user, request) && ['draft', 'open', 'in_progress'].includes(request.status);
}

/** The requesting town accepts responses while the request is open or in progress. */
export function canAcceptResponses(user: CurrentUser | null, request: RequestFacts): boolean {
  return isRequestingTown(user, request) && !request.hidden && (request.status === 'open' || request.status === 'in_progress');
}

/** The requesting town marks the request in progress or resolved. */
export function canResolveRequest(user: CurrentUser | null, request: RequestFacts): boolean {
  return canAcceptResponses(user, request);
}

/** The author withdraws their own request, unless it is already resolved or withdrawn. */
export function canWithdrawRequest(user: CurrentUser | null, request: RequestFacts): boolean {
  return canUseExchange(user) && user.id === request.authorId && ['draft', 'open', 'in_progress'].includes(request.status);
}

/** The requesting town turns a resolved request's outcome into a case draft. */
export function canStartCase(user: CurrentUser | null, request: RequestFacts): boolean {
  return isRequestingTown(user, request) && request.status === 'resolved' && !request.hidden;
}

/** Members of other towns answer open requests; a town does not answer itself. */
export function canRespond(user: CurrentUser | null, request: RequestFacts): user is Member {
  return canPostRequest(user) && user.town.id !== request.townId && !request.hidden && (request.status === 'open' || request.status === 'in_progress');
}

/** Members invite others to answer a request they can see and that is still open. */
export function canInviteToRequest(user: CurrentUser | null, request: RequestFacts): boolean {
  return canViewRequest(user, request) && !request.hidden && (request.status === 'open' || request.status === 'in_progress');
}

/** Whether a response is shown to the user: hidden ones only to their author and editors. */
export function canViewResponse(user: CurrentUser | null, response: ResponseFacts): boolean {
  if (!canUseExchange(user)) return false;
  if (response.hidden) return user.id === response.authorId || canModerate(user);
  return true;
}

/** The author edits their response for a while after posting, and never once it is accepted. */
export function canEditResponse(user: CurrentUser | null, response: ResponseFacts, now: number): boolean {
  return (
    canUseExchange(user) &&
    user.id === response.authorId &&
    !response.accepted &&
    !response.withdrawn &&
    !response.hidden &&
    now - response.createdAt <= RESPONSE_EDIT_WINDOW_SECONDS
  );
}

/** The author withdraws their own response unless it has been accepted. */
export function canWithdrawResponse(user: CurrentUser | null, response: ResponseFacts): boolean {
  return canUseExchange(user) && user.id === response.authorId && !response.accepted && !response.withdrawn;
}
