import { sql, type Kysely } from 'kysely';
import { BoundedCache } from '~/lib/bounded-cache.ts';
import type { Database } from '~/server/db/schema.ts';

/*
 * SQLite's FTS5 answers a prefix word (`"heating"*`) by merging the whole list of
 * documents of every indexed term with that prefix before it returns the first match:
 * about 20 ms for a common word among 200,000 requests, where the same word as an exact
 * term streams newest first in under a millisecond. So a text search on SQLite asks
 * instead for the terms the prefix stands for, `("heating" OR "heatings")`, which FTS5
 * streams: the same matches, since a prefix matches exactly the terms that begin with it.
 *
 * Which terms begin with a prefix comes from the index's vocabulary (an fts5vocab table,
 * itself slow: it counts each term's documents), kept in memory per prefix for as long
 * as the index is unchanged. FTS5 rewrites its structure record (row 10 of
 * help_requests_search_data, a few dozen bytes) on every change to the index, so
 * comparing it is one primary-key read, and a kept expansion is never used after a
 * request was written, edited or removed.
 *
 * Only words whose folding is certain are expanded: Latin and Cyrillic letters and ASCII
 * digits, folded as the table's tokenizer (unicode61, remove_diacritics 2) folds them:
 * lower case, and a Latin letter with diacritics to its ASCII base (й and ё keep theirs,
 * as the tokenizer keeps them). Any other word stays a prefix query, correct and slower.
 */

/** A prefix standing for more terms than this stays a prefix query (an OR of many terms is no quicker). */
const MAX_TERMS = 32;
/** How many prefixes are kept per database (the least recently used dropped first). */
const MAX_PREFIXES = 2_000;
/** FTS5's structure record: its row id in the index's `_data` table (FTS5_STRUCTURE_ROWID). */
const STRUCTURE_ROW = 10;
/** Above every character, so `term < prefix + TOP` bounds the terms beginning with `prefix`. */
const TOP = '\u{10FFFF}';

interface KeptTerms {
  structure: string;
  /** Each prefix counts 1 towards MAX_PREFIXES: an entry is at most MAX_TERMS short terms. */
  terms: BoundedCache<string, readonly string[] | null>;
}
const keptByDatabase = new WeakMap<Kysely<Database>, KeptTerms>();

/** A word as the tokenizer folds it, or null when its folding is not certain here. */
export function foldedWord(word: string): string | null {
  if (!/^[\p{Script=Latin}\p{Script=Cyrillic}0-9]+$/u.test(word)) return null;
  let folded = '';
  for (const character of word) {
    const decomposed = character.normalize('NFD');
    const base = decomposed.charCodeAt(0) < 128 && /^.\p{M}*$/u.test(decomposed) ? decomposed[0]! : character;
    const lower = base.toLowerCase();
    // A letter whose lower case is more than one character (İ is handled above) is left to FTS5.
    if ([...lower].length !== 1) return null;
    folded += lower;
  }
  return folded;
}

/** An FTS5 string literal. */
function quoted(term: string): string {
  return `"${term.replace(/"/g, '""')}"`;
}

/**
 * The FTS5 query for these words, each a prefix (as `searchQuery` writes it), with each
 * prefix whose terms are known written as those terms joined by OR.
 */
export async function expandedMatchQuery(db: Kysely<Database>, words: readonly string[]): Promise<string> {
  const { rows } = await sql<{ block: Uint8Array | null }>`SELECT block FROM help_requests_search_data WHERE id = ${STRUCTURE_ROW}`.execute(db);
  const structure = rows[0]?.block ? Buffer.from(rows[0].block).toString('base64') : '';
  let kept = keptByDatabase.get(db);
  if (!kept || kept.structure !== structure) keptByDatabase.set(db, (kept = { structure, terms: new BoundedCache(MAX_PREFIXES, () => 1) }));
  const parts: string[] = [];
  for (const word of words) {
    const folded = foldedWord(word);
    const terms = folded === null ? null : await termsOf(db, kept, folded);
    parts.push(terms === null ? `${quoted(word)}*` : terms.length === 0 ? quoted(folded!) : `(${terms.map(quoted).join(' OR ')})`);
  }
  return parts.join(' AND ');
}

/** The indexed terms beginning with `prefix` (kept), or null when there are too many. */
async function termsOf(db: Kysely<Database>, kept: KeptTerms, prefix: string): Promise<readonly string[] | null> {
  const known = kept.terms.find(prefix);
  if (known !== undefined) return known;
  const { rows } = await sql<{ term: string }>`SELECT term FROM help_requests_search_terms WHERE term >= ${prefix} AND term < ${prefix + TOP} LIMIT ${MAX_TERMS + 1}`.execute(db);
  const terms = rows.map((row) => row.term).filter((term) => term.startsWith(prefix));
  const value = terms.length > MAX_TERMS ? null : Object.freeze(terms);
  kept.terms.set(prefix, value);
  return value;
}
