import { ActionError } from 'astro:actions';
import { defineAction } from '~/actions/define.ts';
import { z } from 'astro:schema';
import { almatyDate } from '~/lib/knowledge/status.ts';
import { publishedCaseCounts } from '~/server/exchange/case-counts.ts';
import { caseDraftPath } from '~/server/cases/drafts.ts';
import { db } from '~/server/db/index.ts';
import { HELP_FORMS, URGENCIES, WORKING_LANGUAGES } from '~/lib/exchange/catalogue.ts';
import { changeRequestStatus, withdrawRequest } from '~/server/exchange/requests.ts';
import { canEditRequest, canInviteToRequest, canPostRequest, canResolveRequest, canStartCase, canWithdrawRequest } from '~/server/exchange/rules.ts';
import { setWatchedTopics } from '~/server/exchange/watches.ts';
import { caseFromRequest, findInvitable, inviteToAnswer, postRequest, reviseRequest } from '~/server/exchange/workflows.ts';
import { MARKDOWN_MAX_LENGTH, renderMarkdown } from '~/server/markdown.ts';
import { choice, cleanText, id, oneLine, text, topic, topics, userId } from '~/actions/fields.ts';
import { notifier, requestLanguage } from '~/actions/request.ts';
import { facts, forbid, signedIn, throttleWrites, visibleRequest } from './access.ts';
import { attachments, chosenFiles } from '~/actions/files.ts';

// Error messages are i18n keys; pages translate them (see src/lib/forms.ts).

const requestInput = z.object({
  request: id().optional(),
  title: oneLine(150, 5),
  body: text(MARKDOWN_MAX_LENGTH, 20),
  helpForms: z.array(choice(HELP_FORMS, 'exchange.error.unknownHelpForm'), { required_error: 'exchange.error.helpFormRequired' }).min(1, 'exchange.error.helpFormRequired').max(HELP_FORMS.length, 'form.tooLong'),
  topics: z.array(topic('exchange.error.unknownTopic'), { required_error: 'exchange.error.topicRequired' }).min(1, 'exchange.error.topicRequired').max(3, 'exchange.error.tooManyTopics'),
  languages: z.array(choice(WORKING_LANGUAGES, 'exchange.error.unknownLanguage'), { required_error: 'exchange.error.languageRequired' }).min(1, 'exchange.error.languageRequired').max(3, 'form.tooLong'),
  urgency: choice(URGENCIES, 'exchange.error.unknownUrgency'),
  // An empty date field arrives as undefined.
  deadline: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, 'exchange.error.deadlineFormat')
    .refine((value) => !Number.isNaN(Date.parse(`${value}T00:00:00Z`)) && new Date(`${value}T00:00:00Z`).toISOString().startsWith(value), 'exchange.error.deadlineFormat')
    .refine((value) => value >= almatyDate(new Date()), 'exchange.error.deadlinePast')
    .refine((value) => value <= `${new Date().getUTCFullYear() + 2}-12-31`, 'exchange.error.deadlineFar')
    .optional(),
  intent: choice(['draft', 'publish'] as const).default('draft'),
  attachments,
});

const caseCounts = () => publishedCaseCounts(db());

/** Asking for help: writing, publishing and closing a request; inviting; watching topics. */
export const requestActions = {
  /** Renders markdown for the "Preview" button; stores nothing. */
  preview: defineAction({
    accept: 'form',
    input: z.object({ body: cleanText().max(MARKDOWN_MAX_LENGTH, 'form.tooLong').default('') }),
    handler: async (input, context) => {
      signedIn(context);
      return { preview: renderMarkdown(input.body) };
    },
  }),

  saveRequest: defineAction({
    accept: 'form',
    input: requestInput,
    handler: async (input, context) => {
      const user = signedIn(context);
      if (!canPostRequest(user)) forbid('exchange.error.noTown');
      const values = { title: input.title, body: input.body, helpForms: input.helpForms, topics: input.topics, languages: input.languages, urgency: input.urgency, deadline: input.deadline ?? null };
      const publish = input.intent === 'publish';
      const lang = requestLanguage(context);
      if (input.request === undefined) {
        await throttleWrites(user, 'request');
        const author = { id: user.id, townId: user.town.id, townName: user.town.name };
        const upload = { files: await chosenFiles(input.attachments, user.town.id), townId: user.town.id };
        const requestId = await postRequest(db(), notifier(), { author, input: values, publish, caseCounts, upload });
        return { id: requestId, published: publish };
      }
      const existing = await visibleRequest(input.request, user);
      if (!canEditRequest(user, facts(existing))) forbid();
      const upload = { files: await chosenFiles(input.attachments, user.town.id), townId: user.town.id };
      const { published } = await reviseRequest(db(), notifier(), { request: existing, actorId: user.id, input: values, publish, townName: existing.town.name, caseCounts, upload });
      return { id: existing.id, published };
    },
  }),

  markInProgress: defineAction({
    accept: 'form',
    input: z.object({ request: id() }),
    handler: async (input, context) => {
      const user = signedIn(context);
      const request = await visibleRequest(input.request, user);
      if (!canResolveRequest(user, facts(request)) || request.status !== 'open') forbid('exchange.error.notOpen');
      await changeRequestStatus(db(), request.id, { actorId: user.id, status: 'in_progress' });
      return { status: 'in_progress' as const };
    },
  }),

  resolve: defineAction({
    accept: 'form',
    input: z.object({ request: id(), outcome: text(2000, 10) }),
    handler: async (input, context) => {
      const user = signedIn(context);
      const request = await visibleRequest(input.request, user);
      if (!canResolveRequest(user, facts(request))) forbid('exchange.error.notOpen');
      await changeRequestStatus(db(), request.id, { actorId: user.id, status: 'resolved', outcome: input.outcome });
      return { status: 'resolved' as const };
    },
  }),

  withdrawRequest: defineAction({
    accept: 'form',
    input: z.object({ request: id() }),
    handler: async (input, context) => {
      const user = signedIn(context);
      const request = await visibleRequest(input.request, user);
      if (!canWithdrawRequest(user, facts(request))) forbid();
      await withdrawRequest(db(), request.id, user.id);
      return { withdrawn: true };
    },
  }),

  invite: defineAction({
    accept: 'form',
    input: z.object({ request: id(), member: userId() }),
    handler: async (input, context) => {
      const user = signedIn(context);
      const request = await visibleRequest(input.request, user);
      if (!canInviteToRequest(user, facts(request))) forbid('exchange.error.notOpen');
      const member = await findInvitable(db(), input.member, request);
      if (!member) forbid('exchange.error.notInvitable');
      await throttleWrites(user, 'invite');
      const invitation = { request, memberId: member.id, inviter: { id: user.id, displayName: user.displayName }, language: requestLanguage(context) };
      if (!(await inviteToAnswer(db(), notifier(), invitation))) {
        throw new ActionError({ code: 'CONFLICT', message: 'exchange.error.alreadyInvited' });
      }
      return { invited: member.displayName };
    },
  }),

  startCase: defineAction({
    accept: 'form',
    input: z.object({ request: id() }),
    handler: async (input, context) => {
      const user = signedIn(context);
      const request = await visibleRequest(input.request, user);
      if (!canStartCase(user, facts(request))) forbid('exchange.error.notResolved');
      const lang = requestLanguage(context);
      const caseId = await caseFromRequest(db(), { request, authorId: user.id, language: lang });
      return { draftPath: caseDraftPath(lang, caseId) };
    },
  }),

  watch: defineAction({
    accept: 'form',
    input: z.object({ topics: topics('exchange.error.unknownTopic') }),
    handler: async (input, context) => {
      const user = signedIn(context);
      await setWatchedTopics(db(), user.id, input.topics);
      return { topics: input.topics };
    },
  }),
};
