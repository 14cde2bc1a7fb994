import type { Kysely } from 'kysely';
import type { Database } from '~/server/db/schema.ts';

// The little the file rules need to know about the group posts and documents files are
// attached to: which group, and whether the post (or its thread) is hidden.

/** A post's group, whether it is hidden, and who wrote it. */
export interface PostFacts {
  groupId: number;
  hidden: Array<{ hidden: boolean; authorId: string | null }>;
}

/** The group of a thread, and whether the thread is hidden. */
export async function postOfThread(db: Kysely<Database>, threadId: number): Promise<PostFacts | undefined> {
  const row = await db.selectFrom('group_threads').select(['group_id', 'hidden_at', 'author_id']).where('id', '=', threadId).executeTakeFirst();
  return row ? { groupId: row.group_id, hidden: [{ hidden: row.hidden_at !== null, authorId: row.author_id }] } : undefined;
}

/** The group of a reply, and whether the reply is hidden (a hidden thread's replies stay on its page, so does what they carry). */
export async function postOfReply(db: Kysely<Database>, replyId: number): Promise<PostFacts | undefined> {
  const row = await db
    .selectFrom('group_replies as r')
    .innerJoin('group_threads as t', 't.id', 'r.thread_id')
    .select(['t.group_id', 'r.hidden_at', 'r.author_id'])
    .where('r.id', '=', replyId)
    .executeTakeFirst();
  if (!row) return undefined;
  return {
    groupId: row.group_id,
    hidden: [{ hidden: row.hidden_at !== null, authorId: row.author_id }],
  };
}

/** The group a library document belongs to. */
export async function documentGroupId(db: Kysely<Database>, documentId: number): Promise<number | undefined> {
  const row = await db.selectFrom('group_documents').select('group_id').where('id', '=', documentId).executeTakeFirst();
  return row?.group_id;
}
