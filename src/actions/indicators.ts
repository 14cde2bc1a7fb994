import { ActionError } from 'astro:actions';
import { defineAction } from './define.ts';
import { z } from 'astro:schema';
import { findIndicator } from '~/lib/indicators/catalogue.ts';
import { indicatorProblem, parseDecimal, periodProblem, valueProblem } from '~/lib/indicators/validation.ts';
import type { CurrentUser } from '~/server/auth/lucia.ts';
import { db } from '~/server/db/index.ts';
import { canEnterValues, canPublishValues } from '~/server/indicators/rules.ts';
import { addValue, correctValue, publishTownValues, type WriteRefusal } from '~/server/indicators/values.ts';
import { findTownBySlug } from '~/server/towns/towns.ts';
import { required } from './fields.ts';

// Error messages are i18n keys; pages translate them (see src/lib/forms.ts).

/**
 * One value for one indicator and year. Every rule that needs no database is checked
 * here, so a bad value comes back to the form with a message beside the field.
 */
const valueInput = z
  .object({
    town: required.max(100, 'form.tooLong'),
    indicator: required.max(60, 'form.tooLong').superRefine((id, context) => {
      const problem = indicatorProblem(id);
      if (problem) context.addIssue({ code: 'custom', message: problem });
    }),
    period: required.max(10, 'form.tooLong').superRefine((text, context) => {
      const problem = periodProblem(text);
      if (problem) context.addIssue({ code: 'custom', message: problem });
    }),
    value: required.max(40, 'form.tooLong').refine((text) => parseDecimal(text) !== null, 'indicators.error.notNumber'),
    sourceNote: required.max(300, 'form.tooLong').refine((text) => !/[\r\n]/.test(text), 'form.noLineBreaks'),
  })
  .superRefine((input, context) => {
    // Runs once every field is well-formed: the range depends on the indicator.
    const indicator = findIndicator(input.indicator);
    const problem = indicator ? valueProblem(indicator, parseDecimal(input.value)!) : null;
    if (problem) context.addIssue({ code: 'custom', path: ['value'], message: problem });
  });

type ValueForm = z.infer<typeof valueInput>;

/** The town named in the form, if the user may enter its values; else an ActionError. */
async function authorisedTown(user: CurrentUser | null, slug: string) {
  if (!user) throw new ActionError({ code: 'UNAUTHORIZED', message: 'auth.signInRequired' });
  const town = await findTownBySlug(db(), slug);
  if (!town) throw new ActionError({ code: 'NOT_FOUND', message: 'indicators.error.unknownTown' });
  return town;
}

function refusal(reason: WriteRefusal): never {
  if (reason === 'duplicate') throw new ActionError({ code: 'CONFLICT', message: 'indicators.error.duplicate' });
  throw new ActionError({ code: 'NOT_FOUND', message: 'indicators.error.notFound' });
}

async function write(input: ValueForm, user: CurrentUser | null, mode: 'add' | 'correct') {
  const town = await authorisedTown(user, input.town);
  if (!canEnterValues(user, town.id)) throw new ActionError({ code: 'FORBIDDEN', message: 'indicators.error.otherTown' });
  const values = { townId: town.id, indicator: input.indicator, period: Number(input.period), value: parseDecimal(input.value)!, sourceNote: input.sourceNote };
  const outcome = mode === 'add' ? await addValue(db(), values, user.id) : await correctValue(db(), values, user.id);
  if (!outcome.ok) refusal(outcome.reason);
  return { saved: mode, indicator: input.indicator, period: values.period };
}

/** Adding, correcting and publishing a town's indicator values. */
export const indicatorActions = {
  /** A value for a year the town has none for yet; members see it until the town publishes. */
  add: defineAction({ accept: 'form', input: valueInput, handler: (input, context) => write(input, context.locals.user, 'add') }),

  /** A new figure for a year the town already has one for; the old one stays in the history. */
  correct: defineAction({ accept: 'form', input: valueInput, handler: (input, context) => write(input, context.locals.user, 'correct') }),

  /** The town administrator makes every value the town has not published public. */
  publish: defineAction({
    accept: 'form',
    input: z.object({ town: required.max(100, 'form.tooLong') }),
    handler: async (input, context) => {
      const { user } = context.locals;
      const town = await authorisedTown(user, input.town);
      if (!canPublishValues(user, town.id)) throw new ActionError({ code: 'FORBIDDEN', message: 'indicators.error.publishOwnTown' });
      return { published: await publishTownValues(db(), town.id, user!.id) };
    },
  }),
};
