import { isCommunityRule, type CommunityRule } from '~/lib/community-rules.ts';
import { type ActionAPIContext } from 'astro:actions';
import { defineAction } from '~/actions/define.ts';
import { z } from 'astro:schema';
import { db } from '~/server/db/index.ts';
import { canModerate, canPost } from '~/server/groups/rules.ts';
import { follow } from '~/server/groups/following.ts';
import { findThread } from '~/server/groups/threads.ts';
import { moderateReply, moderateThread, replyInThread, startThread } from '~/server/groups/workflows.ts';
import { choice, cleanText, id, oneLine } from '~/actions/fields.ts';
import { notifier } from '~/actions/request.ts';
import { actor, fail, loadGroup, markdown, refuseArchived, throttle } from './shared.ts';
import { attachments, chosenFiles } from '~/actions/files.ts';

/** Why a lead hid a post: required for hiding (checked in moderation), ignored otherwise. */
const reason = cleanText().max(500, 'form.tooLong').optional();
/** The community rule a hidden post breaks (the form asks for it when hiding). */
const rule = cleanText().max(60, 'form.tooLong').optional();

/**
 * What moderating a thread or a reply needs first: the group, not archived, the user
 * its lead; and the reason trimmed, without which nothing is hidden (400).
 */
async function moderation(context: ActionAPIContext, input: { group: number; act: string; reason?: string | undefined; rule?: string | undefined }) {
  const access = await loadGroup(context, input.group);
  refuseArchived(access);
  if (!canModerate(access.group, access.viewer)) fail('FORBIDDEN', 'groups.problem.notLead');
  const reason = input.reason?.trim() ?? '';
  if (input.act === 'hide' && reason === '') fail('BAD_REQUEST', 'groups.problem.reasonRequired');
  // Checked here, not as a field: the moderation forms show one message above the thread.
  if (input.act === 'hide' && input.rule && !isCommunityRule(input.rule)) fail('BAD_REQUEST', 'rules.problem.unknown');
  return { access, reason };
}

/** The rule named when hiding (none when showing or when the form sent none). */
function hideRule(input: { act: string; rule?: string | undefined }): CommunityRule | null {
  return input.act === 'hide' && isCommunityRule(input.rule) ? input.rule : null;
}

/** A group's discussion: threads, replies, following; leads moderating. */
export const groupThreadActions = {
  createThread: defineAction({
    accept: 'form',
    input: z.object({ group: id(), title: oneLine(200), body: markdown, attachments }),
    handler: async (input, context) => {
      const access = await loadGroup(context, input.group);
      refuseArchived(access);
      if (!canPost(access.group, access.viewer)) fail('FORBIDDEN', 'groups.problem.membersOnly');
      const townId = access.user.town?.id ?? null;
      const upload = { files: await chosenFiles(input.attachments, townId), townId };
      await throttle(access.user, 'post');
      const threadId = await startThread(db(), notifier(), { group: access.group, author: access.user, title: input.title, body: input.body, upload });
      return { threadId };
    },
  }),

  reply: defineAction({
    accept: 'form',
    input: z.object({ group: id(), thread: id(), body: markdown, attachments }),
    handler: async (input, context) => {
      const access = await loadGroup(context, input.group);
      refuseArchived(access);
      if (!canPost(access.group, access.viewer)) fail('FORBIDDEN', 'groups.problem.membersOnly');
      const { group, user } = access;
      const thread = await findThread(db(), group.id, input.thread);
      if (!thread) fail('NOT_FOUND', 'groups.problem.threadNotFound');
      if (thread.locked) fail('CONFLICT', 'groups.problem.locked');
      const townId = user.town?.id ?? null;
      const upload = { files: await chosenFiles(input.attachments, townId), townId };
      await throttle(user, 'post');
      const outcome = await replyInThread(db(), notifier(), { group, thread, author: user, body: input.body, upload });
      if (!outcome.ok) fail(outcome.problem === 'locked' ? 'CONFLICT' : 'NOT_FOUND', `groups.problem.${outcome.problem}`);
      return { replyId: outcome.replyId, page: outcome.page };
    },
  }),

  follow: defineAction({
    accept: 'form',
    input: z.object({ group: id(), thread: id(), following: choice(['yes', 'no'] as const) }),
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
      group: id(),
      thread: id(),
      act: choice(['hide', 'show', 'pin', 'unpin', 'lock', 'unlock'] as const),
      reason,
      rule,
    }),
    handler: async (input, context) => {
      const { access, reason } = await moderation(context, input);
      const outcome = await moderateThread(db(), { groupId: access.group.id, threadId: input.thread, act: input.act, reason, rule: hideRule(input), actor: actor(context, access.user) });
      if (!outcome.ok) fail(outcome.problem === 'threadNotFound' ? 'NOT_FOUND' : 'CONFLICT', `groups.problem.${outcome.problem}`);
      return { act: input.act };
    },
  }),

  moderateReply: defineAction({
    accept: 'form',
    input: z.object({
      group: id(),
      thread: id(),
      reply: id(),
      act: choice(['hide', 'show'] as const),
      reason,
      rule,
    }),
    handler: async (input, context) => {
      const { access, reason } = await moderation(context, input);
      const outcome = await moderateReply(db(), { groupId: access.group.id, threadId: input.thread, replyId: input.reply, act: input.act, reason, rule: hideRule(input), actor: actor(context, access.user) });
      if (!outcome.ok) fail(outcome.problem === 'replyNotFound' ? 'NOT_FOUND' : 'CONFLICT', `groups.problem.${outcome.problem}`);
      return { act: input.act };
    },
  }),
};
