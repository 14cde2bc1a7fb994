import { ActionError, type ActionAPIContext } from 'astro:actions';
import { z } from 'astro:schema';
import { db } from '~/server/db/index.ts';
import type { CurrentUser } from '~/server/auth/lucia.ts';
import { zonedToUtcSeconds } from '~/server/groups/meetings.ts';
import { POSITION_LIMITS, readPositionForm, sectionFields } from '~/server/positions/form.ts';
import { canRunPositions } from '~/server/positions/rules.ts';
import { MAX_SECTIONS, STANCES, type PositionOutcome } from '~/server/positions/types.ts';
import { adoptPosition, commentOnSection, createPosition, editDraft, openConsultation, POSITION_COMMENT_MAX, recordStance, revisePosition } from '~/server/positions/workflows.ts';
import { defineAction } from './define.ts';
import { choice, cleanText, id as recordId, optionalText, text } from './fields.ts';
import { notifier, requestClientAddress, throttle } from './request.ts';

// Error messages are i18n keys; pages translate them (see src/lib/forms.ts).

/** Writes one person may make in an hour on positions. */
const WRITES_PER_HOUR = { limit: 200, windowSeconds: 60 * 60 };

const id = recordId('positions.problem.notFound');
const version = z.coerce.number({ invalid_type_error: 'positions.problem.stale' }).int().min(1, 'positions.problem.stale');

/** The text fields of the position form; their rules are checked in readPositionForm. */
const textFields = {
  lang: cleanText().max(10, 'positions.error.language').optional(),
  title: cleanText().max(POSITION_LIMITS.title * 2, 'form.tooLong').optional(),
  summary: cleanText().max(POSITION_LIMITS.summary * 2, 'form.tooLong').optional(),
  topics: z.array(cleanText().max(80, 'positions.error.topic')).max(60, 'form.tooLong').default([]),
  ...Object.fromEntries(
    Array.from({ length: MAX_SECTIONS }, (_, index) => sectionFields(index + 1)).flatMap((names) => [
      [names.heading, cleanText().max(POSITION_LIMITS.heading * 2, 'form.tooLong').optional()],
      [names.body, cleanText().max(POSITION_LIMITS.body * 2, 'form.tooLong').optional()],
    ]),
  ),
} as Record<string, z.ZodTypeAny>;

/** Adds readPositionForm's errors to zod's, so they come back to their fields. */
function checkText(input: Record<string, unknown>, context: z.RefinementCtx): void {
  for (const [field, message] of Object.entries(readPositionForm(input as never).errors)) context.addIssue({ code: 'custom', path: [field], message });
}

/** A consultation's closing date and time in the association's time zone; the time defaults to the end of the working day. */
const closing = {
  closesDate: cleanText().trim().regex(/^\d{4}-\d{2}-\d{2}$/, 'positions.error.dateFormat'),
  closesTime: cleanText().trim().regex(/^(\d{2}:\d{2})?$/, 'positions.error.timeFormat').optional(),
};

function closesAt(input: { closesDate: string; closesTime?: string | undefined }): number | undefined {
  return zonedToUtcSeconds(input.closesDate, input.closesTime || '18:00');
}

function problem(outcome: Extract<PositionOutcome, { ok: false }>): never {
  const code = { notFound: 'NOT_FOUND', forbidden: 'FORBIDDEN', closed: 'CONFLICT', wrongState: 'CONFLICT', stale: 'CONFLICT', badSection: 'BAD_REQUEST' } as const;
  throw new ActionError({ code: code[outcome.problem], message: `positions.problem.${outcome.problem}` });
}

/** The signed-in user, counted against the hour's writes; 401 or 429 otherwise. */
async function writer(context: ActionAPIContext): Promise<CurrentUser> {
  const user = context.locals.user;
  if (!user) throw new ActionError({ code: 'UNAUTHORIZED', message: 'auth.signInRequired' });
  await throttle(`positions:write:${user.id}`, WRITES_PER_HOUR, 'positions.problem.throttled');
  return user;
}

/** An editor or administrator; 401, 403 or 429 otherwise. */
async function editor(context: ActionAPIContext): Promise<CurrentUser> {
  if (context.locals.user && !canRunPositions(context.locals.user)) throw new ActionError({ code: 'FORBIDDEN', message: 'positions.problem.forbidden' });
  return writer(context);
}

/** Drafting, consulting on and adopting the association's positions. */
export const positionsActions = {
  /** An editor starts a draft. */
  create: defineAction({
    accept: 'form',
    input: z.object(textFields).superRefine(checkText),
    handler: async (input, context) => {
      const user = await editor(context);
      const { text: content, topics } = readPositionForm(input as never);
      const outcome = await createPosition(db(), user, { text: content, topics });
      if (!outcome.ok) problem(outcome);
      return { id: outcome.id };
    },
  }),

  /** An editor saves a draft's text. */
  save: defineAction({
    accept: 'form',
    input: z.object({ id, ...textFields }).superRefine(checkText),
    handler: async (input, context) => {
      const user = await editor(context);
      const { text: content, topics } = readPositionForm(input as never);
      const outcome = await editDraft(db(), user, { id: input.id as number, text: content, topics });
      if (!outcome.ok) problem(outcome);
      return { saved: true };
    },
  }),

  /** An editor opens a draft for consultation until a date. */
  open: defineAction({
    accept: 'form',
    input: z.object({ id, ...closing }).refine((input) => closesAt(input) !== undefined, { message: 'positions.error.dateFormat', path: ['closesDate'] }),
    handler: async (input, context) => {
      const user = await editor(context);
      const outcome = await openConsultation(db(), notifier(), user, { id: input.id, closesAt: closesAt(input)!, clientAddress: requestClientAddress(context) });
      if (!outcome.ok) {
        if (outcome.problem === 'closed') throw new ActionError({ code: 'BAD_REQUEST', message: 'positions.error.closesInPast' });
        problem(outcome);
      }
      return { opened: true };
    },
  }),

  /** An editor publishes a revised version (and may move the closing date). */
  revise: defineAction({
    accept: 'form',
    input: z
      .object({
        id,
        version,
        changeNote: text(POSITION_LIMITS.changeNote),
        closesDate: cleanText().trim().regex(/^(\d{4}-\d{2}-\d{2})?$/, 'positions.error.dateFormat').optional(),
        closesTime: closing.closesTime,
        ...textFields,
      })
      .superRefine(checkText)
      .refine((input) => !input.closesDate || closesAt({ closesDate: input.closesDate as string, closesTime: input.closesTime as string | undefined }) !== undefined, { message: 'positions.error.dateFormat', path: ['closesDate'] }),
    handler: async (input, context) => {
      const user = await editor(context);
      const { text: content, topics } = readPositionForm(input as never);
      const newClose = input.closesDate ? closesAt({ closesDate: input.closesDate as string, closesTime: input.closesTime as string | undefined }) : undefined;
      const outcome = await revisePosition(db(), user, { id: input.id as number, fromVersion: input.version as number, text: content, topics, changeNote: input.changeNote as string, closesAt: newClose, clientAddress: requestClientAddress(context) });
      if (!outcome.ok) {
        if (outcome.problem === 'closed') throw new ActionError({ code: 'BAD_REQUEST', message: 'positions.error.closesInPast' });
        problem(outcome);
      }
      return { version: outcome.version };
    },
  }),

  /** An editor adopts the version they read. */
  adopt: defineAction({
    accept: 'form',
    input: z.object({ id, version }),
    handler: async (input, context) => {
      const user = await editor(context);
      const outcome = await adoptPosition(db(), notifier(), user, { id: input.id, version: input.version, clientAddress: requestClientAddress(context) });
      if (!outcome.ok) problem(outcome);
      return { adopted: true };
    },
  }),

  /** A town's administrator records or changes the town's stance. */
  stance: defineAction({
    accept: 'form',
    input: z.object({ id, stance: choice(STANCES, 'positions.error.stance'), reason: optionalText(POSITION_COMMENT_MAX) }),
    handler: async (input, context) => {
      const user = await writer(context);
      const reason = input.reason?.trim() || null;
      const outcome = await recordStance(db(), user, { id: input.id, stance: input.stance, reason });
      if (!outcome.ok) problem(outcome);
      return { changed: outcome.changed };
    },
  }),

  /** A member town's member or administrator comments on a section. */
  comment: defineAction({
    accept: 'form',
    input: z.object({
      id,
      version,
      section: z.coerce.number({ invalid_type_error: 'positions.problem.badSection' }).int('positions.problem.badSection').min(0, 'positions.problem.badSection').max(MAX_SECTIONS, 'positions.problem.badSection'),
      comment: text(POSITION_COMMENT_MAX),
    }),
    handler: async (input, context) => {
      const user = await writer(context);
      const outcome = await commentOnSection(db(), user, { id: input.id, version: input.version, section: input.section, body: input.comment });
      if (!outcome.ok) problem(outcome);
      return { commented: input.section };
    },
  }),
};
