import type { Kysely } from 'kysely';
import type { Database } from '~/server/db/schema.ts';
import { markdownToText } from '~/server/markdown.ts';
import type { SearchDocument } from '~/server/search/documents.ts';
import { wholeSource } from '~/server/search/sources/paging.ts';
import { replaceThing } from '~/server/search/sources/store.ts';
import { listAllPositions } from './positions.ts';
import { isPublicPosition, type Position } from './types.ts';

/** The search section id of positions. */
export const POSITIONS_SECTION = 'positions';

/**
 * A position's search document: a position in consultation or adopted is one public
 * document (its current text, in the language it is written in); a draft is none.
 * Comments are never searchable.
 */
export function positionSearchDocuments(position: Position): SearchDocument[] {
  if (!isPublicPosition(position)) return [];
  const { text } = position;
  return [
    {
      key: `positions:${position.id}:${text.lang}`,
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
  ];
}

/** Keeps a position's search document in step with it, in the caller's transaction. */
export async function syncPositionSearch(db: Kysely<Database>, position: Position): Promise<void> {
  await replaceThing(db, 'positions', position.id, positionSearchDocuments(position));
}

/** Every position's document, read whole (positions are few, and their current text is read through the positions domain). */
export const positionsSource = wholeSource(['positions'], 'positions', async (db) => (await listAllPositions(db)).flatMap(positionSearchDocuments));
