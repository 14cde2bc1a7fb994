import type { Kysely } from 'kysely';
import type { Database } from '~/server/db/schema.ts';
import { removeSearchDocuments, saveSearchDocuments, type SearchDocument } from '../documents.ts';

/**
 * Replaces every document of one thing (`<source>:<id>:…`) with `documents`: none when it
 * is no longer findable, and no stale language left behind when its languages change.
 */
export async function replaceThing(db: Kysely<Database>, source: string, id: string | number, documents: readonly SearchDocument[]): Promise<void> {
  await removeSearchDocuments(db, [`${source}:${id}:`], { prefix: true });
  await saveSearchDocuments(db, documents);
}

/** Rewrites a whole source: its old rows go, `documents` are written. Callers run it in one transaction. */
export async function replaceSource(db: Kysely<Database>, source: string, documents: readonly SearchDocument[]): Promise<number> {
  await db.deleteFrom('search_documents').where('source', '=', source).execute();
  await saveSearchDocuments(db, documents);
  return documents.length;
}

/** The key of one language version of a thing. */
export function documentKey(source: string, id: string | number, lang: string): string {
  return `${source}:${id}:${lang}`;
}
