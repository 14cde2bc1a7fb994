import { ActionError } from 'astro:actions';
import { defineAction } from '~/actions/define.ts';
import { z } from 'astro:schema';
import { now } from '~/lib/clock.ts';
import { db } from '~/server/db/index.ts';
import { MAX_RESPONSE_LINKS } from '~/lib/exchange/catalogue.ts';
import { withdrawResponse } from '~/server/exchange/responses.ts';
import { canAcceptResponses, canEditResponse, canRespond, canWithdrawResponse } from '~/server/exchange/rules.ts';
import { acceptAnswer, answerRequest, reviseAnswer } from '~/server/exchange/workflows.ts';
import { MARKDOWN_MAX_LENGTH } from '~/server/markdown.ts';
import { cleanText, id, text } from '~/actions/fields.ts';
import { notifier, requestLanguage } from '~/actions/request.ts';
import { facts, forbid, responseFacts, signedIn, throttleWrites, visibleRequest, visibleResponse } from './access.ts';
import { attachments, chosenFiles } from '~/actions/files.ts';

// Error messages are i18n keys; pages translate them (see src/lib/forms.ts).

/** One http(s) URL per line; blank lines ignored. */
const links = z
  .preprocess((value) => (typeof value === 'string' ? value : ''), cleanText().max(MAX_RESPONSE_LINKS * 500, 'form.tooLong'))
  .transform((value) => value.split(/\r?\n/).map((line) => line.trim()).filter(Boolean))
  .refine((list) => list.length <= MAX_RESPONSE_LINKS, 'exchange.error.tooManyLinks')
  .refine((list) => list.every((link) => /^https?:\/\/[^\s<>"]+$/i.test(link) && URL.canParse(link)), 'exchange.error.linkFormat');

/** Answering a request: responding, editing and withdrawing; the requesting town accepting. */
export const responseActions = {
  respond: defineAction({
    accept: 'form',
    input: z.object({ request: id(), body: text(MARKDOWN_MAX_LENGTH, 10), links, attachments }),
    handler: async (input, context) => {
      const user = signedIn(context);
      const request = await visibleRequest(input.request, user);
      if (!canRespond(user, facts(request))) forbid(user.town?.id === request.townId ? 'exchange.error.ownTown' : 'exchange.error.notOpen');
      await throttleWrites(user, 'response');
      const author = { id: user.id, townId: user.town.id, townName: user.town.name };
      const upload = { files: await chosenFiles(input.attachments, user.town.id), townId: user.town.id };
      const responseId = await answerRequest(db(), notifier(), { request, author, body: input.body, links: input.links, upload });
      return { id: responseId, request: request.id };
    },
  }),

  editResponse: defineAction({
    accept: 'form',
    input: z.object({ response: id(), body: text(MARKDOWN_MAX_LENGTH, 10), links, attachments }),
    handler: async (input, context) => {
      const user = signedIn(context);
      const { response, request } = await visibleResponse(input.response, user);
      if (!canEditResponse(user, responseFacts(response), now())) forbid('exchange.error.editClosed');
      const townId = user.town?.id ?? null;
      const upload = { files: await chosenFiles(input.attachments, townId), townId };
      await reviseAnswer(db(), { responseId: response.id, actorId: user.id, body: input.body, links: input.links, upload });
      return { id: response.id, request: request.id };
    },
  }),

  withdrawResponse: defineAction({
    accept: 'form',
    input: z.object({ response: id() }),
    handler: async (input, context) => {
      const user = signedIn(context);
      const { response, request } = await visibleResponse(input.response, user);
      if (!canWithdrawResponse(user, responseFacts(response))) forbid();
      await withdrawResponse(db(), { id: response.id, requestId: request.id, authorId: user.id });
      return { withdrawn: true };
    },
  }),

  accept: defineAction({
    accept: 'form',
    input: z.object({ response: id() }),
    handler: async (input, context) => {
      const user = signedIn(context);
      const { response, request } = await visibleResponse(input.response, user);
      if (!canAcceptResponses(user, facts(request))) forbid();
      if (response.withdrawn || response.hidden) forbid('exchange.error.responseGone');
      if (!(await acceptAnswer(db(), notifier(), { request, response, actorId: user.id, language: requestLanguage(context) }))) {
        throw new ActionError({ code: 'CONFLICT', message: 'exchange.error.alreadyAccepted' });
      }
      return { accepted: response.id };
    },
  }),
};
