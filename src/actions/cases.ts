import { ActionError, type ActionAPIContext } from 'astro:actions';
import { defineAction } from './define.ts';
import { z } from 'astro:schema';
import type { Kysely } from 'kysely';
import { loadFileItems } from '~/server/knowledge/items.ts';
import type { CurrentUser } from '~/server/auth/lucia.ts';
import { CASE_TEXT_FIELDS, maxLength, readCaseForm } from '~/server/cases/content.ts';
import { proposeChanges, withdrawSubmission } from '~/server/cases/drafts.ts';
import type { CaseOutcome } from '~/server/cases/events.ts';
import { commentOnCase, REVIEW_TEXT_MAX } from '~/server/cases/review.ts';
import { canReviewCases, canWriteCases } from '~/server/cases/rules.ts';
import { reviewCase, takeCaseDown, writeCase } from '~/server/cases/workflows.ts';
import { db } from '~/server/db/index.ts';
import type { Database } from '~/server/db/schema.ts';
import { choice, cleanText, id as recordId, text } from './fields.ts';
import { notifier, requestClientAddress, throttle } from './request.ts';

// Error messages are i18n keys; pages translate them (see src/lib/forms.ts).

/** Writes one member may make in an hour on cases: plenty for writing, too few to flood. */
const WRITES_PER_HOUR = { limit: 200, windowSeconds: 60 * 60 };

/** A case id: a bad one is answered as a case not found. */
const id = recordId('cases.problem.notFound');
const version = z.coerce.number({ invalid_type_error: 'cases.problem.stale' }).int().min(1, 'cases.problem.stale');

/** The case form: every text field (lengths checked in readCaseForm), topics and languages. */
const caseFormFields = Object.fromEntries(CASE_TEXT_FIELDS.map((field) => [field, cleanText().max(maxLength(field) * 2, 'form.tooLong').optional()])) as Record<string, z.ZodOptional<z.ZodString>>;

function problem(outcome: Extract<CaseOutcome, { ok: false }>): never {
  const code = { notFound: 'NOT_FOUND', forbidden: 'FORBIDDEN', stale: 'CONFLICT', wrongState: 'CONFLICT', incomplete: 'BAD_REQUEST' } as const;
  throw new ActionError({ code: code[outcome.problem], message: `cases.problem.${outcome.problem}` });
}

/** The signed-in member, counted against the hour's writes; 401 or 429 otherwise. */
async function writer(context: ActionAPIContext): Promise<CurrentUser> {
  const user = context.locals.user;
  if (!user) throw new ActionError({ code: 'UNAUTHORIZED', message: 'auth.signInRequired' });
  await throttle(`cases:write:${user.id}`, WRITES_PER_HOUR, 'cases.problem.throttled');
  return user;
}

/**
 * A step a town's member takes on one version of a case (taking a submission back,
 * proposing changes to a published one): the domain function decides; `done` tells the
 * page it worked.
 */
function townStep<Done>(take: (db: Kysely<Database>, user: CurrentUser, input: { id: number; version: number }) => Promise<CaseOutcome>, done: Done) {
  return defineAction({
    accept: 'form',
    input: z.object({ id, version }),
    handler: async (input, context) => {
      const outcome = await take(db(), await writer(context), input);
      if (!outcome.ok) problem(outcome);
      return done;
    },
  });
}

/** Writing, submitting and reviewing member towns' cases. */
export const casesActions = {
  /**
   * The case form's three buttons: save the draft, preview it (nothing saved), or submit
   * it for review. Without `id`, saving starts a new draft for the member's own town.
   */
  save: defineAction({
    accept: 'form',
    input: z
      .object({
        id: id.optional(),
        version: version.optional(),
        intent: choice(['save', 'preview', 'submit'] as const).default('save'),
        languages: z.array(cleanText().max(10, 'cases.error.unknownLanguage')).max(10, 'form.tooLong').default([]),
        topics: z.array(cleanText().max(80, 'cases.error.unknownTopic')).max(60, 'form.tooLong').default([]),
        ...caseFormFields,
      })
      .superRefine((input, context) => {
        if (input.intent === 'preview') return;
        const { errors } = readCaseForm(input, input.intent === 'submit');
        for (const [field, message] of Object.entries(errors)) context.addIssue({ code: 'custom', path: [field], message });
      }),
    handler: async (input, context) => {
      const user = context.locals.user;
      if (!user) throw new ActionError({ code: 'UNAUTHORIZED', message: 'auth.signInRequired' });
      if (input.intent === 'preview') return { intent: 'preview' as const, id: input.id ?? null };
      if (!canWriteCases(user)) throw new ActionError({ code: 'FORBIDDEN', message: 'cases.problem.forbidden' });
      await writer(context);
      if (input.id !== undefined && input.version === undefined) throw new ActionError({ code: 'BAD_REQUEST', message: 'cases.problem.stale' });
      const { content } = readCaseForm(input, input.intent === 'submit');
      const written = await writeCase(db(), notifier(), user, { id: input.id, version: input.version ?? 1, content, submit: input.intent === 'submit', clientAddress: requestClientAddress(context) });
      if (!written.ok) problem(written);
      return { intent: input.intent, id: written.id };
    },
  }),

  withdraw: townStep(withdrawSubmission, { withdrawn: true }),
  propose: townStep(proposeChanges, { proposing: true }),

  comment: defineAction({
    accept: 'form',
    input: z.object({ id, comment: text(REVIEW_TEXT_MAX) }),
    handler: async (input, context) => {
      const user = await writer(context);
      const outcome = await commentOnCase(db(), user, { id: input.id, body: input.comment });
      if (!outcome.ok) problem(outcome);
      return { commented: true };
    },
  }),

  /** An editor's decision on the version they read. Rejecting and requesting changes say why. */
  decide: defineAction({
    accept: 'form',
    input: z
      .object({
        id,
        version,
        decision: choice(['approve', 'reject', 'requestChanges'] as const),
        // Optional on the outside, so an absent field arrives as undefined (Astro reads it as null otherwise).
        reason: z.preprocess((value) => (typeof value === 'string' ? value.replace(/\r\n?/g, '\n').trim() : value), cleanText().max(REVIEW_TEXT_MAX, 'form.tooLong')).optional(),
      })
      .superRefine((input, context) => {
        if (input.decision !== 'approve' && (input.reason ?? '').length < 5) context.addIssue({ code: 'custom', path: ['reason'], message: input.reason ? 'form.tooShort' : 'cases.review.reasonRequired' });
      }),
    handler: async (input, context) => {
      const user = context.locals.user;
      if (!canReviewCases(user)) throw new ActionError({ code: 'FORBIDDEN', message: 'cases.problem.forbidden' });
      await writer(context);
      const reservedSlugs = new Set((await loadFileItems('cases')).map((item) => item.slug));
      const review = { id: input.id, version: input.version, decision: input.decision, reason: input.reason ?? null, reservedSlugs, clientAddress: requestClientAddress(context) };
      const outcome = await reviewCase(db(), notifier(), user!, review);
      if (!outcome.ok) problem(outcome);
      return { decision: input.decision, slug: outcome.slug };
    },
  }),

  unpublish: defineAction({
    accept: 'form',
    input: z.object({ id, reason: text(REVIEW_TEXT_MAX, 5) }),
    handler: async (input, context) => {
      const user = context.locals.user;
      if (!canReviewCases(user)) throw new ActionError({ code: 'FORBIDDEN', message: 'cases.problem.forbidden' });
      await writer(context);
      const outcome = await takeCaseDown(db(), notifier(), user!, { id: input.id, reason: input.reason, clientAddress: requestClientAddress(context) });
      if (!outcome.ok) problem(outcome);
      return { unpublished: true };
    },
  }),
};
