import { ActionError, defineAction, type ActionAPIContext } from 'astro:actions';
import { z } from 'astro:schema';
import { isLanguage, type Language } from '../i18n/index.ts';
import { almatyDate } from '../lib/knowledge/status.ts';
import { TAXONOMIES } from '../schemas/taxonomy.ts';
import type { CurrentUser } from '../server/auth/lucia.ts';
import { db } from '../server/db/index.ts';
import { HELP_FORMS, MAX_RESPONSE_LINKS, URGENCIES, WORKING_LANGUAGES } from '../lib/exchange/catalogue.ts';
import { getRequest, changeRequestStatus, createRequest, setRequestHidden, updateRequest, withdrawRequest, type HelpRequest } from '../server/exchange/requests.ts';
import { acceptResponse, addResponse, editResponse, getResponse, inviteToRequest, listResponses, setResponseHidden, withdrawResponse, type HelpResponse } from '../server/exchange/responses.ts';
import { caseDraftPath, createCaseDraft } from '../server/cases/drafts.ts';
import {
  canAcceptResponses,
  canEditRequest,
  canEditResponse,
  canInviteToRequest,
  canModerate,
  canPostRequest,
  canRespond,
  canResolveRequest,
  canStartCase,
  canUseExchange,
  canViewRequest,
  canViewResponse,
  canWithdrawRequest,
  canWithdrawResponse,
  type RequestFacts,
} from '../server/exchange/rules.ts';
import { refreshSuggestions } from '../server/exchange/suggestions.ts';
import { setWatchedTopics, watchersOf } from '../server/exchange/watches.ts';
import { publishedCaseCounts } from '../server/exchange/case-counts.ts';
import { mailer } from '../server/mail/index.ts';
import { MARKDOWN_MAX_LENGTH, renderMarkdown } from '../server/markdown.ts';
import { notify } from '../server/notifications/notifications.ts';
import type { NotificationKind } from '../server/notifications/kinds.ts';
import { consumeRateLimit } from '../server/rate-limit.ts';
import { publicBaseUrl } from './request.ts';

// Error messages are i18n keys; pages translate them (see src/lib/forms.ts).

const KNOWN_TOPICS = new Set(TAXONOMIES.topics.map((term) => term.id));
const required = z.string({ required_error: 'form.required', invalid_type_error: 'form.required' });
/** Browsers send textarea line breaks as CRLF but count them as one character. */
const text = (min: number, max: number) =>
  z.preprocess((value) => (typeof value === 'string' ? value.replace(/\r\n?/g, '\n') : value), required.trim().min(1, 'form.required').min(min, 'form.tooShort').max(max, 'form.tooLong'));
const oneLine = (min: number, max: number) => required.refine((value) => !/[\r\n]/.test(value), 'form.noLineBreaks').pipe(required.trim().min(1, 'form.required').min(min, 'form.tooShort').max(max, 'form.tooLong'));
const id = z.coerce.number({ invalid_type_error: 'form.invalid' }).int('form.invalid').positive('form.invalid').max(Number.MAX_SAFE_INTEGER, 'form.invalid');
const reason = text(5, 500);

const requestInput = z.object({
  request: id.optional(),
  title: oneLine(5, 150),
  body: text(20, MARKDOWN_MAX_LENGTH),
  helpForms: z.array(z.enum(HELP_FORMS, { errorMap: () => ({ message: 'exchange.error.unknownHelpForm' }) }), { required_error: 'exchange.error.helpFormRequired' }).min(1, 'exchange.error.helpFormRequired').max(HELP_FORMS.length, 'form.tooLong'),
  topics: z
    .array(z.string().refine((topic) => KNOWN_TOPICS.has(topic), 'exchange.error.unknownTopic'), { required_error: 'exchange.error.topicRequired' })
    .min(1, 'exchange.error.topicRequired')
    .max(3, 'exchange.error.tooManyTopics'),
  languages: z.array(z.enum(WORKING_LANGUAGES, { errorMap: () => ({ message: 'exchange.error.unknownLanguage' }) }), { required_error: 'exchange.error.languageRequired' }).min(1, 'exchange.error.languageRequired').max(3, 'form.tooLong'),
  urgency: z.enum(URGENCIES, { errorMap: () => ({ message: 'exchange.error.unknownUrgency' }) }),
  // An empty date field arrives as undefined.
  deadline: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, 'exchange.error.deadlineFormat')
    .refine((value) => !Number.isNaN(Date.parse(`${value}T00:00:00Z`)) && new Date(`${value}T00:00:00Z`).toISOString().startsWith(value), 'exchange.error.deadlineFormat')
    .refine((value) => value >= almatyDate(new Date()), 'exchange.error.deadlinePast')
    .refine((value) => value <= `${new Date().getUTCFullYear() + 2}-12-31`, 'exchange.error.deadlineFar')
    .optional(),
  intent: z.enum(['draft', 'publish'], { errorMap: () => ({ message: 'form.invalid' }) }).default('draft'),
});

/** One http(s) URL per line; blank lines ignored. */
const links = z
  .preprocess((value) => (typeof value === 'string' ? value : ''), z.string().max(MAX_RESPONSE_LINKS * 500, 'form.tooLong'))
  .transform((value) => value.split(/\r?\n/).map((line) => line.trim()).filter(Boolean))
  .refine((list) => list.length <= MAX_RESPONSE_LINKS, 'exchange.error.tooManyLinks')
  .refine((list) => list.every((link) => /^https?:\/\/[^\s<>"]+$/i.test(link) && URL.canParse(link)), 'exchange.error.linkFormat');

const WRITES_PER_HOUR = { limit: 30, windowSeconds: 60 * 60 };

function language(context: ActionAPIContext): Language {
  return isLanguage(context.params.lang) ? context.params.lang : 'kk';
}

function facts(request: HelpRequest): RequestFacts {
  return { townId: request.townId, authorId: request.authorId, status: request.status, hidden: request.hidden };
}

function responseFacts(response: HelpResponse) {
  return { authorId: response.authorId, createdAt: response.createdAt, accepted: response.accepted, withdrawn: response.withdrawn, hidden: response.hidden };
}

function signedIn(context: ActionAPIContext): CurrentUser {
  const { user } = context.locals;
  if (!canUseExchange(user)) throw new ActionError({ code: 'UNAUTHORIZED', message: 'auth.signInRequired' });
  return user;
}

/** The request, if this user may see it; otherwise "not found", so nothing leaks about it. */
async function visibleRequest(requestId: number, user: CurrentUser): Promise<HelpRequest> {
  const request = await getRequest(db(), requestId);
  if (!request || !canViewRequest(user, facts(request))) throw new ActionError({ code: 'NOT_FOUND', message: 'exchange.error.notFound' });
  return request;
}

/** The response and its request, if this user may see both. */
async function visibleResponse(responseId: number, user: CurrentUser): Promise<{ response: HelpResponse; request: HelpRequest }> {
  const response = await getResponse(db(), responseId);
  if (!response || !canViewResponse(user, responseFacts(response))) throw new ActionError({ code: 'NOT_FOUND', message: 'exchange.error.notFound' });
  return { response, request: await visibleRequest(response.requestId, user) };
}

function forbid(message = 'exchange.error.forbidden'): never {
  throw new ActionError({ code: 'FORBIDDEN', message });
}

async function throttle(user: CurrentUser, what: string): Promise<void> {
  const limit = await consumeRateLimit(db(), `exchange:${what}:${user.id}`, WRITES_PER_HOUR);
  if (!limit.allowed) throw new ActionError({ code: 'TOO_MANY_REQUESTS', message: 'exchange.error.throttled' });
}

async function tell(context: ActionAPIContext, userIds: Iterable<string>, kind: NotificationKind, params: Record<string, string>, link: string): Promise<void> {
  const actor = context.locals.user?.id;
  for (const userId of new Set(userIds)) {
    if (userId !== actor) await notify(db(), mailer(), { userId, kind, params, link }, publicBaseUrl(context));
  }
}

/** Scores a published request once, so its page reads the answer (see suggestions.ts). */
async function scoreRequest(request: { id: number; townId: number; topics: readonly string[]; languages: readonly string[] }): Promise<void> {
  await refreshSuggestions(db(), request, await publishedCaseCounts(db()));
}

async function tellWatchers(context: ActionAPIContext, request: { id: number; title: string; townId: number; topics: readonly string[] }, townName: string): Promise<void> {
  const watchers = await watchersOf(db(), request.topics, request.townId);
  await tell(context, watchers, 'exchange.new_request', { title: request.title, town: townName }, `exchange/${request.id}/`);
}

/** Requests, responses, moderation and topic watches of the expertise exchange. */
export const exchangeActions = {
  /** Renders markdown for the "Preview" button; stores nothing. */
  preview: defineAction({
    accept: 'form',
    input: z.object({ body: z.string().max(MARKDOWN_MAX_LENGTH, 'form.tooLong').default('') }),
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
      if (input.request === undefined) {
        await throttle(user, 'request');
        const requestId = await createRequest(db(), { townId: user.town.id, authorId: user.id, input: values, publish });
        if (publish) {
          await scoreRequest({ id: requestId, ...values, townId: user.town.id });
          await tellWatchers(context, { id: requestId, ...values, townId: user.town.id }, user.town.name[language(context)]);
        }
        return { id: requestId, published: publish };
      }
      const existing = await visibleRequest(input.request, user);
      if (!canEditRequest(user, facts(existing))) forbid();
      const { published } = await updateRequest(db(), existing.id, { actorId: user.id, input: values, publish });
      if (published || existing.status !== 'draft') await scoreRequest({ id: existing.id, ...values, townId: existing.townId });
      if (published) await tellWatchers(context, { id: existing.id, ...values, townId: existing.townId }, existing.town.name[language(context)]);
      return { id: existing.id, published: published || existing.status !== 'draft' };
    },
  }),

  respond: defineAction({
    accept: 'form',
    input: z.object({ request: id, body: text(10, MARKDOWN_MAX_LENGTH), links }),
    handler: async (input, context) => {
      const user = signedIn(context);
      const request = await visibleRequest(input.request, user);
      if (!canRespond(user, facts(request))) forbid(user.town?.id === request.townId ? 'exchange.error.ownTown' : 'exchange.error.notOpen');
      await throttle(user, 'response');
      const responseId = await addResponse(db(), { requestId: request.id, authorId: user.id, townId: user.town.id, body: input.body, links: input.links });
      await tell(context, [request.authorId], 'exchange.response_received', { title: request.title, town: user.town.name[language(context)] }, `exchange/${request.id}/#response-${responseId}`);
      return { id: responseId, request: request.id };
    },
  }),

  editResponse: defineAction({
    accept: 'form',
    input: z.object({ response: id, body: text(10, MARKDOWN_MAX_LENGTH), links }),
    handler: async (input, context) => {
      const user = signedIn(context);
      const { response, request } = await visibleResponse(input.response, user);
      if (!canEditResponse(user, responseFacts(response), Math.floor(Date.now() / 1000))) forbid('exchange.error.editClosed');
      await editResponse(db(), response.id, { body: input.body, links: input.links });
      return { id: response.id, request: request.id };
    },
  }),

  withdrawResponse: defineAction({
    accept: 'form',
    input: z.object({ response: id }),
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
    input: z.object({ response: id }),
    handler: async (input, context) => {
      const user = signedIn(context);
      const { response, request } = await visibleResponse(input.response, user);
      if (!canAcceptResponses(user, facts(request))) forbid();
      if (response.withdrawn || response.hidden) forbid('exchange.error.responseGone');
      if (!(await acceptResponse(db(), { requestId: request.id, responseId: response.id, actorId: user.id }))) {
        throw new ActionError({ code: 'CONFLICT', message: 'exchange.error.alreadyAccepted' });
      }
      await tell(context, [response.authorId], 'exchange.response_accepted', { title: request.title, town: request.town.name[language(context)] }, `exchange/${request.id}/#response-${response.id}`);
      return { accepted: response.id };
    },
  }),

  markInProgress: defineAction({
    accept: 'form',
    input: z.object({ request: id }),
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
    input: z.object({ request: id, outcome: text(10, 2000) }),
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
    input: z.object({ request: id }),
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
    input: z.object({ request: id, member: z.string().regex(/^[A-Za-z0-9_-]{10,40}$/, 'form.invalid') }),
    handler: async (input, context) => {
      const user = signedIn(context);
      const request = await visibleRequest(input.request, user);
      if (!canInviteToRequest(user, facts(request))) forbid('exchange.error.notOpen');
      const member = await db().selectFrom('users').select(['id', 'display_name', 'town_id', 'contactable', 'disabled_at']).where('id', '=', input.member).executeTakeFirst();
      // Only members who opted in to contact, outside the requesting town, can be invited.
      if (!member || member.disabled_at !== null || member.contactable !== 1 || member.town_id === null || member.town_id === request.townId) {
        forbid('exchange.error.notInvitable');
      }
      await throttle(user, 'invite');
      if (!(await inviteToRequest(db(), { requestId: request.id, userId: member.id, invitedBy: user.id }))) {
        throw new ActionError({ code: 'CONFLICT', message: 'exchange.error.alreadyInvited' });
      }
      await tell(context, [member.id], 'exchange.invited', { title: request.title, town: request.town.name[language(context)], name: user.displayName }, `exchange/${request.id}/`);
      return { invited: member.display_name };
    },
  }),

  hideRequest: defineAction({
    accept: 'form',
    input: z.object({ request: id, reason }),
    handler: async (input, context) => {
      const user = signedIn(context);
      if (!canModerate(user)) forbid();
      const request = await visibleRequest(input.request, user);
      if (request.hidden) throw new ActionError({ code: 'CONFLICT', message: 'exchange.error.alreadyHidden' });
      await setRequestHidden(db(), request.id, { actorId: user.id, reason: input.reason });
      await tell(context, [request.authorId], 'exchange.hidden', { title: request.title, reason: input.reason }, `exchange/${request.id}/`);
      return { hidden: true };
    },
  }),

  unhideRequest: defineAction({
    accept: 'form',
    input: z.object({ request: id }),
    handler: async (input, context) => {
      const user = signedIn(context);
      if (!canModerate(user)) forbid();
      const request = await visibleRequest(input.request, user);
      if (!request.hidden) throw new ActionError({ code: 'CONFLICT', message: 'exchange.error.notHidden' });
      await setRequestHidden(db(), request.id, { actorId: user.id, reason: null });
      return { hidden: false };
    },
  }),

  hideResponse: defineAction({
    accept: 'form',
    input: z.object({ response: id, reason }),
    handler: async (input, context) => {
      const user = signedIn(context);
      if (!canModerate(user)) forbid();
      const { response, request } = await visibleResponse(input.response, user);
      if (response.hidden) throw new ActionError({ code: 'CONFLICT', message: 'exchange.error.alreadyHidden' });
      await setResponseHidden(db(), { id: response.id, requestId: request.id }, { actorId: user.id, reason: input.reason });
      await tell(context, [response.authorId], 'exchange.hidden', { title: request.title, reason: input.reason }, `exchange/${request.id}/#response-${response.id}`);
      return { hidden: true };
    },
  }),

  unhideResponse: defineAction({
    accept: 'form',
    input: z.object({ response: id }),
    handler: async (input, context) => {
      const user = signedIn(context);
      if (!canModerate(user)) forbid();
      const { response, request } = await visibleResponse(input.response, user);
      if (!response.hidden) throw new ActionError({ code: 'CONFLICT', message: 'exchange.error.notHidden' });
      await setResponseHidden(db(), { id: response.id, requestId: request.id }, { actorId: user.id, reason: null });
      return { hidden: false };
    },
  }),

  startCase: defineAction({
    accept: 'form',
    input: z.object({ request: id }),
    handler: async (input, context) => {
      const user = signedIn(context);
      const request = await visibleRequest(input.request, user);
      if (!canStartCase(user, facts(request))) forbid('exchange.error.notResolved');
      // One case per request and town: a second click opens the draft already started.
      const existing = await db()
        .selectFrom('member_cases')
        .select('id')
        .where('source_request_id', '=', request.id)
        .where('town_id', '=', request.townId)
        .executeTakeFirst();
      const lang = language(context);
      if (existing) return { draftPath: caseDraftPath(lang, existing.id) };
      const accepted = (await listResponses(db(), request.id)).filter((response) => response.accepted && !response.hidden && !response.withdrawn);
      const caseId = await createCaseDraft(db(), {
        townId: request.townId,
        authorId: user.id,
        language: request.languages.includes(lang) ? lang : (request.languages[0] ?? lang),
        title: request.title,
        sections: {
          challenge: request.body,
          approach: accepted.map((response) => `**${response.authorName}, ${response.town.name[lang]}:**\n\n${response.body}`).join('\n\n'),
          results: request.outcome ?? '',
        },
        topics: request.topics,
        sourceRequestId: request.id,
      });
      return { draftPath: caseDraftPath(lang, caseId) };
    },
  }),

  watch: defineAction({
    accept: 'form',
    input: z.object({
      topics: z.array(z.string().refine((topic) => KNOWN_TOPICS.has(topic), 'exchange.error.unknownTopic')).max(KNOWN_TOPICS.size, 'form.tooLong').default([]),
    }),
    handler: async (input, context) => {
      const user = signedIn(context);
      await setWatchedTopics(db(), user.id, input.topics);
      return { topics: input.topics };
    },
  }),
};
