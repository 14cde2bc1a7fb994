import { sql, type Kysely } from 'kysely';
import * as clock from '~/lib/clock.ts';
import { greatest } from '~/server/db/dialect.ts';
import type { Database } from '~/server/db/schema.ts';
import { keptPerKeyUntilChanged } from '~/server/cache/changes.ts';

// Who follows a thread and how far each member has read: what notifications and the
// unread markers of a group's discussion are computed from.

/** Records that a member has read a thread up to now. */
export async function markRead(db: Kysely<Database>, threadId: number, userId: string, now = clock.now()): Promise<void> {
  await db
    .insertInto('group_thread_reads')
    .values({ thread_id: threadId, user_id: userId, read_at: now })
    .onConflict((conflict) => conflict.columns(['thread_id', 'user_id']).doUpdateSet({ read_at: greatest(db, sql.ref<number>('group_thread_reads.read_at'), sql.ref<number>('excluded.read_at')) }))
    .execute();
}

/**
 * Records that a member opened a thread, writing only when that tells something new:
 * a thread counts as unread while its last activity is after the member's mark, so a
 * mark at or after `lastActivityAt` already says "read" and is left as it is. A view
 * is then one indexed read, not a write (which on SQLite would take the database's one
 * write lock on every GET). Returns whether it wrote.
 */
export async function markReadOnView(db: Kysely<Database>, thread: { id: number; lastActivityAt: number }, userId: string, now = clock.now()): Promise<boolean> {
  const mark = await db.selectFrom('group_thread_reads').select('read_at').where('thread_id', '=', thread.id).where('user_id', '=', userId).executeTakeFirst();
  return markReadAfterView(db, thread, userId, mark ? Number(mark.read_at) : null, now);
}

/** `markReadOnView` with the member's mark already read (`threadMarks`): writes only when it tells something new. */
export async function markReadAfterView(db: Kysely<Database>, thread: { id: number; lastActivityAt: number }, userId: string, readAt: number | null, now = clock.now()): Promise<boolean> {
  if (readAt !== null && readAt >= thread.lastActivityAt) return false;
  await markRead(db, thread.id, userId, now);
  return true;
}

/** Whether a member follows a thread and their read mark, in one query (the thread page needs both). */
export async function threadMarks(db: Kysely<Database>, threadId: number, userId: string): Promise<{ following: boolean; readAt: number | null }> {
  const row = await db
    .selectNoFrom((eb) => [
      eb.selectFrom('group_thread_follows').select('following').where('thread_id', '=', threadId).where('user_id', '=', userId).as('following'),
      eb.selectFrom('group_thread_reads').select('read_at').where('thread_id', '=', threadId).where('user_id', '=', userId).as('read_at'),
    ])
    .executeTakeFirstOrThrow();
  return { following: Number(row.following ?? 0) === 1, readAt: row.read_at === null ? null : Number(row.read_at) };
}

/**
 * Follows or unfollows a thread. `force` false only starts following when the member
 * never chose (so replying does not undo an explicit unfollow).
 */
export async function follow(db: Kysely<Database>, threadId: number, userId: string, force: boolean, following = true): Promise<void> {
  await db
    .insertInto('group_thread_follows')
    .values({ thread_id: threadId, user_id: userId, following: following ? 1 : 0 })
    .onConflict((conflict) => (force ? conflict.columns(['thread_id', 'user_id']).doUpdateSet({ following: following ? 1 : 0 }) : conflict.columns(['thread_id', 'user_id']).doNothing()))
    .execute();
}

/** Whether a member follows a thread. */
export async function isFollowing(db: Kysely<Database>, threadId: number, userId: string): Promise<boolean> {
  const row = await db.selectFrom('group_thread_follows').select('following').where('thread_id', '=', threadId).where('user_id', '=', userId).executeTakeFirst();
  return Number(row?.following ?? 0) === 1;
}

/** Who follows a thread and is still a member of its group (leaving ends following). */
export async function followerIds(db: Kysely<Database>, groupId: number, threadId: number): Promise<string[]> {
  const rows = await db
    .selectFrom('group_thread_follows')
    .innerJoin('group_members', (join) => join.onRef('group_members.user_id', '=', 'group_thread_follows.user_id').on('group_members.group_id', '=', groupId))
    .select('group_thread_follows.user_id')
    .where('group_thread_follows.thread_id', '=', threadId)
    .where('group_thread_follows.following', '=', 1)
    .execute();
  return rows.map((row) => row.user_id);
}

/** How many threads of a group have activity the member has not read. */
export async function unreadThreadCount(db: Kysely<Database>, groupId: number, userId: string): Promise<number> {
  return (await unreadThreadCounts(db, [groupId], userId)).get(groupId) ?? 0;
}

/**
 * How many threads each group shows (not hidden), kept per group until the `threads`
 * counter moves (a thread started, hidden or shown again): counting them was a scan of
 * 12,000 index entries a view of the groups list for a member of the ten busiest groups
 * at national scale. Replies change no count.
 */
const visibleThreads = keptPerKeyUntilChanged<number, number>(['threads'], async (db, groupIds) => {
  const rows = await db
    .selectFrom('group_threads')
    .select((eb) => ['group_id', eb.fn.countAll<number>().as('count')])
    .where('group_id', 'in', groupIds)
    .where('hidden_at', 'is', null)
    .groupBy('group_id')
    .execute();
  const counts = new Map(groupIds.map((id) => [id, 0]));
  for (const row of rows) counts.set(Number(row.group_id), Number(row.count));
  return counts;
});

/**
 * How many threads of each group have activity the member has not read: each group's
 * visible threads (kept, see visibleThreads) less those the member has read since their
 * last activity (from the member's own read marks, read on every call, so a new reply
 * counts at once). Looking up a read mark for every thread instead cost 12,000 index
 * searches a view for a member of ten busy groups at national scale. A thread is unread
 * when it has no mark or activity after it; both columns are NOT NULL, so the two ways
 * agree.
 */
export async function unreadThreadCounts(db: Kysely<Database>, groupIds: readonly number[], userId: string): Promise<Map<number, number>> {
  if (groupIds.length === 0) return new Map();
  const [visible, read] = await Promise.all([
    visibleThreads.get(db, groupIds),
    db
      .selectFrom('group_thread_reads')
      .innerJoin('group_threads', 'group_threads.id', 'group_thread_reads.thread_id')
      .select((eb) => ['group_threads.group_id', eb.fn.countAll<number>().as('count')])
      .where('group_thread_reads.user_id', '=', userId)
      .where('group_threads.group_id', 'in', groupIds)
      .where('group_threads.hidden_at', 'is', null)
      .whereRef('group_thread_reads.read_at', '>=', 'group_threads.last_activity_at')
      .groupBy('group_threads.group_id')
      .execute(),
  ]);
  const counts = new Map(groupIds.map((id) => [id, visible.get(id) ?? 0]));
  for (const row of read) counts.set(Number(row.group_id), (counts.get(Number(row.group_id)) ?? 0) - Number(row.count));
  return counts;
}
