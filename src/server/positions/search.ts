import type { Kysely } from 'kysely';
import type { Database } from '~/server/db/schema.ts';
import { markdownToText } from '~/server/markdown.ts';
import { removeSearchDocuments, saveSearchDocuments } from '~/server/search/documents.ts';
import { isPublicPosition, type Position } from './types.ts';

/** The search section id of positions. */
export const POSITIONS_SECTION = 'positions';

const keyPrefix = (id: number) => `positions:${id}:`;

/**
 * Keeps a position's search document in step with it, in the caller's transaction: a
 * position in consultation or adopted is one public document (its current text, in the
 * language it is written in); a draft is none. Comments are never searchable.
 */
export async function syncPositionSearch(db: Kysely<Database>, position: Position): Promise<void> {
  await removeSearchDocuments(db, [keyPrefix(position.id)], { prefix: true });
  if (!isPublicPosition(position)) return;
  const { text } = position;
  await saveSearchDocuments(db, [
    {
      key: `${keyPrefix(position.id)}${text.lang}`,
      source: 'positions',
      section: POSITIONS_SECTION,
      lang: text.lang,
      path: `/positions/${position.slug}/`,
      title: text.title,
      summary: text.summary,
      body: text.sections.map((section) => `${section.heading}\n${markdownToText(section.body, 20_000)}`).join('\n\n'),
      topics: position.topics,
      audience: 'public',
      publishedAt: position.adoptedAt ?? position.openedAt,
    },
  ]);
}
