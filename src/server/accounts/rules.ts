import type { CurrentUser } from '~/server/auth/lucia.ts';

/** Who may read the mail outbox and the audit log: administrators. */
export function canOperateSite(user: CurrentUser | null): boolean {
  return user?.role === 'admin';
}
