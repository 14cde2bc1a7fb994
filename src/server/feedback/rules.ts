import type { CurrentUser } from '~/server/auth/lucia.ts';

/** Who may read what readers answered: editors and administrators. */
export function canReadFeedback(user: CurrentUser | null): boolean {
  return user?.role === 'editor' || user?.role === 'admin';
}
