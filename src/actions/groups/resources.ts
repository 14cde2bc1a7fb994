import { ActionError } from 'astro:actions';
import { defineAction } from '~/actions/define.ts';
import { z } from 'astro:schema';
import { loadItems } from '~/server/knowledge/items.ts';
import type { SectionCollection } from '~/lib/knowledge/sections.ts';
import { db } from '~/server/db/index.ts';
import { isHttpUrl, parseItemReference, pinResource, unpinResource } from '~/server/groups/resources.ts';
import { canLead } from '~/server/groups/rules.ts';
import { id, oneLine, required } from '~/actions/fields.ts';
import { fail, loadGroup, refuseArchived } from './shared.ts';

/** What a group keeps at hand: knowledge items and links its leads pin. */
export const groupResourceActions = {
  pinItem: defineAction({
    accept: 'form',
    input: z.object({ group: id(), reference: required.max(500, 'form.tooLong') }),
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
    input: z.object({ group: id(), linkTitle: oneLine(200), url: required.max(500, 'form.tooLong').refine(isHttpUrl, 'groups.form.httpOnly') }),
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
    input: z.object({ group: id(), resource: id() }),
    handler: async (input, context) => {
      const access = await loadGroup(context, input.group);
      refuseArchived(access);
      if (!canLead(access.group, access.viewer)) fail('FORBIDDEN', 'groups.problem.notLead');
      if (!(await unpinResource(db(), access.group.id, input.resource))) fail('NOT_FOUND', 'groups.problem.resourceNotFound');
      return { unpinned: true };
    },
  }),
};
