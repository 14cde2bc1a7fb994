import { ActionError } from 'astro:actions';
import { defineAction } from './define.ts';
import { z } from 'astro:schema';
import { confirmEmailChange, requestEmailChange } from '~/server/accounts/email-change.ts';
import { changeOwnPassword, requestPasswordReset, resetPassword } from '~/server/accounts/passwords.ts';
import { writeSessionCookie } from '~/server/auth/cookies.ts';
import { auth } from '~/server/auth/index.ts';
import { db } from '~/server/db/index.ts';
import { mailer } from '~/server/mail/index.ts';
import { verbatim } from './fields.ts';
import { notifier, publicBaseUrl, requestClientAddress, requestLanguage } from './request.ts';

// Error messages are i18n keys; pages translate them (see src/lib/forms.ts).

/** Forgotten password, reset by link, change of password, and change of email. */
export const passwordActions = {
  requestReset: defineAction({
    accept: 'form',
    input: z.object({ email: verbatim(254).pipe(z.string().trim().email('signIn.emailFormat')) }),
    handler: async (input, context) => {
      const outcome = await requestPasswordReset(db(), mailer(), {
        email: input.email,
        clientAddress: requestClientAddress(context),
        baseUrl: publicBaseUrl(),
        language: requestLanguage(context),
      });
      if (outcome === 'throttled') throw new ActionError({ code: 'TOO_MANY_REQUESTS', message: 'passwordForgot.throttled' });
      return { sent: true };
    },
  }),

  reset: defineAction({
    accept: 'form',
    input: z
      .object({ token: verbatim(200), password: verbatim(1024), confirm: verbatim(1024) })
      .refine((input) => input.password === input.confirm, { message: 'passwordReset.mismatch', path: ['confirm'] }),
    handler: async (input, context) => {
      const outcome = await resetPassword(db(), auth(), { token: input.token, password: input.password, clientAddress: requestClientAddress(context) });
      if (!outcome.ok) {
        const message = outcome.problem.startsWith('password.') ? outcome.problem : `passwordReset.${outcome.problem}`;
        throw new ActionError({ code: 'BAD_REQUEST', message });
      }
      return { reset: true };
    },
  }),

  change: defineAction({
    accept: 'form',
    input: z.object({ current: verbatim(1024), password: verbatim(1024) }),
    handler: async (input, context) => {
      const { user, session } = context.locals;
      if (!user || !session) throw new ActionError({ code: 'UNAUTHORIZED', message: 'auth.signInRequired' });
      const outcome = await changeOwnPassword(db(), auth(), notifier(), {
        userId: user.id,
        displayName: user.displayName,
        sessionCreatedAt: session.createdAt,
        current: input.current,
        next: input.password,
        clientAddress: requestClientAddress(context),
      });
      if (!outcome.ok) {
        if (outcome.problem === 'throttled') throw new ActionError({ code: 'TOO_MANY_REQUESTS', message: 'passwordChange.throttled' });
        throw new ActionError({ code: 'BAD_REQUEST', message: outcome.problem === 'wrongPassword' ? 'passwordChange.wrongPassword' : outcome.problem });
      }
      // The session goes on under a new id; every other session has ended.
      writeSessionCookie(context.cookies, outcome.cookie);
      return { changed: true };
    },
  }),

  requestEmailChange: defineAction({
    accept: 'form',
    input: z.object({ email: verbatim(254).pipe(z.string().trim().email('signIn.emailFormat')), password: verbatim(1024) }),
    handler: async (input, context) => {
      const { user } = context.locals;
      if (!user) throw new ActionError({ code: 'UNAUTHORIZED', message: 'auth.signInRequired' });
      const outcome = await requestEmailChange(db(), mailer(), { userId: user.id, password: input.password, newEmail: input.email, baseUrl: publicBaseUrl(), language: requestLanguage(context) });
      if (!outcome.ok) {
        const code = outcome.problem === 'throttled' ? 'TOO_MANY_REQUESTS' : outcome.problem === 'taken' ? 'CONFLICT' : 'BAD_REQUEST';
        throw new ActionError({ code, message: `emailChange.${outcome.problem}` });
      }
      return { sentTo: input.email };
    },
  }),

  confirmEmailChange: defineAction({
    accept: 'form',
    input: z.object({ token: verbatim(200) }),
    handler: async (input, context) => {
      const outcome = await confirmEmailChange(db(), mailer(), { token: input.token, clientAddress: requestClientAddress(context) });
      if (!outcome.ok) throw new ActionError({ code: 'BAD_REQUEST', message: `emailChange.${outcome.problem}` });
      return { confirmed: true };
    },
  }),
};
