import { ActionError, type ActionAPIContext } from 'astro:actions';
import { z } from 'astro:schema';
import { isCommunityRule, type CommunityRule } from '~/lib/community-rules.ts';
import { DIALOGUE_KINDS, DIALOGUE_STATUSES } from '~/lib/dialogue/catalogue.ts';
import { parseId } from '~/lib/ids.ts';
import { TAXONOMIES } from '~/schemas/taxonomy.ts';
import type { CurrentUser } from '~/server/auth/lucia.ts';
import { db } from '~/server/db/index.ts';
import { canUseDialogue } from '~/server/dialogue/rules.ts';
import { answerTopic, approveTopic, hidePost, openTopic, setFollowing, setTopicStatus, setTopicVisibility, type DialogueProblem } from '~/server/dialogue/workflows.ts';
import { MARKDOWN_MAX_LENGTH } from '~/server/markdown.ts';
import { defineAction } from './define.ts';
import { choice, id, oneLine, optionalText, text, topics } from './fields.ts';
import { notifier, requestClientAddress, requestLanguage, throttle } from './request.ts';

// Error messages are i18n keys; pages translate them (see src/lib/forms.ts).

const WRITES_PER_HOUR = { limit: 30, windowSeconds: 60 * 60 };
const KNOWN_REGIONS = new Set(TAXONOMIES.regions.map((term) => term.id));
const ids = (message: string) => z.array(z.string().refine((value) => parseId(value) !== null, message).transform((value) => parseId(value)!)).max(100, 'form.tooLong').default([]);

/** The signed-in account that may use the dialogue, or 401. */
function reader(context: ActionAPIContext): CurrentUser {
  const { user } = context.locals;
  if (!canUseDialogue(user)) throw new ActionError({ code: 'UNAUTHORIZED', message: 'auth.signInRequired' });
  return user;
}

/** A workflow's refusal as the form's message. */
function refuse(problem: DialogueProblem): never {
  const code = problem === 'notFound' ? 'NOT_FOUND' : problem === 'forbidden' ? 'FORBIDDEN' : 'BAD_REQUEST';
  throw new ActionError({ code, message: `dialogue.problem.${problem}` });
}

/** Opening, answering, moving on, moderating and following topics. */
export const dialogueActions = {
  open: defineAction({
    accept: 'form',
    input: z.object({
      title: oneLine(200, 5),
      body: text(MARKDOWN_MAX_LENGTH, 20),
      kind: choice(DIALOGUE_KINDS, 'dialogue.form.kindChoose'),
      topics: topics('dialogue.form.unknownTopic'),
      regions: z.array(z.string().refine((value) => KNOWN_REGIONS.has(value), 'apply.unknownRegion')).max(KNOWN_REGIONS.size, 'form.tooLong').default([]),
      towns: ids('dialogue.problem.unknownTown'),
      partners: ids('dialogue.problem.unknownPartner'),
      public: z.string().optional(),
    }),
    handler: async (input, context) => {
      const user = reader(context);
      await throttle(`dialogue:write:${user.id}`, WRITES_PER_HOUR, 'dialogue.problem.throttled');
      const outcome = await openTopic(db(), notifier(), user, {
        title: input.title,
        body: input.body,
        kind: input.kind,
        topics: input.topics,
        regions: input.regions,
        townIds: input.towns,
        partnerIds: input.partners,
        public: input.public === 'yes',
        language: requestLanguage(context),
      });
      if (!outcome.ok) refuse(outcome.problem);
      return { id: outcome.id, approved: outcome.approved };
    },
  }),

  answer: defineAction({
    accept: 'form',
    input: z.object({ topic: id(), body: text(MARKDOWN_MAX_LENGTH, 2) }),
    handler: async (input, context) => {
      const user = reader(context);
      await throttle(`dialogue:write:${user.id}`, WRITES_PER_HOUR, 'dialogue.problem.throttled');
      const outcome = await answerTopic(db(), notifier(), user, input.topic, input.body);
      if (!outcome.ok) refuse(outcome.problem);
      return { posted: outcome.id };
    },
  }),

  setStatus: defineAction({
    accept: 'form',
    input: z.object({ topic: id(), status: choice(DIALOGUE_STATUSES, 'dialogue.form.statusChoose'), outcome: optionalText(5000) }),
    handler: async (input, context) => {
      const user = reader(context);
      const outcome = await setTopicStatus(db(), notifier(), user, input.topic, input.status, input.outcome?.trim() || null);
      if (!outcome.ok) {
        if (outcome.problem === 'outcomeRequired') throw new ActionError({ code: 'BAD_REQUEST', message: 'dialogue.problem.outcomeRequired' });
        refuse(outcome.problem);
      }
      return { status: input.status };
    },
  }),

  approve: defineAction({
    accept: 'form',
    input: z.object({ topic: id() }),
    handler: async (input, context) => {
      const outcome = await approveTopic(db(), notifier(), reader(context), input.topic);
      if (!outcome.ok) refuse(outcome.problem);
      return { approved: true };
    },
  }),

  visibility: defineAction({
    accept: 'form',
    input: z.object({ topic: id(), public: choice(['yes', 'no'] as const) }),
    handler: async (input, context) => {
      const outcome = await setTopicVisibility(db(), reader(context), input.topic, input.public === 'yes');
      if (!outcome.ok) refuse(outcome.problem);
      return { public: input.public === 'yes' };
    },
  }),

  hidePost: defineAction({
    accept: 'form',
    input: z.object({ post: id(), rule: z.string().refine(isCommunityRule, 'rules.problem.unknown'), reason: text(500, 5) }),
    handler: async (input, context) => {
      const outcome = await hidePost(db(), notifier(), reader(context), { postId: input.post, rule: input.rule as CommunityRule, reason: input.reason, clientAddress: requestClientAddress(context) });
      if (!outcome.ok) refuse(outcome.problem);
      return { hidden: true };
    },
  }),

  follow: defineAction({
    accept: 'form',
    input: z.object({ topic: id(), follow: choice(['yes', 'no'] as const) }),
    handler: async (input, context) => {
      const outcome = await setFollowing(db(), reader(context), input.topic, input.follow === 'yes');
      if (!outcome.ok) refuse(outcome.problem);
      return { following: input.follow === 'yes' };
    },
  }),
};
