import type { Kysely, Transaction } from 'kysely';
import type { Language } from '~/i18n/index.ts';
import type { Database } from '~/server/db/schema.ts';
import { markdownToText } from '~/server/markdown.ts';

/** The longest body a document keeps, in characters: enough for any post, bounded for whole books. */
const BODY_MAX = 20_000;

/** Plain text of markdown (members' or the association's), for a document's body or summary. */
export function plainText(markdown: string | null | undefined, maxLength = BODY_MAX): string {
  if (!markdown) return '';
  return markdownToText(markdown, maxLength);
}

/** Joins the non-empty parts of a text with spaces. */
export function joinText(...parts: ReadonlyArray<string | null | undefined>): string {
  return parts.map((part) => part?.trim() ?? '').filter((part) => part !== '').join(' ');
}

// Letters Kazakh writes and Russian does not.
const KAZAKH_LETTERS = /[әғқңөұүһіӘҒҚҢӨҰҮҺІ]/g;
const CYRILLIC = /[\u0400-\u04FF]/g;
const LATIN = /[A-Za-z]/g;

/**
 * The language of something a member wrote without saying (a thread, a reply, a profile):
 * Latin letters mostly → English; Cyrillic with Kazakh's own letters → Kazakh; other
 * Cyrillic → Russian; no letters at all → `fallback`. Good enough to pick a stemmer.
 */
export function guessLanguage(text: string, fallback: Language): Language {
  const cyrillic = text.match(CYRILLIC)?.length ?? 0;
  const latin = text.match(LATIN)?.length ?? 0;
  if (cyrillic === 0 && latin === 0) return fallback;
  if (latin > cyrillic) return 'en';
  const kazakh = text.match(KAZAKH_LETTERS)?.length ?? 0;
  // One Kazakh letter in fifty: Kazakh text has far more; a Russian text quoting a name has fewer.
  return kazakh * 50 >= cyrillic ? 'kk' : 'ru';
}

/**
 * Runs `work` inside the caller's transaction, or in a new one: a workflow that already
 * holds the write lock keeps its documents in its own transaction.
 */
export function inTransaction<T>(db: Kysely<Database>, work: (trx: Kysely<Database>) => Promise<T>): Promise<T> {
  if (db.isTransaction) return work(db);
  return db.transaction().execute((trx: Transaction<Database>) => work(trx));
}

/** A JSON array of strings as stored in a text column (topics, languages); anything else is an empty list. */
export function parseList(column: string | null | undefined): string[] {
  if (!column) return [];
  try {
    const value: unknown = JSON.parse(column);
    return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
  } catch {
    return [];
  }
}
