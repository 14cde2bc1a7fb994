import type { Kysely } from 'kysely';
import * as clock from '~/lib/clock.ts';
import type { Database } from '~/server/db/schema.ts';

/**
 * A visit is stored again only when the last one stored is older than this: opening a
 * group page several times in a sitting costs one read each, and one write at most
 * every ten minutes. The member home reads "new since" from the stored time, so what
 * happened in the ten minutes after a visit may still show as new once.
 */
export const VISIT_REFRESH_SECONDS = 10 * 60;

/**
 * Remembers that a member opened one of their groups (called by the group's page for its
 * members only). Reads first, and writes only when the stored visit is missing or stale,
 * so a busy group page does not take the database's write lock on every view.
 */
export async function recordGroupVisit(db: Kysely<Database>, userId: string, groupId: number, now = clock.now()): Promise<boolean> {
  const stored = await db.selectFrom('group_visits').select('visited_at').where('user_id', '=', userId).where('group_id', '=', groupId).executeTakeFirst();
  if (stored && Number(stored.visited_at) > now - VISIT_REFRESH_SECONDS) return false;
  await db
    .insertInto('group_visits')
    .values({ user_id: userId, group_id: groupId, visited_at: now })
    .onConflict((conflict) => conflict.columns(['user_id', 'group_id']).doUpdateSet({ visited_at: now }))
    .execute();
  return true;
}
