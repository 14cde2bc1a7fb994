import { authActions } from './auth.ts';

/** Every server action, one object per domain. */
export const server = {
  auth: authActions,
};
