import { ActionError } from 'astro:actions';
import { defineAction } from './define.ts';
import { z } from 'astro:schema';
import { changeRole, endSessions, setDisabled, type AdministrationProblem } from '~/server/accounts/administration.ts';
import { auth } from '~/server/auth/index.ts';
import { db } from '~/server/db/index.ts';
import { ROLES } from '~/server/db/schema.ts';
import { userId } from './fields.ts';
import { requestClientAddress } from './request.ts';

const user = userId('admin.problem.notFound');

function refuse(problem: AdministrationProblem): never {
  const code = problem === 'forbidden' ? 'FORBIDDEN' : problem === 'notFound' ? 'NOT_FOUND' : 'BAD_REQUEST';
  throw new ActionError({ code, message: `admin.problem.${problem}` });
}

/** Administrators manage accounts: role, disabling, sessions. */
export const administrationActions = {
  changeRole: defineAction({
    accept: 'form',
    input: z.object({ user, role: z.enum(ROLES, { errorMap: () => ({ message: 'admin.problem.role' }) }) }),
    handler: async (input, context) => {
      const problem = await changeRole(db(), { actor: context.locals.user, userId: input.user, role: input.role, clientAddress: requestClientAddress(context) });
      if (problem) refuse(problem);
      return { done: 'admin.roleChanged' as const };
    },
  }),

  setDisabled: defineAction({
    accept: 'form',
    input: z.object({ user, disabled: z.enum(['true', 'false']) }),
    handler: async (input, context) => {
      const disabled = input.disabled === 'true';
      const problem = await setDisabled(db(), auth(), { actor: context.locals.user, userId: input.user, disabled, clientAddress: requestClientAddress(context) });
      if (problem) refuse(problem);
      return { done: disabled ? ('admin.disabled' as const) : ('admin.enabled' as const) };
    },
  }),

  endSessions: defineAction({
    accept: 'form',
    input: z.object({ user }),
    handler: async (input, context) => {
      const problem = await endSessions(db(), auth(), { actor: context.locals.user, userId: input.user, clientAddress: requestClientAddress(context) });
      if (problem) refuse(problem);
      return { done: 'admin.sessionsEnded' as const };
    },
  }),
};
