import { ActionError, defineAction, type ActionAPIContext } from 'astro:actions';
import { z } from 'astro:schema';
import type { MessageKey } from '../i18n/index.ts';
import { formatDateTime } from '../lib/format.ts';
import { loadItems } from '../server/knowledge/items.ts';
import type { SectionCollection } from '../lib/knowledge/sections.ts';
import { TAXONOMIES } from '../schemas/taxonomy.ts';
import { recordAudit } from '../server/audit/audit.ts';
import { db } from '../server/db/index.ts';
import { findMentions } from '../server/groups/mentions.ts';
import { GROUP_RHYTHMS, GROUP_TYPES, GROUP_VISIBILITIES, createGroup, groupForViewer, setArchived, updateGroup, type GroupAccess } from '../server/groups/groups.ts';
import { answerMeeting, announceMeeting, findMeeting, MEETING_ANSWERS, zonedToUtcSeconds } from '../server/groups/meetings.ts';
import {
  addMemberByEmail,
  decideRequest,
  joinGroup,
  leadIds,
  leaveGroup,
  listMembers,
  memberIds,
  removeMember,
  requestToJoin,
  setMemberRole,
  withdrawRequest,
} from '../server/groups/members.ts';
import { notifyMembers } from '../server/groups/notify.ts';
import { isHttpUrl, parseItemReference, pinResource, unpinResource } from '../server/groups/resources.ts';
import {
  canAnswerMeeting,
  canCreateGroups,
  canJoin,
  canLead,
  canLeave,
  canModerate,
  canPost,
  canRemoveMember,
  canRequestToJoin,
  isGroupEditor,
} from '../server/groups/rules.ts';
import { createThread, findThread, follow, followerIds, postReply, setReplyHidden, setThreadFlag, setThreadHidden } from '../server/groups/threads.ts';
import { MARKDOWN_MAX_LENGTH } from '../server/markdown.ts';
import { mailer } from '../server/mail/index.ts';
import { consumeRateLimit } from '../server/rate-limit.ts';
import type { CurrentUser } from '../server/auth/lucia.ts';
import { publicBaseUrl, requestClientAddress } from './request.ts';

// Error messages are i18n keys; pages translate them (see src/lib/forms.ts).

const required = z.string({ required_error: 'form.required', invalid_type_error: 'form.required' }).trim().min(1, 'form.required');
/** One line of text: titles and names never carry line breaks into emails or calendars. */
const oneLine = (max: number) => required.max(max, 'form.tooLong').refine((value) => !/[\r\n]/.test(value), 'form.noLineBreaks');
/** Markdown a member writes: line breaks counted as browsers count them, kept as written. */
const markdown = z.preprocess(
  (value) => (typeof value === 'string' ? value.replace(/\r\n?/g, '\n') : value),
  z
    .string({ required_error: 'form.required', invalid_type_error: 'form.required' })
    .refine((value) => value.trim().length > 0, 'form.required')
    .refine((value) => value.length <= MARKDOWN_MAX_LENGTH, 'groups.form.bodyTooLong'),
);
const id = z.coerce.number({ invalid_type_error: 'form.invalid' }).int('form.invalid').positive('form.invalid').max(2 ** 31, 'form.invalid');
const choice = <T extends string>(values: readonly T[]) => z.enum(values as [T, ...T[]], { errorMap: () => ({ message: 'groups.form.choose' }) });
const email = required.pipe(z.string().max(254, 'form.tooLong').email('signIn.emailFormat'));
const KNOWN_TOPICS = new Set(TAXONOMIES.topics.map((term) => term.id));

/** Rate limits per member: writing, joining, inviting. */
const LIMITS = {
  post: { limit: 30, windowSeconds: 600 },
  join: { limit: 20, windowSeconds: 3600 },
  lead: { limit: 60, windowSeconds: 3600 },
} as const;

/** Refuses with a status and a message key (`groups.problem.*` keys are listed in src/i18n/groups). */
function fail(code: ActionError['code'], message: MessageKey | `groups.problem.${string}`): never {
  throw new ActionError({ code, message });
}

function signedIn(context: ActionAPIContext): CurrentUser {
  const user = context.locals.user;
  if (!user) fail('UNAUTHORIZED', 'auth.signInRequired');
  return user;
}

/** The group for this user, or 404: a private group is not found for anyone outside it. */
async function loadGroup(context: ActionAPIContext, groupId: number): Promise<GroupAccess & { user: CurrentUser }> {
  const user = signedIn(context);
  const access = await groupForViewer(db(), { id: groupId }, user);
  if (!access) fail('NOT_FOUND', 'groups.problem.notFound');
  return { ...access, user };
}

async function throttle(user: CurrentUser, kind: keyof typeof LIMITS): Promise<void> {
  const result = await consumeRateLimit(db(), `groups.${kind}:${user.id}`, LIMITS[kind]);
  if (!result.allowed) fail('TOO_MANY_REQUESTS', 'groups.problem.throttled');
}

function refuseArchived(access: GroupAccess): void {
  if (access.group.archived) fail('CONFLICT', 'groups.problem.archived');
}

const groupPath = (access: GroupAccess) => `groups/${access.group.slug}/`;

/** What an editor writes about a group. */
const groupFields = z.object({
  slug: required.max(60, 'form.tooLong').regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'groups.form.slugFormat'),
  nameKk: oneLine(120),
  nameRu: oneLine(120),
  nameEn: oneLine(120),
  purposeKk: required.max(1000, 'form.tooLong'),
  purposeRu: required.max(1000, 'form.tooLong'),
  purposeEn: required.max(1000, 'form.tooLong'),
  topics: z.array(z.string().refine((topic) => KNOWN_TOPICS.has(topic), 'groups.form.unknownTopic')).max(KNOWN_TOPICS.size, 'form.tooLong').default([]),
  type: choice(GROUP_TYPES),
  visibility: choice(GROUP_VISIBILITIES),
  rhythm: choice(GROUP_RHYTHMS),
  descriptionPublic: z.boolean().default(false),
});

function groupInput(input: z.infer<typeof groupFields>) {
  return {
    slug: input.slug,
    name: { kk: input.nameKk, ru: input.nameRu, en: input.nameEn },
    purpose: { kk: input.purposeKk, ru: input.purposeRu, en: input.purposeEn },
    topics: input.topics,
    type: input.type,
    visibility: input.visibility,
    rhythm: input.rhythm,
    descriptionPublic: input.descriptionPublic,
  };
}

/** Working groups: editors run them, members join and discuss, leads moderate. */
export const groupActions = {
  create: defineAction({
    accept: 'form',
    input: groupFields,
    handler: async (input, context) => {
      const user = signedIn(context);
      if (!canCreateGroups(user)) fail('FORBIDDEN', 'auth.forbidden');
      const outcome = await createGroup(db(), groupInput(input), user.id);
      if (!outcome.ok) fail('CONFLICT', 'groups.problem.slugTaken');
      await recordAudit(db(), { actorId: user.id, action: 'group.created', target: { type: 'group', id: String(outcome.id) }, clientAddress: requestClientAddress(context), details: { slug: input.slug, visibility: input.visibility } });
      return { id: outcome.id, slug: input.slug };
    },
  }),

  update: defineAction({
    accept: 'form',
    input: groupFields.extend({ group: id }),
    handler: async (input, context) => {
      const user = signedIn(context);
      if (!isGroupEditor(user)) fail('FORBIDDEN', 'auth.forbidden');
      const outcome = await updateGroup(db(), input.group, groupInput(input));
      if (!outcome.ok) fail(outcome.problem === 'notFound' ? 'NOT_FOUND' : 'CONFLICT', outcome.problem === 'notFound' ? 'groups.problem.notFound' : 'groups.problem.slugTaken');
      await recordAudit(db(), { actorId: user.id, action: 'group.updated', target: { type: 'group', id: String(input.group) }, clientAddress: requestClientAddress(context), details: { slug: input.slug, visibility: input.visibility } });
      return { saved: true, slug: input.slug };
    },
  }),

  archive: defineAction({
    accept: 'form',
    input: z.object({ group: id, archived: z.enum(['yes', 'no'], { errorMap: () => ({ message: 'form.invalid' }) }) }),
    handler: async (input, context) => {
      const user = signedIn(context);
      if (!isGroupEditor(user)) fail('FORBIDDEN', 'auth.forbidden');
      const archived = input.archived === 'yes';
      if (!(await groupForViewer(db(), { id: input.group }, user))) fail('NOT_FOUND', 'groups.problem.notFound');
      if (!(await setArchived(db(), input.group, archived))) fail('CONFLICT', archived ? 'groups.problem.alreadyArchived' : 'groups.problem.notArchived');
      await recordAudit(db(), { actorId: user.id, action: archived ? 'group.archived' : 'group.restored', target: { type: 'group', id: String(input.group) }, clientAddress: requestClientAddress(context) });
      return { archived };
    },
  }),

  appointLead: defineAction({
    accept: 'form',
    input: z.object({ group: id, email }),
    handler: async (input, context) => {
      const { group, user } = await loadGroup(context, input.group);
      if (!isGroupEditor(user)) fail('FORBIDDEN', 'auth.forbidden');
      const outcome = await addMemberByEmail(db(), group.id, input.email, 'lead');
      if (!outcome.ok) fail('CONFLICT', outcome.problem === 'alreadyMember' ? 'groups.problem.alreadyLead' : `groups.problem.${outcome.problem}`);
      await recordAudit(db(), { actorId: user.id, action: 'group.lead_appointed', target: { type: 'group', id: String(group.id) }, clientAddress: requestClientAddress(context), details: { user: outcome.userId } });
      return { appointed: input.email };
    },
  }),

  setRole: defineAction({
    accept: 'form',
    input: z.object({ group: id, user: z.string().regex(/^[A-Za-z0-9_-]{10,40}$/, 'form.invalid'), role: z.enum(['lead', 'member'], { errorMap: () => ({ message: 'form.invalid' }) }) }),
    handler: async (input, context) => {
      const { group, user } = await loadGroup(context, input.group);
      if (!isGroupEditor(user)) fail('FORBIDDEN', 'auth.forbidden');
      if (input.role === 'member' && !group.archived && (await leadIds(db(), group.id)).filter((lead) => lead !== input.user).length === 0) fail('CONFLICT', 'groups.problem.lastLead');
      const outcome = await setMemberRole(db(), group.id, input.user, input.role);
      if (!outcome.ok) fail('NOT_FOUND', 'groups.problem.notMember');
      await recordAudit(db(), { actorId: user.id, action: 'group.role_changed', target: { type: 'group', id: String(group.id) }, clientAddress: requestClientAddress(context), details: { user: input.user, role: input.role } });
      return { role: input.role };
    },
  }),

  join: defineAction({
    accept: 'form',
    input: z.object({ group: id }),
    handler: async (input, context) => {
      const access = await loadGroup(context, input.group);
      refuseArchived(access);
      if (access.viewer.role !== null) fail('CONFLICT', 'groups.problem.alreadyMember');
      if (!canJoin(access.group, access.viewer)) fail('FORBIDDEN', 'groups.problem.cannotJoin');
      await throttle(access.user, 'join');
      const outcome = await joinGroup(db(), access.group.id, access.user.id);
      if (!outcome.ok) fail('CONFLICT', `groups.problem.${outcome.problem}`);
      return { joined: true };
    },
  }),

  requestToJoin: defineAction({
    accept: 'form',
    input: z.object({ group: id, note: z.string().max(1000, 'form.tooLong').optional() }),
    handler: async (input, context) => {
      const access = await loadGroup(context, input.group);
      refuseArchived(access);
      if (access.viewer.role !== null) fail('CONFLICT', 'groups.problem.alreadyMember');
      if (!canRequestToJoin(access.group, access.viewer)) fail('FORBIDDEN', 'groups.problem.cannotJoin');
      await throttle(access.user, 'join');
      const outcome = await requestToJoin(db(), access.group.id, access.user.id, input.note?.replace(/\r\n?/g, '\n') ?? null);
      if (!outcome.ok) fail('CONFLICT', `groups.problem.${outcome.problem}`);
      const { group, user } = access;
      await notifyMembers(db(), mailer(), {
        recipients: await leadIds(db(), group.id),
        actorId: user.id,
        kind: 'groups.join_requested',
        params: (lang) => ({ name: user.displayName, group: group.name[lang] }),
        link: `${groupPath(access)}members/`,
        baseUrl: publicBaseUrl(context),
      });
      return { requested: true };
    },
  }),

  withdrawRequest: defineAction({
    accept: 'form',
    input: z.object({ group: id }),
    handler: async (input, context) => {
      const access = await loadGroup(context, input.group);
      const outcome = await withdrawRequest(db(), access.group.id, access.user.id);
      if (!outcome.ok) fail('CONFLICT', 'groups.problem.requestNotPending');
      return { withdrawn: true };
    },
  }),

  leave: defineAction({
    accept: 'form',
    input: z.object({ group: id }),
    handler: async (input, context) => {
      const access = await loadGroup(context, input.group);
      if (access.viewer.role === null) fail('CONFLICT', 'groups.problem.notMember');
      if (!canLeave(access.viewer, (await leadIds(db(), access.group.id)).length, access.group.archived)) fail('CONFLICT', 'groups.problem.lastLead');
      const outcome = await leaveGroup(db(), access.group.id, access.user.id);
      if (!outcome.ok) fail('CONFLICT', 'groups.problem.notMember');
      return { left: true, visible: access.group.visibility !== 'private' || isGroupEditor(access.user) };
    },
  }),

  decideRequest: defineAction({
    accept: 'form',
    input: z.object({ group: id, request: id, decision: z.enum(['approved', 'declined'], { errorMap: () => ({ message: 'form.invalid' }) }) }),
    handler: async (input, context) => {
      const access = await loadGroup(context, input.group);
      refuseArchived(access);
      if (!canLead(access.group, access.viewer)) fail('FORBIDDEN', 'groups.problem.notLead');
      const outcome = await decideRequest(db(), access.group.id, input.request, input.decision, access.user.id);
      if (!outcome.ok) fail(outcome.problem === 'requestNotFound' ? 'NOT_FOUND' : 'CONFLICT', `groups.problem.${outcome.problem}`);
      const { group } = access;
      await notifyMembers(db(), mailer(), {
        recipients: [outcome.userId],
        actorId: access.user.id,
        kind: input.decision === 'approved' ? 'groups.request_approved' : 'groups.request_declined',
        params: (lang) => ({ group: group.name[lang] }),
        link: input.decision === 'approved' ? groupPath(access) : 'groups/',
        baseUrl: publicBaseUrl(context),
      });
      return { decision: input.decision };
    },
  }),

  invite: defineAction({
    accept: 'form',
    input: z.object({ group: id, email }),
    handler: async (input, context) => {
      const access = await loadGroup(context, input.group);
      refuseArchived(access);
      if (!canLead(access.group, access.viewer)) fail('FORBIDDEN', 'groups.problem.notLead');
      await throttle(access.user, 'lead');
      const outcome = await addMemberByEmail(db(), access.group.id, input.email, 'member');
      if (!outcome.ok) fail('CONFLICT', `groups.problem.${outcome.problem}`);
      const { group, user } = access;
      await notifyMembers(db(), mailer(), {
        recipients: [outcome.userId],
        actorId: user.id,
        kind: 'groups.added',
        params: (lang) => ({ name: user.displayName, group: group.name[lang] }),
        link: groupPath(access),
        baseUrl: publicBaseUrl(context),
      });
      return { invited: input.email };
    },
  }),

  removeMember: defineAction({
    accept: 'form',
    input: z.object({ group: id, user: z.string().regex(/^[A-Za-z0-9_-]{10,40}$/, 'form.invalid') }),
    handler: async (input, context) => {
      const access = await loadGroup(context, input.group);
      refuseArchived(access);
      if (!canRemoveMember(access.group, access.viewer, { userId: input.user })) fail('FORBIDDEN', 'groups.problem.cannotRemove');
      const leads = await leadIds(db(), access.group.id);
      if (leads.includes(input.user) && leads.length <= 1) fail('CONFLICT', 'groups.problem.lastLead');
      // A lead removes members; only an editor removes another lead.
      if (leads.includes(input.user) && !isGroupEditor(access.user)) fail('FORBIDDEN', 'groups.problem.cannotRemove');
      const outcome = await removeMember(db(), access.group.id, input.user);
      if (!outcome.ok) fail('NOT_FOUND', 'groups.problem.notMember');
      await recordAudit(db(), { actorId: access.user.id, action: 'group.member_removed', target: { type: 'group', id: String(access.group.id) }, clientAddress: requestClientAddress(context), details: { user: input.user } });
      return { removed: true };
    },
  }),

  createThread: defineAction({
    accept: 'form',
    input: z.object({ group: id, title: oneLine(200), body: markdown }),
    handler: async (input, context) => {
      const access = await loadGroup(context, input.group);
      refuseArchived(access);
      if (!canPost(access.group, access.viewer)) fail('FORBIDDEN', 'groups.problem.membersOnly');
      await throttle(access.user, 'post');
      const { group, user } = access;
      const threadId = await createThread(db(), { groupId: group.id, authorId: user.id, title: input.title, body: input.body });
      const members = await listMembers(db(), group.id);
      const mentioned = findMentions(input.body, members);
      const link = `${groupPath(access)}threads/${threadId}/`;
      const baseUrl = publicBaseUrl(context);
      await notifyMembers(db(), mailer(), { recipients: mentioned, actorId: user.id, kind: 'groups.mentioned', params: (lang) => ({ author: user.displayName, title: input.title, group: group.name[lang] }), link, baseUrl });
      await notifyMembers(db(), mailer(), {
        recipients: members.map((member) => member.userId).filter((member) => !mentioned.includes(member)),
        actorId: user.id,
        kind: 'groups.thread_created',
        params: (lang) => ({ author: user.displayName, title: input.title, group: group.name[lang] }),
        link,
        baseUrl,
      });
      return { threadId };
    },
  }),

  reply: defineAction({
    accept: 'form',
    input: z.object({ group: id, thread: id, body: markdown }),
    handler: async (input, context) => {
      const access = await loadGroup(context, input.group);
      refuseArchived(access);
      if (!canPost(access.group, access.viewer)) fail('FORBIDDEN', 'groups.problem.membersOnly');
      const { group, user } = access;
      const thread = await findThread(db(), group.id, input.thread);
      if (!thread) fail('NOT_FOUND', 'groups.problem.threadNotFound');
      if (thread.locked) fail('CONFLICT', 'groups.problem.locked');
      await throttle(user, 'post');
      const outcome = await postReply(db(), { groupId: group.id, threadId: thread.id, authorId: user.id, body: input.body });
      if (!outcome.ok) fail(outcome.problem === 'locked' ? 'CONFLICT' : 'NOT_FOUND', `groups.problem.${outcome.problem}`);
      const members = await listMembers(db(), group.id);
      const mentioned = findMentions(input.body, members);
      const link = `${groupPath(access)}threads/${thread.id}/?page=${outcome.page}#reply-${outcome.replyId}`;
      const baseUrl = publicBaseUrl(context);
      await notifyMembers(db(), mailer(), { recipients: mentioned, actorId: user.id, kind: 'groups.mentioned', params: (lang) => ({ author: user.displayName, title: thread.title, group: group.name[lang] }), link, baseUrl });
      await notifyMembers(db(), mailer(), {
        recipients: (await followerIds(db(), group.id, thread.id)).filter((follower) => !mentioned.includes(follower)),
        actorId: user.id,
        kind: 'groups.reply_posted',
        params: (lang) => ({ author: user.displayName, title: thread.title, group: group.name[lang] }),
        link,
        baseUrl,
      });
      return { replyId: outcome.replyId, page: outcome.page };
    },
  }),

  follow: defineAction({
    accept: 'form',
    input: z.object({ group: id, thread: id, following: z.enum(['yes', 'no'], { errorMap: () => ({ message: 'form.invalid' }) }) }),
    handler: async (input, context) => {
      const access = await loadGroup(context, input.group);
      if (access.viewer.role === null) fail('FORBIDDEN', 'groups.problem.membersOnly');
      const thread = await findThread(db(), access.group.id, input.thread);
      if (!thread) fail('NOT_FOUND', 'groups.problem.threadNotFound');
      await follow(db(), thread.id, access.user.id, true, input.following === 'yes');
      return { following: input.following === 'yes' };
    },
  }),

  moderateThread: defineAction({
    accept: 'form',
    input: z.object({
      group: id,
      thread: id,
      act: z.enum(['hide', 'show', 'pin', 'unpin', 'lock', 'unlock'], { errorMap: () => ({ message: 'form.invalid' }) }),
      reason: z.string().max(500, 'form.tooLong').optional(),
    }),
    handler: async (input, context) => {
      const access = await loadGroup(context, input.group);
      refuseArchived(access);
      if (!canModerate(access.group, access.viewer)) fail('FORBIDDEN', 'groups.problem.notLead');
      const { group, user } = access;
      const reason = input.reason?.trim() ?? '';
      if (input.act === 'hide' && reason === '') throw new ActionError({ code: 'BAD_REQUEST', message: 'groups.problem.reasonRequired' });
      const outcome =
        input.act === 'hide' || input.act === 'show'
          ? await setThreadHidden(db(), group.id, input.thread, input.act === 'hide' ? { by: user.id, reason } : null)
          : await setThreadFlag(db(), group.id, input.thread, input.act === 'pin' || input.act === 'unpin' ? 'pinned' : 'locked', input.act === 'pin' || input.act === 'lock');
      if (!outcome.ok) fail(outcome.problem === 'threadNotFound' ? 'NOT_FOUND' : 'CONFLICT', `groups.problem.${outcome.problem}`);
      if (input.act === 'hide' || input.act === 'show') {
        await recordAudit(db(), { actorId: user.id, action: input.act === 'hide' ? 'group.post_hidden' : 'group.post_shown', target: { type: 'group', id: String(group.id) }, clientAddress: requestClientAddress(context), details: { thread: input.thread, reason: reason || null } });
      }
      return { act: input.act };
    },
  }),

  moderateReply: defineAction({
    accept: 'form',
    input: z.object({
      group: id,
      thread: id,
      reply: id,
      act: z.enum(['hide', 'show'], { errorMap: () => ({ message: 'form.invalid' }) }),
      reason: z.string().max(500, 'form.tooLong').optional(),
    }),
    handler: async (input, context) => {
      const access = await loadGroup(context, input.group);
      refuseArchived(access);
      if (!canModerate(access.group, access.viewer)) fail('FORBIDDEN', 'groups.problem.notLead');
      const reason = input.reason?.trim() ?? '';
      if (input.act === 'hide' && reason === '') throw new ActionError({ code: 'BAD_REQUEST', message: 'groups.problem.reasonRequired' });
      const outcome = await setReplyHidden(db(), access.group.id, input.thread, input.reply, input.act === 'hide' ? { by: access.user.id, reason } : null);
      if (!outcome.ok) fail(outcome.problem === 'replyNotFound' ? 'NOT_FOUND' : 'CONFLICT', `groups.problem.${outcome.problem}`);
      await recordAudit(db(), { actorId: access.user.id, action: input.act === 'hide' ? 'group.post_hidden' : 'group.post_shown', target: { type: 'group', id: String(access.group.id) }, clientAddress: requestClientAddress(context), details: { thread: input.thread, reply: input.reply, reason: reason || null } });
      return { act: input.act };
    },
  }),

  announceMeeting: defineAction({
    accept: 'form',
    input: z
      .object({
        group: id,
        title: oneLine(200),
        date: required.regex(/^\d{4}-\d{2}-\d{2}$/, 'groups.form.dateFormat'),
        time: required.regex(/^\d{2}:\d{2}$/, 'groups.form.timeFormat'),
        duration: z.coerce.number({ invalid_type_error: 'groups.form.duration' }).int('groups.form.duration').min(15, 'groups.form.duration').max(600, 'groups.form.duration'),
        place: z.string().max(300, 'form.tooLong').refine((value) => !/[\r\n]/.test(value), 'form.noLineBreaks').optional(),
        link: z.string().trim().max(500, 'form.tooLong').refine((value) => value === '' || isHttpUrl(value), 'groups.form.httpOnly').optional(),
        agenda: markdown,
      })
      .refine((input) => zonedToUtcSeconds(input.date, input.time) !== undefined, { message: 'groups.form.dateFormat', path: ['date'] })
      .refine((input) => (input.place?.trim() ?? '') !== '' || (input.link?.trim() ?? '') !== '', { message: 'groups.form.placeOrLink', path: ['place'] }),
    handler: async (input, context) => {
      const access = await loadGroup(context, input.group);
      refuseArchived(access);
      if (!canLead(access.group, access.viewer)) fail('FORBIDDEN', 'groups.problem.notLead');
      const startsAt = zonedToUtcSeconds(input.date, input.time)!;
      if (startsAt < Math.floor(Date.now() / 1000)) throw new ActionError({ code: 'BAD_REQUEST', message: 'groups.form.inPast' });
      await throttle(access.user, 'lead');
      const { group, user } = access;
      const meetingId = await announceMeeting(db(), {
        groupId: group.id,
        title: input.title,
        startsAt,
        durationMinutes: input.duration,
        place: input.place ?? null,
        link: input.link ?? null,
        agenda: input.agenda,
        createdBy: user.id,
      });
      await notifyMembers(db(), mailer(), {
        recipients: await memberIds(db(), group.id),
        actorId: user.id,
        kind: 'groups.meeting_announced',
        params: (lang) => ({ title: input.title, group: group.name[lang], when: formatDateTime(new Date(startsAt * 1000), lang) }),
        link: groupPath(access),
        baseUrl: publicBaseUrl(context),
      });
      return { meetingId };
    },
  }),

  answerMeeting: defineAction({
    accept: 'form',
    input: z.object({ group: id, meeting: id, answer: choice(MEETING_ANSWERS) }),
    handler: async (input, context) => {
      const access = await loadGroup(context, input.group);
      refuseArchived(access);
      if (!canAnswerMeeting(access.group, access.viewer)) fail('FORBIDDEN', 'groups.problem.membersOnly');
      const meeting = await findMeeting(db(), access.group.id, input.meeting);
      if (!meeting) fail('NOT_FOUND', 'groups.problem.meetingNotFound');
      await answerMeeting(db(), meeting.id, access.user.id, input.answer);
      return { answer: input.answer };
    },
  }),

  pinItem: defineAction({
    accept: 'form',
    input: z.object({ group: id, reference: required.max(500, 'form.tooLong') }),
    handler: async (input, context) => {
      const access = await loadGroup(context, input.group);
      refuseArchived(access);
      if (!canLead(access.group, access.viewer)) fail('FORBIDDEN', 'groups.problem.notLead');
      const reference = parseItemReference(input.reference);
      const items = reference ? await loadItems(reference.collection as SectionCollection) : [];
      if (!reference || !items.some((item) => item.slug === reference.slug)) {
        throw new ActionError({ code: 'BAD_REQUEST', message: 'groups.problem.unknownItem' });
      }
      const outcome = await pinResource(db(), { groupId: access.group.id, kind: 'item', target: `${reference.collection}/${reference.slug}`, title: null, createdBy: access.user.id });
      if (!outcome.ok) fail('CONFLICT', 'groups.problem.alreadyPinned');
      return { pinned: true };
    },
  }),

  pinLink: defineAction({
    accept: 'form',
    input: z.object({ group: id, linkTitle: oneLine(200), url: required.max(500, 'form.tooLong').refine(isHttpUrl, 'groups.form.httpOnly') }),
    handler: async (input, context) => {
      const access = await loadGroup(context, input.group);
      refuseArchived(access);
      if (!canLead(access.group, access.viewer)) fail('FORBIDDEN', 'groups.problem.notLead');
      const outcome = await pinResource(db(), { groupId: access.group.id, kind: 'link', target: new URL(input.url).href, title: input.linkTitle, createdBy: access.user.id });
      if (!outcome.ok) fail('CONFLICT', 'groups.problem.alreadyPinned');
      return { pinned: true };
    },
  }),

  unpin: defineAction({
    accept: 'form',
    input: z.object({ group: id, resource: id }),
    handler: async (input, context) => {
      const access = await loadGroup(context, input.group);
      refuseArchived(access);
      if (!canLead(access.group, access.viewer)) fail('FORBIDDEN', 'groups.problem.notLead');
      if (!(await unpinResource(db(), access.group.id, input.resource))) fail('NOT_FOUND', 'groups.problem.resourceNotFound');
      return { unpinned: true };
    },
  }),
};
