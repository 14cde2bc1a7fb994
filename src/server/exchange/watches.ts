import type { Kysely } from 'kysely';
import type { Database } from '~/server/db/schema.ts';

/** The topics a member watches. */
export async function watchedTopics(db: Kysely<Database>, userId: string): Promise<string[]> {
  const rows = await db.selectFrom('topic_watches').select('topic').where('user_id', '=', userId).orderBy('topic').execute();
  return rows.map((row) => row.topic);
}

/** Replaces the topics a member watches. */
export async function setWatchedTopics(db: Kysely<Database>, userId: string, topics: readonly string[]): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom('topic_watches').where('user_id', '=', userId).execute();
    const unique = [...new Set(topics)];
    if (unique.length > 0) await trx.insertInto('topic_watches').values(unique.map((topic) => ({ user_id: userId, topic }))).execute();
  });
}

/**
 * Active members watching any of `topics`, outside the requesting town (a town
 * does not need telling about its own request).
 */
export async function watchersOf(db: Kysely<Database>, topics: readonly string[], exceptTownId: number): Promise<string[]> {
  if (topics.length === 0) return [];
  const rows = await db
    .selectFrom('topic_watches as w')
    .innerJoin('users as u', 'u.id', 'w.user_id')
    .select('u.id')
    .distinct()
    .where('w.topic', 'in', [...topics])
    .where('u.disabled_at', 'is', null)
    .where((eb) => eb.or([eb('u.town_id', 'is', null), eb('u.town_id', '!=', exceptTownId)]))
    .execute();
  return rows.map((row) => row.id);
}
