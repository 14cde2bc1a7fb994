import { isCommunityRule } from '~/lib/community-rules.ts';
import { ActionError, type ActionAPIContext } from 'astro:actions';
import { defineAction } from '~/actions/define.ts';
import { z } from 'astro:schema';
import type { CurrentUser } from '~/server/auth/lucia.ts';
import { db } from '~/server/db/index.ts';
import { setRequestHidden } from '~/server/exchange/requests.ts';
import { setResponseHidden } from '~/server/exchange/responses.ts';
import { canModerate } from '~/server/exchange/rules.ts';
import { hideRequest, hideResponse } from '~/server/exchange/workflows.ts';
import { id, text } from '~/actions/fields.ts';
import { notifier } from '~/actions/request.ts';
import { forbid, signedIn, visibleRequest, visibleResponse } from './access.ts';

// Error messages are i18n keys; pages translate them (see src/lib/forms.ts).

const reason = text(500, 5);
/** The community rule the post breaks (the form asks for it). */
const rule = z.string().refine((value) => value === '' || isCommunityRule(value), 'rules.problem.unknown').optional();
const named = (value: string | undefined) => (isCommunityRule(value) ? value : null);

/** The signed-in editor, who may moderate; 401 or 403 otherwise. */
function moderator(context: ActionAPIContext): CurrentUser {
  const user = signedIn(context);
  if (!canModerate(user)) forbid();
  return user;
}

/** Hiding what is hidden, or showing what is shown, is a conflict: another editor was quicker. */
function refuseUnchanged(hidden: boolean, hide: boolean): void {
  if (hidden === hide) throw new ActionError({ code: 'CONFLICT', message: hide ? 'exchange.error.alreadyHidden' : 'exchange.error.notHidden' });
}

/** Editors hide a request or a response, saying why to its author, and show it again. */
export const moderationActions = {
  hideRequest: defineAction({
    accept: 'form',
    input: z.object({ request: id(), reason, rule }),
    handler: async (input, context) => {
      const user = moderator(context);
      const request = await visibleRequest(input.request, user);
      refuseUnchanged(request.hidden, true);
      await hideRequest(db(), notifier(), { request, actorId: user.id, reason: input.reason, rule: named(input.rule) });
      return { hidden: true };
    },
  }),

  unhideRequest: defineAction({
    accept: 'form',
    input: z.object({ request: id() }),
    handler: async (input, context) => {
      const user = moderator(context);
      const request = await visibleRequest(input.request, user);
      refuseUnchanged(request.hidden, false);
      await setRequestHidden(db(), request.id, { actorId: user.id, reason: null });
      return { hidden: false };
    },
  }),

  hideResponse: defineAction({
    accept: 'form',
    input: z.object({ response: id(), reason, rule }),
    handler: async (input, context) => {
      const user = moderator(context);
      const { response, request } = await visibleResponse(input.response, user);
      refuseUnchanged(response.hidden, true);
      await hideResponse(db(), notifier(), { request, response, actorId: user.id, reason: input.reason, rule: named(input.rule) });
      return { hidden: true };
    },
  }),

  unhideResponse: defineAction({
    accept: 'form',
    input: z.object({ response: id() }),
    handler: async (input, context) => {
      const user = moderator(context);
      const { response, request } = await visibleResponse(input.response, user);
      refuseUnchanged(response.hidden, false);
      await setResponseHidden(db(), { id: response.id, requestId: request.id }, { actorId: user.id, reason: null });
      return { hidden: false };
    },
  }),
};
