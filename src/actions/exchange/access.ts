import { ActionError, type ActionAPIContext } from 'astro:actions';
import type { CurrentUser } from '~/server/auth/lucia.ts';
import { db } from '~/server/db/index.ts';
import { getRequest, type HelpRequest } from '~/server/exchange/requests.ts';
import { getResponse, type HelpResponse } from '~/server/exchange/responses.ts';
import { canUseExchange, canViewRequest, canViewResponse, type RequestFacts, type ResponseFacts } from '~/server/exchange/rules.ts';
import { throttle } from '~/actions/request.ts';

// What every exchange action asks first: who is signing, what they may see.
// Error messages are i18n keys; pages translate them (see src/lib/forms.ts).

const WRITES_PER_HOUR = { limit: 30, windowSeconds: 60 * 60 };

/** The facts the rules read about a request. */
export function facts(request: HelpRequest): RequestFacts {
  return { townId: request.townId, authorId: request.authorId, status: request.status, hidden: request.hidden };
}

/** The facts the rules read about a response. */
export function responseFacts(response: HelpResponse): ResponseFacts {
  return { authorId: response.authorId, createdAt: response.createdAt, accepted: response.accepted, withdrawn: response.withdrawn, hidden: response.hidden };
}

/** The signed-in user, or 401. */
export function signedIn(context: ActionAPIContext): CurrentUser {
  const { user } = context.locals;
  if (!canUseExchange(user)) throw new ActionError({ code: 'UNAUTHORIZED', message: 'auth.signInRequired' });
  return user;
}

/** The request, if this user may see it; otherwise "not found", so nothing leaks about it. */
export async function visibleRequest(requestId: number, user: CurrentUser): Promise<HelpRequest> {
  const request = await getRequest(db(), requestId);
  if (!request || !canViewRequest(user, facts(request))) throw new ActionError({ code: 'NOT_FOUND', message: 'exchange.error.notFound' });
  return request;
}

/** The response and its request, if this user may see both. */
export async function visibleResponse(responseId: number, user: CurrentUser): Promise<{ response: HelpResponse; request: HelpRequest }> {
  const response = await getResponse(db(), responseId);
  if (!response || !canViewResponse(user, responseFacts(response))) throw new ActionError({ code: 'NOT_FOUND', message: 'exchange.error.notFound' });
  return { response, request: await visibleRequest(response.requestId, user) };
}

/** Refuses with 403 and a message key. */
export function forbid(message = 'exchange.error.forbidden'): never {
  throw new ActionError({ code: 'FORBIDDEN', message });
}

/** Counts one write of a kind (request, response, invite) for the member; 429 past the hour's limit. */
export function throttleWrites(user: CurrentUser, what: string): Promise<void> {
  return throttle(`exchange:${what}:${user.id}`, WRITES_PER_HOUR, 'exchange.error.throttled');
}
