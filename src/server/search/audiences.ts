import type { Kysely } from 'kysely';
import type { CurrentUser } from '~/server/auth/lucia.ts';
import type { Database, Role } from '~/server/db/schema.ts';
import type { SearchAudience } from './documents.ts';

/** What a reader may find: the audiences they hold, and whether every group's threads (editors moderate all groups). */
export interface SearchReader {
  audiences: SearchAudience[];
  everyGroup: boolean;
}

/**
 * The roles of the members' peer spaces (exchange, profiles, groups). Listed, not excluded:
 * a role added later (partners, authors) finds nothing members-only until it is named here.
 */
const MEMBER_ROLES: readonly Role[] = ['member', 'town_admin', 'editor', 'admin'];

/** The audiences a reader holds; a visitor or a disabled account holds `public` only. */
export async function searchReaderFor(db: Kysely<Database>, user: CurrentUser | null): Promise<SearchReader> {
  if (user === null || user.disabled) return { audiences: ['public'], everyGroup: false };
  const audiences: SearchAudience[] = ['public', 'signed_in'];
  if (!MEMBER_ROLES.includes(user.role)) return { audiences, everyGroup: false };
  audiences.push('members');
  const groups = await db.selectFrom('group_members').select('group_id').where('user_id', '=', user.id).execute();
  for (const { group_id } of groups) audiences.push(`group:${group_id}`);
  return { audiences, everyGroup: user.role === 'editor' || user.role === 'admin' };
}
