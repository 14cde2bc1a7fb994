import { defineAction } from '~/actions/define.ts';
import { z } from 'astro:schema';
import { db } from '~/server/db/index.ts';
import { GROUP_RHYTHMS, GROUP_TYPES, GROUP_VISIBILITIES, groupForViewer } from '~/server/groups/groups.ts';
import { canCreateGroups, isGroupEditor } from '~/server/groups/rules.ts';
import { archiveGroup, editGroup, openGroup } from '~/server/groups/workflows.ts';
import { choice, id, oneLine, required, topics } from '~/actions/fields.ts';
import { actor, fail, signedIn } from './shared.ts';

/** What an editor writes about a group. */
const groupFields = z.object({
  slug: required.max(60, 'form.tooLong').regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'groups.form.slugFormat'),
  nameKk: oneLine(120),
  nameRu: oneLine(120),
  nameEn: oneLine(120),
  purposeKk: required.max(1000, 'form.tooLong'),
  purposeRu: required.max(1000, 'form.tooLong'),
  purposeEn: required.max(1000, 'form.tooLong'),
  topics: topics('groups.form.unknownTopic'),
  type: choice(GROUP_TYPES, 'groups.form.choose'),
  visibility: choice(GROUP_VISIBILITIES, 'groups.form.choose'),
  rhythm: choice(GROUP_RHYTHMS, 'groups.form.choose'),
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

/** Editors open, change and archive working groups. */
export const groupEditorActions = {
  create: defineAction({
    accept: 'form',
    input: groupFields,
    handler: async (input, context) => {
      const user = signedIn(context);
      if (!canCreateGroups(user)) fail('FORBIDDEN', 'auth.forbidden');
      const outcome = await openGroup(db(), groupInput(input), actor(context, user));
      if (!outcome.ok) fail('CONFLICT', 'groups.problem.slugTaken');
      return { id: outcome.id, slug: input.slug };
    },
  }),

  update: defineAction({
    accept: 'form',
    input: groupFields.extend({ group: id() }),
    handler: async (input, context) => {
      const user = signedIn(context);
      if (!isGroupEditor(user)) fail('FORBIDDEN', 'auth.forbidden');
      const outcome = await editGroup(db(), input.group, groupInput(input), actor(context, user));
      if (!outcome.ok) fail(outcome.problem === 'notFound' ? 'NOT_FOUND' : 'CONFLICT', outcome.problem === 'notFound' ? 'groups.problem.notFound' : 'groups.problem.slugTaken');
      return { saved: true, slug: input.slug };
    },
  }),

  archive: defineAction({
    accept: 'form',
    input: z.object({ group: id(), archived: choice(['yes', 'no'] as const) }),
    handler: async (input, context) => {
      const user = signedIn(context);
      if (!isGroupEditor(user)) fail('FORBIDDEN', 'auth.forbidden');
      const archived = input.archived === 'yes';
      if (!(await groupForViewer(db(), { id: input.group }, user))) fail('NOT_FOUND', 'groups.problem.notFound');
      if (!(await archiveGroup(db(), input.group, archived, actor(context, user)))) fail('CONFLICT', archived ? 'groups.problem.alreadyArchived' : 'groups.problem.notArchived');
      return { archived };
    },
  }),
};
