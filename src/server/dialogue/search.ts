import type { Kysely } from 'kysely';
import { parseIdList } from '~/lib/dialogue/catalogue.ts';
import type { Database, DialogueTopic } from '~/server/db/schema.ts';
import { markdownToText, truncateText } from '~/server/markdown.ts';
import type { SearchDocument } from '~/server/search/documents.ts';
import { countRows, numericCursor, pageOfRows, type DatabaseSource } from '~/server/search/sources/paging.ts';
import { replaceThing } from '~/server/search/sources/store.ts';

/** The search section of dialogue topics. */
export const DIALOGUE_SECTION = 'dialogue';

/** A topic's search document: none while it waits for approval; public topics for everyone, the others for signed-in accounts (members and partners). */
export function topicSearchDocuments(topic: DialogueTopic): SearchDocument[] {
  if (topic.approved_at === null) return [];
  const body = markdownToText(topic.body, 20_000);
  return [
    {
      key: `dialogue:${topic.id}:${topic.language}`,
      source: 'dialogue',
      section: DIALOGUE_SECTION,
      lang: topic.language,
      path: `/dialogue/${topic.id}/`,
      title: topic.title,
      summary: truncateText(body, 200),
      body,
      topics: parseIdList(topic.topics),
      audience: topic.public === 1 ? 'public' : 'signed_in',
      publishedAt: topic.approved_at,
    },
  ];
}

/** Writes a topic's search document as it stands now (one: a topic is written in one language). Called in the transaction of each change. */
export async function syncTopicSearch(db: Kysely<Database>, topic: DialogueTopic): Promise<void> {
  await replaceThing(db, 'dialogue', topic.id, topicSearchDocuments(topic));
}

/** Every topic's document, a page of topics at a time (search's full resync: start-up after an upgrade, `qala search reindex`, the demo seed). */
export const dialogueSource: DatabaseSource = {
  documentSources: ['dialogue'],
  count: (db) => countRows(db, 'dialogue_topics'),
  page: async (db, cursor, limit) => {
    const topics = await db.selectFrom('dialogue_topics').selectAll().where('id', '>', numericCursor(cursor)).orderBy('id').limit(limit).execute();
    return pageOfRows(topics, limit, topics.flatMap(topicSearchDocuments));
  },
};
