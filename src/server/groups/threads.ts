import { isCommunityRule, type CommunityRule } from '~/lib/community-rules.ts';
import { sql, type Kysely } from 'kysely';
import * as clock from '~/lib/clock.ts';
import type { Database } from '~/server/db/schema.ts';
import { follow, markRead } from './following.ts';
import { syncReply, syncThread } from '~/server/search/sources/groups.ts';
import { inTransaction } from '~/server/search/sources/text.ts';
import { recordChange } from '~/server/cache/changes.ts';

/** Threads on one page of a group's discussion, and replies on one page of a thread. */
export const THREADS_PER_PAGE = 20;
export const REPLIES_PER_PAGE = 20;

/** Why a discussion change did not happen (an i18n key suffix). */
export type ThreadProblem = 'threadNotFound' | 'replyNotFound' | 'locked' | 'unchanged';
/** The result of a discussion change. */
export type ThreadOutcome<T = object> = ({ ok: true } & T) | { ok: false; problem: ThreadProblem };

/** Normalises line breaks the way browsers count them (CRLF as one character). */
export function normalizeBody(text: string): string {
  return text.replace(/\r\n?/g, '\n');
}

/** A thread in a group's list. */
export interface ThreadSummary {
  id: number;
  title: string;
  authorId: string | null;
  authorName: string | null;
  pinned: boolean;
  locked: boolean;
  hidden: boolean;
  replyCount: number;
  createdAt: number;
  lastActivityAt: number;
  unread: boolean;
}

/**
 * One page of a group's threads: pinned first, then newest activity. Hidden threads
 * appear only to their author and to moderators (`includeHiddenOf`: 'all' or a user id).
 */
export async function listThreads(
  db: Kysely<Database>,
  groupId: number,
  options: { viewerId: string; seeAllHidden: boolean; page: number },
): Promise<{ threads: ThreadSummary[]; total: number; pages: number }> {
  let base = db.selectFrom('group_threads').where('group_threads.group_id', '=', groupId);
  if (!options.seeAllHidden) {
    base = base.where((eb) => eb.or([eb('group_threads.hidden_at', 'is', null), eb('group_threads.author_id', '=', options.viewerId)]));
  }
  const { count } = await base.select((eb) => eb.fn.countAll<number>().as('count')).executeTakeFirstOrThrow();
  const total = Number(count);
  const pages = Math.max(1, Math.ceil(total / THREADS_PER_PAGE));
  const rows = await base
    .leftJoin('users', 'users.id', 'group_threads.author_id')
    .leftJoin('group_thread_reads', (join) => join.onRef('group_thread_reads.thread_id', '=', 'group_threads.id').on('group_thread_reads.user_id', '=', options.viewerId))
    .select([
      'group_threads.id',
      'group_threads.title',
      'group_threads.author_id',
      'users.display_name',
      'group_threads.pinned',
      'group_threads.locked',
      'group_threads.hidden_at',
      'group_threads.created_at',
      'group_threads.last_activity_at',
      'group_thread_reads.read_at',
      (eb) => eb.selectFrom('group_replies').select((inner) => inner.fn.countAll<number>().as('n')).whereRef('group_replies.thread_id', '=', 'group_threads.id').where('group_replies.hidden_at', 'is', null).as('reply_count'),
    ])
    .orderBy('group_threads.pinned', 'desc')
    .orderBy('group_threads.last_activity_at', 'desc')
    .orderBy('group_threads.id', 'desc')
    .limit(THREADS_PER_PAGE)
    .offset((Math.max(1, options.page) - 1) * THREADS_PER_PAGE)
    .execute();
  return {
    total,
    pages,
    threads: rows.map((row) => ({
      id: row.id,
      title: row.title,
      authorId: row.author_id,
      authorName: row.display_name,
      pinned: Number(row.pinned) === 1,
      locked: Number(row.locked) === 1,
      hidden: row.hidden_at !== null,
      replyCount: Number(row.reply_count ?? 0),
      createdAt: row.created_at,
      lastActivityAt: row.last_activity_at,
      unread: row.read_at === null || row.read_at < row.last_activity_at,
    })),
  };
}

/** Starts a thread; its author follows it. */
export async function createThread(
  db: Kysely<Database>,
  input: { groupId: number; authorId: string; title: string; body: string },
  now = clock.now(),
): Promise<number> {
  return db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto('group_threads')
      .values({
        group_id: input.groupId,
        author_id: input.authorId,
        title: input.title.trim(),
        body: normalizeBody(input.body),
        pinned: 0,
        locked: 0,
        hidden_at: null,
        hidden_by: null,
        hidden_reason: null,
        created_at: now,
        last_activity_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await follow(trx, row.id, input.authorId, true);
    await markRead(trx, row.id, input.authorId, now);
    await syncThread(trx, row.id);
    await recordChange(trx, 'threads');
    return row.id;
  });
}

/** A thread with its author, only if it belongs to the group. */
export async function findThread(db: Kysely<Database>, groupId: number, threadId: number) {
  return readThread(db, threadId, groupId);
}

/**
 * A thread with its author, whatever its group: for a page that reads it beside its
 * group (one round trip for both) and then checks `groupId` against the group it may see.
 */
export async function findThreadById(db: Kysely<Database>, threadId: number) {
  return readThread(db, threadId, null);
}

async function readThread(db: Kysely<Database>, threadId: number, groupId: number | null) {
  const query = db
    .selectFrom('group_threads')
    .leftJoin('users', 'users.id', 'group_threads.author_id')
    .select([
      'group_threads.id',
      'group_threads.group_id',
      'group_threads.title',
      'group_threads.body',
      'group_threads.author_id',
      'users.display_name',
      'group_threads.pinned',
      'group_threads.locked',
      'group_threads.hidden_at',
      'group_threads.hidden_reason',
      'group_threads.hidden_rule',
      'group_threads.created_at',
      'group_threads.last_activity_at',
    ])
    .where('group_threads.id', '=', threadId);
  const row = await (groupId === null ? query : query.where('group_threads.group_id', '=', groupId)).executeTakeFirst();
  if (!row) return undefined;
  return {
    id: row.id,
    groupId: row.group_id,
    title: row.title,
    body: row.body,
    authorId: row.author_id,
    authorName: row.display_name,
    pinned: Number(row.pinned) === 1,
    locked: Number(row.locked) === 1,
    hidden: row.hidden_at !== null,
    hiddenReason: row.hidden_reason,
    hiddenRule: isCommunityRule(row.hidden_rule) ? row.hidden_rule : null,
    createdAt: row.created_at,
    lastActivityAt: row.last_activity_at,
  };
}

/** A thread as `findThread` returns it. */
export type Thread = NonNullable<Awaited<ReturnType<typeof findThread>>>;

/** One page of a thread's replies, oldest first. */
export async function listReplies(db: Kysely<Database>, threadId: number, page: number) {
  // The count and the page side by side: the page's rows do not depend on the count.
  const [{ count }, rows] = await Promise.all([
    db.selectFrom('group_replies').select((eb) => eb.fn.countAll<number>().as('count')).where('thread_id', '=', threadId).executeTakeFirstOrThrow(),
    db
    .selectFrom('group_replies')
    .leftJoin('users', 'users.id', 'group_replies.author_id')
    .select(['group_replies.id', 'group_replies.body', 'group_replies.author_id', 'users.display_name', 'group_replies.hidden_at', 'group_replies.hidden_reason', 'group_replies.hidden_rule', 'group_replies.created_at'])
    .where('group_replies.thread_id', '=', threadId)
    .orderBy('group_replies.id')
    .limit(REPLIES_PER_PAGE)
    .offset((Math.max(1, page) - 1) * REPLIES_PER_PAGE)
    .execute(),
  ]);
  const total = Number(count);
  const pages = Math.max(1, Math.ceil(total / REPLIES_PER_PAGE));
  return {
    total,
    pages,
    replies: rows.map((row) => ({
      id: row.id,
      body: row.body,
      authorId: row.author_id,
      authorName: row.display_name,
      hidden: row.hidden_at !== null,
      hiddenReason: row.hidden_reason,
      hiddenRule: isCommunityRule(row.hidden_rule) ? row.hidden_rule : null,
      createdAt: row.created_at,
    })),
  };
}

/**
 * Posts a reply to a thread of this group, unless the thread is locked. The replier
 * follows the thread (unless they unfollowed it before).
 */
export async function postReply(
  db: Kysely<Database>,
  input: { groupId: number; threadId: number; authorId: string; body: string },
  now = clock.now(),
): Promise<ThreadOutcome<{ replyId: number; page: number }>> {
  return db.transaction().execute(async (trx) => {
    const thread = await trx.selectFrom('group_threads').select(['locked', 'hidden_at']).where('id', '=', input.threadId).where('group_id', '=', input.groupId).executeTakeFirst();
    if (!thread) return { ok: false as const, problem: 'threadNotFound' as const };
    if (Number(thread.locked) === 1) return { ok: false as const, problem: 'locked' as const };
    const row = await trx
      .insertInto('group_replies')
      .values({ thread_id: input.threadId, author_id: input.authorId, body: normalizeBody(input.body), hidden_at: null, hidden_by: null, hidden_reason: null, created_at: now })
      .returning('id')
      .executeTakeFirstOrThrow();
    await trx.updateTable('group_threads').set({ last_activity_at: now }).where('id', '=', input.threadId).execute();
    await syncReply(trx, row.id);
    await follow(trx, input.threadId, input.authorId, false);
    await markRead(trx, input.threadId, input.authorId, now);
    const { count } = await trx.selectFrom('group_replies').select((eb) => eb.fn.countAll<number>().as('count')).where('thread_id', '=', input.threadId).executeTakeFirstOrThrow();
    return { ok: true as const, replyId: row.id, page: Math.max(1, Math.ceil(Number(count) / REPLIES_PER_PAGE)) };
  });
}

/** Hides (with a reason) or shows again a thread of this group. */
export async function setThreadHidden(
  db: Kysely<Database>,
  groupId: number,
  threadId: number,
  hidden: { by: string; reason: string; rule?: CommunityRule | null } | null,
  now = clock.now(),
): Promise<ThreadOutcome> {
  const changed = await inTransaction(db, async (trx) => {
    const result = await trx
      .updateTable('group_threads')
      .set(hidden ? { hidden_at: now, hidden_by: hidden.by, hidden_reason: hidden.reason.trim(), hidden_rule: hidden.rule ?? null } : { hidden_at: null, hidden_by: null, hidden_reason: null, hidden_rule: null })
      .where('id', '=', threadId)
      .where('group_id', '=', groupId)
      .where('hidden_at', hidden ? 'is' : 'is not', null)
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) !== 1) return false;
    // A hidden thread leaves search with its replies; shown again, they come back.
    await syncThread(trx, threadId);
    await recordChange(trx, 'threads');
    return true;
  });
  if (changed) return { ok: true };
  return (await findThread(db, groupId, threadId)) ? { ok: false, problem: 'unchanged' } : { ok: false, problem: 'threadNotFound' };
}

/** Hides (with a reason) or shows again a reply, which must belong to the thread, in this group. */
export async function setReplyHidden(
  db: Kysely<Database>,
  groupId: number,
  threadId: number,
  replyId: number,
  hidden: { by: string; reason: string; rule?: CommunityRule | null } | null,
  now = clock.now(),
): Promise<ThreadOutcome> {
  const belongs = await db
    .selectFrom('group_replies')
    .innerJoin('group_threads', 'group_threads.id', 'group_replies.thread_id')
    .select(['group_replies.hidden_at'])
    .where('group_replies.id', '=', replyId)
    .where('group_replies.thread_id', '=', threadId)
    .where('group_threads.group_id', '=', groupId)
    .executeTakeFirst();
  if (!belongs) return { ok: false, problem: 'replyNotFound' };
  if ((belongs.hidden_at !== null) === (hidden !== null)) return { ok: false, problem: 'unchanged' };
  await inTransaction(db, async (trx) => {
    await trx
      .updateTable('group_replies')
      .set(hidden ? { hidden_at: now, hidden_by: hidden.by, hidden_reason: hidden.reason.trim(), hidden_rule: hidden.rule ?? null } : { hidden_at: null, hidden_by: null, hidden_reason: null, hidden_rule: null })
      .where('id', '=', replyId)
      .execute();
    await syncReply(trx, replyId);
  });
  return { ok: true };
}

/** Pins or unpins, locks or unlocks a thread of this group. */
export async function setThreadFlag(db: Kysely<Database>, groupId: number, threadId: number, flag: 'pinned' | 'locked', on: boolean): Promise<ThreadOutcome> {
  const result = await db
    .updateTable('group_threads')
    .set({ [flag]: on ? 1 : 0 })
    .where('id', '=', threadId)
    .where('group_id', '=', groupId)
    .where(flag, '=', on ? 0 : 1)
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) === 1) return { ok: true };
  return (await findThread(db, groupId, threadId)) ? { ok: false, problem: 'unchanged' } : { ok: false, problem: 'threadNotFound' };
}
