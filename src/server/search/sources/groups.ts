import type { Kysely, Selectable } from 'kysely';
import { createTranslator, LANGUAGES, type Language } from '~/i18n/index.ts';
import type { Database, GroupMeetingTable, GroupTable } from '~/server/db/schema.ts';
import type { SearchAudience, SearchDocument } from '../documents.ts';
import { pagedSource } from './paging.ts';
import { documentKey, replaceThing } from './store.ts';
import { truncateText } from '~/server/markdown.ts';
import { guessLanguage, inTransaction, joinText, plainText, parseList } from './text.ts';

/**
 * Working groups and what happens in them. Who finds what follows the groups' rules
 * (src/server/groups/rules.ts): a group that is not private is public by name (and by
 * purpose when the lead made it public); a private group is known to its members only.
 * Threads and replies are for the group's members (`group:<id>`; editors, who moderate
 * every group, are given all groups by the reader). A public meeting of a public group
 * is on the public events calendar.
 */
export const GROUPS_SOURCE = 'groups';
export const THREADS_SOURCE = 'threads';
export const REPLIES_SOURCE = 'replies';
export const MEETINGS_SOURCE = 'meetings';

type GroupRow = Pick<Selectable<GroupTable>, 'id' | 'slug' | 'name_kk' | 'name_ru' | 'name_en' | 'purpose_kk' | 'purpose_ru' | 'purpose_en' | 'topics' | 'visibility' | 'description_public' | 'archived_at' | 'created_at'>;

const groupAudience = (group: Pick<GroupRow, 'id'>): SearchAudience => `group:${group.id}`;
const names = (group: GroupRow): Record<Language, string> => ({ kk: group.name_kk, ru: group.name_ru, en: group.name_en });

/** A group's documents: one per language; public unless the group is private. */
export function groupDocuments(group: GroupRow): SearchDocument[] {
  const isPrivate = group.visibility === 'private';
  const purposeShown = !isPrivate && Number(group.description_public) === 1;
  const purposes: Record<Language, string> = { kk: group.purpose_kk, ru: group.purpose_ru, en: group.purpose_en };
  return LANGUAGES.map((lang) => ({
    key: documentKey(GROUPS_SOURCE, group.id, lang),
    source: GROUPS_SOURCE,
    section: 'groups',
    lang,
    path: `/groups/${group.slug}/`,
    title: names(group)[lang],
    // The purpose only where the public may read it; a private group's members may.
    summary: purposeShown || isPrivate ? plainText(purposes[lang], 400) : '',
    body: joinText(...new Set(LANGUAGES.map((language) => names(group)[language])), purposeShown || isPrivate ? plainText(purposes[lang]) : null),
    topics: parseList(group.topics),
    audience: isPrivate ? groupAudience(group) : 'public',
    publishedAt: group.created_at,
  }));
}

/** A thread as its group's members read it; none while hidden. */
export function threadDocuments(thread: { id: number; title: string; body: string; hidden_at: number | null; created_at: number }, group: Pick<GroupRow, 'id' | 'slug'>): SearchDocument[] {
  if (thread.hidden_at !== null) return [];
  const body = plainText(thread.body);
  const lang = guessLanguage(`${thread.title} ${body}`, 'ru');
  return [{
    key: documentKey(THREADS_SOURCE, thread.id, lang),
    source: THREADS_SOURCE,
    section: 'threads',
    lang,
    path: `/groups/${group.slug}/threads/${thread.id}/`,
    title: thread.title,
    summary: truncateText(body, 300),
    body,
    audience: groupAudience(group),
    publishedAt: thread.created_at,
  }];
}

/** A reply as its group's members read it; none while it or its thread is hidden. */
export function replyDocuments(
  reply: { id: number; body: string; hidden_at: number | null; created_at: number },
  thread: { id: number; title: string; hidden_at: number | null },
  group: Pick<GroupRow, 'id' | 'slug'>,
): SearchDocument[] {
  if (reply.hidden_at !== null || thread.hidden_at !== null) return [];
  const body = plainText(reply.body);
  const lang = guessLanguage(body, guessLanguage(thread.title, 'ru'));
  return [{
    key: documentKey(REPLIES_SOURCE, reply.id, lang),
    source: REPLIES_SOURCE,
    section: 'threads',
    lang,
    path: `/groups/${group.slug}/threads/${thread.id}/#reply-${reply.id}`,
    title: createTranslator(lang)('searchsources.replyIn', { title: thread.title }),
    summary: truncateText(body, 300),
    body,
    audience: groupAudience(group),
    publishedAt: reply.created_at,
  }];
}

/**
 * A meeting's documents: on the public calendar (public) when the lead opened it and the
 * group is public and active, otherwise for the group's members.
 */
export function meetingDocuments(meeting: Pick<Selectable<GroupMeetingTable>, 'id' | 'title' | 'agenda' | 'place' | 'starts_at' | 'is_public'>, group: GroupRow): SearchDocument[] {
  const isPublic = Number(meeting.is_public) === 1 && group.visibility !== 'private' && group.archived_at === null;
  const agenda = plainText(meeting.agenda);
  const lang = guessLanguage(`${meeting.title} ${agenda}`, 'ru');
  return [{
    key: documentKey(MEETINGS_SOURCE, meeting.id, lang),
    source: MEETINGS_SOURCE,
    section: 'events',
    lang,
    path: `/groups/${group.slug}/`,
    title: meeting.title,
    summary: createTranslator(lang)('searchsources.meetingOf', { group: names(group)[lang] }),
    body: joinText(agenda, meeting.place, ...new Set(LANGUAGES.map((language) => names(group)[language]))),
    audience: isPublic ? 'public' : groupAudience(group),
    publishedAt: meeting.starts_at,
  }];
}

const GROUP_COLUMNS = ['id', 'slug', 'name_kk', 'name_ru', 'name_en', 'purpose_kk', 'purpose_ru', 'purpose_en', 'topics', 'visibility', 'description_public', 'archived_at', 'created_at'] as const;
const MEETING_COLUMNS = ['id', 'group_id', 'title', 'agenda', 'place', 'starts_at', 'is_public'] as const;
const THREAD_COLUMNS = ['id', 'group_id', 'title', 'body', 'hidden_at', 'created_at'] as const;
const REPLY_COLUMNS = ['id', 'thread_id', 'body', 'hidden_at', 'created_at'] as const;

/** Writes a group's own documents and its meetings' (they follow its visibility), as they stand now. */
export async function syncGroup(db: Kysely<Database>, groupId: number): Promise<void> {
  await inTransaction(db, async (trx) => {
    const group = await trx.selectFrom('groups').select(GROUP_COLUMNS).where('id', '=', groupId).executeTakeFirst();
    await replaceThing(trx, GROUPS_SOURCE, groupId, group ? groupDocuments(group) : []);
    const meetings = await trx.selectFrom('group_meetings').select(MEETING_COLUMNS).where('group_id', '=', groupId).execute();
    for (const meeting of meetings) await replaceThing(trx, MEETINGS_SOURCE, meeting.id, group ? meetingDocuments(meeting, group) : []);
  });
}

/** Writes one meeting's documents as it stands now. */
export async function syncMeeting(db: Kysely<Database>, meetingId: number): Promise<void> {
  await inTransaction(db, async (trx) => {
    const meeting = await trx.selectFrom('group_meetings').select(MEETING_COLUMNS).where('id', '=', meetingId).executeTakeFirst();
    const group = meeting ? await trx.selectFrom('groups').select(GROUP_COLUMNS).where('id', '=', meeting.group_id).executeTakeFirst() : undefined;
    await replaceThing(trx, MEETINGS_SOURCE, meetingId, meeting && group ? meetingDocuments(meeting, group) : []);
  });
}

/** Writes a thread's documents and its replies' (a hidden thread hides them all), as they stand now. */
export async function syncThread(db: Kysely<Database>, threadId: number): Promise<void> {
  await inTransaction(db, async (trx) => {
    const thread = await trx.selectFrom('group_threads').select(THREAD_COLUMNS).where('id', '=', threadId).executeTakeFirst();
    const group = thread ? await trx.selectFrom('groups').select(['id', 'slug']).where('id', '=', thread.group_id).executeTakeFirst() : undefined;
    await replaceThing(trx, THREADS_SOURCE, threadId, thread && group ? threadDocuments(thread, group) : []);
    const replies = await trx.selectFrom('group_replies').select(['id', 'body', 'hidden_at', 'created_at']).where('thread_id', '=', threadId).execute();
    for (const reply of replies) await replaceThing(trx, REPLIES_SOURCE, reply.id, thread && group ? replyDocuments(reply, thread, group) : []);
  });
}

/** Writes one reply's documents as it stands now (posted, hidden, shown again). */
export async function syncReply(db: Kysely<Database>, replyId: number): Promise<void> {
  await inTransaction(db, async (trx) => {
    const reply = await trx.selectFrom('group_replies').select(REPLY_COLUMNS).where('id', '=', replyId).executeTakeFirst();
    const thread = reply ? await trx.selectFrom('group_threads').select(THREAD_COLUMNS).where('id', '=', reply.thread_id).executeTakeFirst() : undefined;
    const group = thread ? await trx.selectFrom('groups').select(['id', 'slug']).where('id', '=', thread.group_id).executeTakeFirst() : undefined;
    await replaceThing(trx, REPLIES_SOURCE, replyId, reply && thread && group ? replyDocuments(reply, thread, group) : []);
  });
}

/** The groups of these ids, by id (a page's parents). */
async function groupsById(db: Kysely<Database>, ids: readonly number[]): Promise<Map<number, GroupRow>> {
  if (ids.length === 0) return new Map();
  const groups = await db.selectFrom('groups').select(GROUP_COLUMNS).where('id', 'in', [...new Set(ids)]).execute();
  return new Map(groups.map((group) => [group.id, group]));
}

/** Every group's own documents, a page of groups at a time. */
export const groupsSource = pagedSource({
  documentSource: GROUPS_SOURCE,
  table: 'groups',
  rowsAfter: (db, afterId, limit) => db.selectFrom('groups').select(GROUP_COLUMNS).where('id', '>', afterId).orderBy('id').limit(limit).execute(),
  documents: (_db, groups) => groups.flatMap(groupDocuments),
});

/** Every meeting's documents, a page of meetings at a time. */
export const meetingsSource = pagedSource({
  documentSource: MEETINGS_SOURCE,
  table: 'group_meetings',
  rowsAfter: (db, afterId, limit) => db.selectFrom('group_meetings').select(MEETING_COLUMNS).where('id', '>', afterId).orderBy('id').limit(limit).execute(),
  documents: async (db, meetings) => {
    const groups = await groupsById(db, meetings.map((meeting) => meeting.group_id));
    return meetings.flatMap((meeting) => meetingDocuments(meeting, groups.get(meeting.group_id)!));
  },
});

/** Every thread's documents, a page of threads at a time. */
export const threadsSource = pagedSource({
  documentSource: THREADS_SOURCE,
  table: 'group_threads',
  rowsAfter: (db, afterId, limit) => db.selectFrom('group_threads').select(THREAD_COLUMNS).where('id', '>', afterId).orderBy('id').limit(limit).execute(),
  documents: async (db, threads) => {
    const groups = await groupsById(db, threads.map((thread) => thread.group_id));
    return threads.flatMap((thread) => threadDocuments(thread, groups.get(thread.group_id)!));
  },
});

/** Every reply's documents, a page of replies at a time. */
export const repliesSource = pagedSource({
  documentSource: REPLIES_SOURCE,
  table: 'group_replies',
  rowsAfter: (db, afterId, limit) => db.selectFrom('group_replies').select(REPLY_COLUMNS).where('id', '>', afterId).orderBy('id').limit(limit).execute(),
  documents: async (db, replies) => {
    const threadIds = [...new Set(replies.map((reply) => reply.thread_id))];
    const threads = new Map(threadIds.length === 0 ? [] : (await db.selectFrom('group_threads').select(THREAD_COLUMNS).where('id', 'in', threadIds).execute()).map((thread) => [thread.id, thread]));
    const groups = await groupsById(db, [...threads.values()].map((thread) => thread.group_id));
    return replies.flatMap((reply) => {
      const thread = threads.get(reply.thread_id)!;
      return replyDocuments(reply, thread, groups.get(thread.group_id)!);
    });
  },
});
