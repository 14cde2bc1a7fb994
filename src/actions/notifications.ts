import { ActionError } from 'astro:actions';
import { defineAction } from './define.ts';
import { z } from 'astro:schema';
import { db } from '~/server/db/index.ts';
import { NOTIFICATION_KINDS, type NotificationKind } from '~/server/notifications/kinds.ts';
import { markAllRead, setEmailPreference } from '~/server/notifications/notifications.ts';

const optionalKinds = (Object.keys(NOTIFICATION_KINDS) as NotificationKind[]).filter((kind) => !NOTIFICATION_KINDS[kind].alwaysEmail);

/** A member's own notifications: reading them and choosing which come by email. */
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
    // A checked box sends its kind; kinds not sent are turned off. Unknown kinds are refused.
    input: z.object({ email: z.array(z.enum(optionalKinds as [string, ...string[]])).default([]) }),
    handler: async (input, context) => {
      if (!context.locals.user) throw new ActionError({ code: 'UNAUTHORIZED', message: 'auth.signInRequired' });
      for (const kind of optionalKinds) await setEmailPreference(db(), context.locals.user.id, kind, input.email.includes(kind));
      return { saved: true };
    },
  }),
};
