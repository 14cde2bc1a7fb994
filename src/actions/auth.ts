import { ActionError, type ActionAPIContext } from 'astro:actions';
import { defineAction } from './define.ts';
import { z } from 'astro:schema';
import { auth } from '~/server/auth/index.ts';
import { writeSessionCookie } from '~/server/auth/cookies.ts';
import { PasswordHasherBusyError } from '~/server/auth/password.ts';
import { signIn as signInWithPassword } from '~/server/auth/sign-in.ts';
import { signOut, signOutEverywhere } from '~/server/auth/sign-out.ts';
import { db } from '~/server/db/index.ts';
import { email, verbatim } from './fields.ts';
import { requestClientAddress } from './request.ts';

// Error messages are i18n keys; pages translate them (see src/lib/forms.ts).

async function endCurrentSession(context: ActionAPIContext): Promise<void> {
  const { session, user } = context.locals;
  if (session && user) await signOut(db(), auth(), { userId: user.id, sessionId: session.id, clientAddress: requestClientAddress(context) });
  writeSessionCookie(context.cookies, auth().createBlankSessionCookie());
}

/** Sign-in, sign-out and sign-out-everywhere. */
export const authActions = {
  signIn: defineAction({
    accept: 'form',
    input: z.object({ email, password: verbatim(1024) }),
    handler: async (input, context) => {
      let result;
      try {
        result = await signInWithPassword(db(), auth(), {
          email: input.email,
          password: input.password,
          clientAddress: requestClientAddress(context),
        });
      } catch (error) {
        if (error instanceof PasswordHasherBusyError) throw new ActionError({ code: 'SERVICE_UNAVAILABLE', message: 'signIn.busy' });
        throw error;
      }
      if (!result.ok && result.reason === 'throttled') {
        throw new ActionError({ code: 'TOO_MANY_REQUESTS', message: 'signIn.throttled' });
      }
      if (!result.ok) throw new ActionError({ code: 'UNAUTHORIZED', message: 'signIn.invalid' });
      // A fresh session id at every sign-in; the old session, if any, ends.
      if (context.locals.session) await auth().invalidateSession(context.locals.session.id);
      writeSessionCookie(context.cookies, result.cookie);
      return { signedIn: true };
    },
  }),

  signOut: defineAction({
    accept: 'form',
    handler: async (_input, context) => {
      await endCurrentSession(context);
      return { signedOut: true };
    },
  }),

  signOutEverywhere: defineAction({
    accept: 'form',
    handler: async (_input, context) => {
      if (!context.locals.user) throw new ActionError({ code: 'UNAUTHORIZED', message: 'auth.signInRequired' });
      await signOutEverywhere(db(), auth(), { userId: context.locals.user.id, clientAddress: requestClientAddress(context) });
      writeSessionCookie(context.cookies, auth().createBlankSessionCookie());
      return { signedOut: true };
    },
  }),
};
