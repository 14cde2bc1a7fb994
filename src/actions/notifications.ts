import { ActionError } from 'astro:actions';
import { defineAction } from './define.ts';
import { z } from 'astro:schema';
import { db } from '~/server/db/index.ts';
import { markAllRead } from '~/server/notifications/notifications.ts';
import { CHOOSABLE_KINDS, DELIVERIES, saveDeliveryChoices } from '~/server/notifications/preferences.ts';

// One select per choosable kind, named after the kind. A kind not sent keeps its choice;
// security notices are not in the schema, so a forged field for them is ignored.
const delivery = z.enum(DELIVERIES, { errorMap: () => ({ message: 'digests.settings.invalidChoice' }) }).optional();
const deliveryChoices = z.object(Object.fromEntries(CHOOSABLE_KINDS.map((kind) => [kind, delivery])) as Record<(typeof CHOOSABLE_KINDS)[number], typeof delivery>);

/** A member's own notifications: reading them and choosing how each kind reaches them by email. */
export const notificationActions = {
  markAllRead: defineAction({
    accept: 'form',
    handler: async (_input, context) => {
      if (!context.locals.user) throw new ActionError({ code: 'UNAUTHORIZED', message: 'auth.signInRequired' });
      await markAllRead(db(), context.locals.user.id);
      return { done: true };
    },
  }),

  savePreferences: defineAction({
    accept: 'form',
    input: deliveryChoices,
    handler: async (input, context) => {
      if (!context.locals.user) throw new ActionError({ code: 'UNAUTHORIZED', message: 'auth.signInRequired' });
      await saveDeliveryChoices(db(), context.locals.user.id, input);
      return { saved: true };
    },
  }),
};
