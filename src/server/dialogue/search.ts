import type { Kysely } from 'kysely';
import { parseIdList } from '~/lib/dialogue/catalogue.ts';
import type { Database, DialogueTopic } from '~/server/db/schema.ts';
import { markdownToText } from '~/server/markdown.ts';
import { removeSearchDocuments, saveSearchDocuments } from '~/server/search/documents.ts';

/** The search section of dialogue topics. */
export const DIALOGUE_SECTION = 'dialogue';

/**
 * Writes a topic's search document (one: a topic is written in one language), or removes
 * it while the topic waits for approval. Public topics are found by everyone, the others
 * by signed-in accounts (members and partners). Called in the transaction of each change.
 */
export async function syncTopicSearch(db: Kysely<Database>, topic: DialogueTopic): Promise<void> {
  if (topic.approved_at === null) {
    await removeSearchDocuments(db, [`dialogue:${topic.id}:`], { prefix: true });
    return;
  }
  await saveSearchDocuments(db, [
    {
      key: `dialogue:${topic.id}:${topic.language}`,
      source: 'dialogue',
      section: DIALOGUE_SECTION,
      lang: topic.language,
      path: `/dialogue/${topic.id}/`,
      title: topic.title,
      summary: markdownToText(topic.body, 200),
      body: markdownToText(topic.body, 20_000),
      topics: parseIdList(topic.topics),
      audience: topic.public === 1 ? 'public' : 'signed_in',
      publishedAt: topic.approved_at,
    },
  ]);
}
