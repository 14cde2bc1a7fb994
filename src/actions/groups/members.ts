import { defineAction } from '~/actions/define.ts';
import { z } from 'astro:schema';
import { db } from '~/server/db/index.ts';
import { joinGroup, leadIds, leaveGroup, withdrawRequest } from '~/server/groups/members.ts';
import { canJoin, canLead, canLeave, canRemoveMember, canRequestToJoin, isGroupEditor } from '~/server/groups/rules.ts';
import { addMember, answerJoinRequest, appointLead, askToJoin, changeRole, removeFromGroup } from '~/server/groups/workflows.ts';
import { choice, cleanText, email, id, userId } from '~/actions/fields.ts';
import { notifier } from '~/actions/request.ts';
import { actor, fail, loadGroup, refuseArchived, throttle } from './shared.ts';

/** Who is in a group: joining, asking, leaving; leads and editors adding and removing. */
export const groupMemberActions = {
  appointLead: defineAction({
    accept: 'form',
    input: z.object({ group: id(), email }),
    handler: async (input, context) => {
      const { group, user } = await loadGroup(context, input.group);
      if (!isGroupEditor(user)) fail('FORBIDDEN', 'auth.forbidden');
      const outcome = await appointLead(db(), group.id, input.email, actor(context, user));
      if (!outcome.ok) fail('CONFLICT', outcome.problem === 'alreadyMember' ? 'groups.problem.alreadyLead' : `groups.problem.${outcome.problem}`);
      return { appointed: input.email };
    },
  }),

  setRole: defineAction({
    accept: 'form',
    input: z.object({ group: id(), user: userId(), role: choice(['lead', 'member'] as const) }),
    handler: async (input, context) => {
      const { group, user } = await loadGroup(context, input.group);
      if (!isGroupEditor(user)) fail('FORBIDDEN', 'auth.forbidden');
      const outcome = await changeRole(db(), group, input.user, input.role, actor(context, user));
      if (!outcome.ok) fail(outcome.problem === 'lastLead' ? 'CONFLICT' : 'NOT_FOUND', outcome.problem === 'lastLead' ? 'groups.problem.lastLead' : 'groups.problem.notMember');
      return { role: input.role };
    },
  }),

  join: defineAction({
    accept: 'form',
    input: z.object({ group: id() }),
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
    input: z.object({ group: id(), note: cleanText().max(1000, 'form.tooLong').optional() }),
    handler: async (input, context) => {
      const access = await loadGroup(context, input.group);
      refuseArchived(access);
      if (access.viewer.role !== null) fail('CONFLICT', 'groups.problem.alreadyMember');
      if (!canRequestToJoin(access.group, access.viewer)) fail('FORBIDDEN', 'groups.problem.cannotJoin');
      await throttle(access.user, 'join');
      const outcome = await askToJoin(db(), notifier(), access.group, access.user, input.note?.replace(/\r\n?/g, '\n') ?? null);
      if (!outcome.ok) fail('CONFLICT', `groups.problem.${outcome.problem}`);
      return { requested: true };
    },
  }),

  withdrawRequest: defineAction({
    accept: 'form',
    input: z.object({ group: id() }),
    handler: async (input, context) => {
      const access = await loadGroup(context, input.group);
      const outcome = await withdrawRequest(db(), access.group.id, access.user.id);
      if (!outcome.ok) fail('CONFLICT', 'groups.problem.requestNotPending');
      return { withdrawn: true };
    },
  }),

  leave: defineAction({
    accept: 'form',
    input: z.object({ group: id() }),
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
    input: z.object({ group: id(), request: id(), decision: choice(['approved', 'declined'] as const) }),
    handler: async (input, context) => {
      const access = await loadGroup(context, input.group);
      refuseArchived(access);
      if (!canLead(access.group, access.viewer)) fail('FORBIDDEN', 'groups.problem.notLead');
      const outcome = await answerJoinRequest(db(), notifier(), { group: access.group, requestId: input.request, decision: input.decision, actorId: access.user.id });
      if (!outcome.ok) fail(outcome.problem === 'requestNotFound' ? 'NOT_FOUND' : 'CONFLICT', `groups.problem.${outcome.problem}`);
      return { decision: input.decision };
    },
  }),

  invite: defineAction({
    accept: 'form',
    input: z.object({ group: id(), email }),
    handler: async (input, context) => {
      const access = await loadGroup(context, input.group);
      refuseArchived(access);
      if (!canLead(access.group, access.viewer)) fail('FORBIDDEN', 'groups.problem.notLead');
      await throttle(access.user, 'lead');
      const outcome = await addMember(db(), notifier(), access.group, input.email, access.user);
      if (!outcome.ok) fail('CONFLICT', `groups.problem.${outcome.problem}`);
      return { invited: input.email };
    },
  }),

  removeMember: defineAction({
    accept: 'form',
    input: z.object({ group: id(), user: userId() }),
    handler: async (input, context) => {
      const access = await loadGroup(context, input.group);
      refuseArchived(access);
      if (!canRemoveMember(access.group, access.viewer, { userId: input.user })) fail('FORBIDDEN', 'groups.problem.cannotRemove');
      const outcome = await removeFromGroup(db(), { groupId: access.group.id, userId: input.user, actor: actor(context, access.user), byEditor: isGroupEditor(access.user) });
      if (!outcome.ok) fail(({ lastLead: 'CONFLICT', cannotRemove: 'FORBIDDEN', notMember: 'NOT_FOUND' } as const)[outcome.problem], `groups.problem.${outcome.problem}`);
      return { removed: true };
    },
  }),
};
