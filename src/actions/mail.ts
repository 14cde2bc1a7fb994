import { ActionError } from 'astro:actions';
import { z } from 'astro:schema';
import { db } from '~/server/db/index.ts';
import { wakeMailSender } from '~/server/mail/index.ts';
import { retryFailedMail, type RetryProblem } from '~/server/mail/workflows.ts';
import { defineAction } from './define.ts';
import { id } from './fields.ts';
import { requestClientAddress } from './request.ts';

const CODES = { forbidden: 'FORBIDDEN', notFound: 'NOT_FOUND', notFailed: 'CONFLICT' } as const satisfies Record<RetryProblem, string>;

/** Administrators send a failed email again (src/pages/[lang]/admin/outbox.astro). */
export const mailActions = {
  retry: defineAction({
    accept: 'form',
    input: z.object({ mail: id('operations.outbox.problem.mail') }),
    handler: async (input, context) => {
      const problem = await retryFailedMail(db(), { actor: context.locals.user, mailId: input.mail, clientAddress: requestClientAddress(context) });
      if (problem) throw new ActionError({ code: CODES[problem], message: `operations.outbox.problem.${problem}` });
      wakeMailSender();
      return { done: 'operations.outbox.retried' as const };
    },
  }),
};
