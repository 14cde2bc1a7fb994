import { ActionError } from 'astro:actions';
import { defineAction } from './define.ts';
import { z } from 'astro:schema';
import { languageFromPath } from '~/i18n/index.ts';
import { db } from '~/server/db/index.ts';
import { FEEDBACK_PAGE, recordFeedback } from '~/server/feedback/feedback.ts';
import { cleanText } from './fields.ts';
import { requestClientAddress } from './request.ts';

// Error messages are i18n keys; pages translate them (see src/lib/forms.ts).

/** "Was this page helpful?" answers from public pages. */
export const feedbackActions = {
  submit: defineAction({
    accept: 'form',
    input: z.object({
      page: z.string({ required_error: 'feedback.unknownPage', invalid_type_error: 'feedback.unknownPage' }).regex(FEEDBACK_PAGE, 'feedback.unknownPage'),
      helpful: z.enum(['yes', 'no'], { errorMap: () => ({ message: 'feedback.chooseAnswer' }) }),
      comment: cleanText().max(1000, 'feedback.commentTooLong').optional(),
    }),
    handler: async (input, context) => {
      const outcome = await recordFeedback(
        db(),
        { page: input.page, language: languageFromPath(input.page)!, helpful: input.helpful === 'yes', comment: input.comment ?? null },
        requestClientAddress(context),
      );
      if (outcome === 'throttled') throw new ActionError({ code: 'TOO_MANY_REQUESTS', message: 'feedback.throttled' });
      return { page: input.page };
    },
  }),
};
