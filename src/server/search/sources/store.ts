import type { Kysely } from 'kysely';
import type { Database } from '~/server/db/schema.ts';
import { removeSearchDocuments, saveSearchDocuments, type SearchDocument } from '../documents.ts';
import { LANGUAGES } from '~/i18n/index.ts';

/**
 * Replaces every document of one thing (`<source>:<id>:<lang>`) with `documents`: none when
 * it is no longer findable, and no stale language left behind when its languages change.
 * Removed by exact keys, one per language, which the primary key finds at once (a prefix
 * removal reads every row).
 */
export async function replaceThing(db: Kysely<Database>, source: string, id: string | number, documents: readonly SearchDocument[]): Promise<void> {
  const kept = new Set(documents.map((document) => document.key));
  await removeSearchDocuments(db, LANGUAGES.map((lang) => documentKey(source, id, lang)).filter((key) => !kept.has(key)));
  await saveSearchDocuments(db, documents);
}

/**
 * Rewrites a whole source: its old rows go, `documents` are written. Callers run it in one
 * transaction. Every key of a source starts with `<source>:`, so the contract's prefix
 * removal takes them all (and whatever the engine keeps beside the rows).
 */
export async function replaceSource(db: Kysely<Database>, source: string, documents: readonly SearchDocument[]): Promise<number> {
  await removeSearchDocuments(db, [`${source}:`], { prefix: true });
  await saveSearchDocuments(db, documents);
  return documents.length;
}

/** The key of one language version of a thing. */
export function documentKey(source: string, id: string | number, lang: string): string {
  return `${source}:${id}:${lang}`;
}
