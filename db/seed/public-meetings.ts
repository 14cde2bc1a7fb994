import type { Kysely } from 'kysely';
import type { Database } from '~/server/db/schema.ts';

/**
 * Demo: the utilities committee (an open group) opens its next meeting to the public, so
 * the public events calendar shows one group meeting beside the association's events.
 */
export async function seedPublicMeetings(db: Kysely<Database>): Promise<void> {
  const group = await db.selectFrom('groups').select('id').where('slug', '=', 'utilities-renewal').executeTakeFirst();
  if (!group) return;
  await db.updateTable('group_meetings').set({ is_public: 1 }).where('group_id', '=', group.id).execute();
}
