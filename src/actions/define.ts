import { ActionError, defineAction as defineAstroAction } from 'astro:actions';
import { isDatabaseBusy } from '~/server/db/busy.ts';
import { errorFields, log } from '~/server/log.ts';

/**
 * Astro's `defineAction`, with one addition: an unexpected error is logged here, with
 * its stack and the request's id, before Astro turns it into a 500 that keeps only the
 * message (src/middleware.ts then sees nothing more). ActionErrors are answers, not
 * failures, and a busy database is answered 503 by the middleware; neither is logged
 * as an error. Every action file defines its actions through this one.
 */
export const defineAction = ((config: Parameters<typeof defineAstroAction>[0]) =>
  defineAstroAction({
    ...config,
    handler: async (input: unknown, context: Parameters<typeof config.handler>[1]) => {
      try {
        return await config.handler(input as never, context);
      } catch (error) {
        if (!(error instanceof ActionError) && !isDatabaseBusy(error)) {
          log.error('action failed', { requestId: context.locals.requestId, ...errorFields(error) });
        }
        throw error;
      }
    },
  } as never)) as typeof defineAstroAction;
