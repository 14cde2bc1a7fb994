import { sql, type Kysely } from 'kysely';
import type { Language } from '~/i18n/languages.ts';
import { deletionVariants, foldKazakhLetters, MIN_SPELLING_LENGTH } from '~/lib/search/spelling.ts';
import { indexTerm } from '~/lib/search/terms.ts';
import { words } from '~/lib/search/text.ts';
import { engineOf } from '~/server/db/dialect.ts';
import type { Database } from '~/server/db/schema.ts';

/**
 * Search's own index, derived from search_documents (see db/migrations/0019_search_index.ts):
 * the terms of each document's title, summary and body, and the vocabulary for typo lookup.
 * Called by saveSearchDocuments / removeSearchDocuments with the writer's handle, so the
 * index changes in the writer's transaction and every instance sees it at once.
 */

/** What the index needs of a document. */
export interface IndexedDocument {
  key: string;
  section: string;
  lang: Language;
  audience: string;
  title: string;
  summary: string;
  body: string;
  publishedAt: number | null;
}

/** Words indexed per field at most (PostgreSQL's tsvector positions stop at 16,383). */
const MAX_WORDS_PER_FIELD = 16_000;
/** Rows per multi-row insert (well under both engines' parameter limits). */
const BATCH = 400;

interface Terms {
  title: string[];
  summary: string[];
  body: string[];
  /** Each distinct word with its term, for the vocabulary. */
  vocabulary: Map<string, string>;
}

function termsOf(document: IndexedDocument): Terms {
  const vocabulary = new Map<string, string>();
  const field = (text: string) =>
    words(text)
      .slice(0, MAX_WORDS_PER_FIELD)
      .map((word) => {
        const term = indexTerm(word, document.lang);
        vocabulary.set(`${word} ${term}`, term);
        return term;
      });
  return { title: field(document.title), summary: field(document.summary), body: field(document.body), vocabulary };
}

/** A tsvector literal: each term with its positions and weight (A title, B summary, C body). */
export function tsvectorLiteral(terms: Terms): string {
  const positions = new Map<string, string[]>();
  let position = 0;
  const add = (list: string[], weight: string) => {
    for (const term of list) {
      position = Math.min(position + 1, 16_383);
      const at = positions.get(term) ?? [];
      // PostgreSQL keeps at most 256 positions per term.
      if (at.length < 256) at.push(`${position}${weight}`);
      positions.set(term, at);
    }
  };
  add(terms.title, 'A');
  add(terms.summary, 'B');
  add(terms.body, 'C');
  return [...positions].map(([term, at]) => `'${term.replaceAll('\\', '\\\\').replaceAll("'", "''")}':${at.join(',')}`).join(' ');
}

async function inBatches<T>(rows: readonly T[], write: (batch: T[]) => Promise<unknown>): Promise<void> {
  for (let start = 0; start < rows.length; start += BATCH) await write(rows.slice(start, start + BATCH));
}

/**
 * The vocabulary a long run of writes (search's full pass) knows is in search_words, so it
 * offers only words new to it: most words of any page were learnt from an earlier one.
 * `learnt` collects what the current transaction adds; the caller moves it to `known` once
 * that transaction has committed (a rolled-back word was never stored).
 */
export interface KnownVocabulary {
  known: Set<string>;
  learnt: Set<string>;
}

/** Adds each word not yet known, with its term, and the spellings of the words new to the vocabulary. */
async function learnWords(db: Kysely<Database>, all: ReadonlyArray<{ word: string; term: string }>, vocabulary?: KnownVocabulary): Promise<void> {
  const pairs = vocabulary ? all.filter((pair) => !vocabulary.known.has(`${pair.word} ${pair.term}`)) : all;
  for (const pair of vocabulary ? pairs : []) vocabulary!.learnt.add(`${pair.word} ${pair.term}`);
  const added = new Set<string>();
  await inBatches(pairs, async (batch) => {
    const rows = await db.insertInto('search_words').values(batch).onConflict((conflict) => conflict.columns(['word', 'term']).doNothing()).returning('word').execute();
    for (const row of rows) added.add(row.word);
  });
  const spellings = [...added].flatMap((word) => {
    const variants = new Set([...word].length >= MIN_SPELLING_LENGTH ? deletionVariants(word) : []);
    // A word with Kazakh letters is found under its Russian-letter spelling too ("теміртау" under "темиртау").
    const folded = foldKazakhLetters(word);
    if (folded !== word) variants.add(folded);
    return [...variants].map((variant) => ({ variant, word }));
  });
  await inBatches(spellings, (batch) => db.insertInto('search_spellings').values(batch).onConflict((conflict) => conflict.columns(['variant', 'word']).doNothing()).execute());
}

/** Documents written per statement: a tsvector or three term lists each, well under the parameter limits. */
const DOCUMENTS_PER_STATEMENT = 100;

/** Writes (or rewrites) the index rows of these documents. */
export async function indexDocuments(db: Kysely<Database>, documents: readonly IndexedDocument[], vocabulary?: KnownVocabulary): Promise<void> {
  if (documents.length === 0) return;
  const words = new Map<string, { word: string; term: string }>();
  const postgres = engineOf(db) === 'postgres';
  for (let start = 0; start < documents.length; start += DOCUMENTS_PER_STATEMENT) {
    const part = documents.slice(start, start + DOCUMENTS_PER_STATEMENT);
    const indexed = part.map((document) => {
      const terms = termsOf(document);
      for (const [pair, term] of terms.vocabulary) if (!words.has(pair)) words.set(pair, { word: pair.slice(0, pair.indexOf(' ')), term });
      return { document, terms, meta: { section: document.section, lang: document.lang, audience: document.audience, published_at: document.publishedAt } };
    });
    if (postgres) {
      const rows = indexed.map(({ document, terms, meta }) => ({ key: document.key, ...meta, terms: sql<string>`${tsvectorLiteral(terms)}::tsvector` as unknown as string }));
      await db
        .insertInto('search_vectors')
        .values(rows)
        .onConflict((conflict) =>
          conflict.column('key').doUpdateSet((eb) => ({
            section: eb.ref('excluded.section'),
            lang: eb.ref('excluded.lang'),
            audience: eb.ref('excluded.audience'),
            published_at: eb.ref('excluded.published_at'),
            terms: eb.ref('excluded.terms'),
          })),
        )
        .execute();
      continue;
    }
    const entries = await db
      .insertInto('search_entries')
      .values(indexed.map(({ document, meta }) => ({ key: document.key, ...meta })))
      .onConflict((conflict) =>
        conflict.column('key').doUpdateSet((eb) => ({
          section: eb.ref('excluded.section'),
          lang: eb.ref('excluded.lang'),
          audience: eb.ref('excluded.audience'),
          published_at: eb.ref('excluded.published_at'),
        })),
      )
      .returning(['id', 'key'])
      .execute();
    const idOf = new Map(entries.map((entry) => [entry.key, entry.id]));
    const ids = [...idOf.values()];
    await sql`DELETE FROM search_index WHERE rowid IN (${sql.join(ids)})`.execute(db);
    const values = indexed.map(({ document, terms }) => sql`(${idOf.get(document.key)!}, ${terms.title.join(' ')}, ${terms.summary.join(' ')}, ${terms.body.join(' ')})`);
    await sql`INSERT INTO search_index (rowid, title, summary, body) VALUES ${sql.join(values)}`.execute(db);
  }
  await learnWords(db, [...words.values()], vocabulary);
}

/** Removes the index rows of documents by exact key, or by key prefix. Words stay known (a reindex forgets the unused ones). */
export async function unindexDocuments(db: Kysely<Database>, keys: readonly string[], options: { prefix?: boolean } = {}): Promise<void> {
  if (keys.length === 0) return;
  if (engineOf(db) === 'postgres') {
    if (options.prefix) {
      for (const prefix of keys) await sql`DELETE FROM search_vectors WHERE key LIKE ${`${prefix.replace(/[\\%_]/g, '\\$&')}%`} ESCAPE '\\'`.execute(db);
    } else {
      await db.deleteFrom('search_vectors').where('key', 'in', keys).execute();
    }
    return;
  }
  for (const key of keys) {
    // Keys compare by bytes on SQLite, so a prefix is a range of the unique index.
    const ids = options.prefix
      ? await db.selectFrom('search_entries').select('id').where('key', '>=', key).where('key', '<', `${key}\u{10FFFF}`).execute()
      : await db.selectFrom('search_entries').select('id').where('key', '=', key).execute();
    for (const { id } of ids) {
      await sql`DELETE FROM search_index WHERE rowid = ${id}`.execute(db);
      await db.deleteFrom('search_entries').where('id', '=', id).execute();
    }
  }
}

/**
 * Rebuilds the whole index from search_documents: after copying a database between
 * engines (each keeps its index its own way), or to forget words no document uses.
 */
export async function rebuildSearchIndex(db: Kysely<Database>): Promise<{ documents: number }> {
  return db.transaction().execute(async (trx) => {
    if (engineOf(trx) === 'postgres') {
      await sql`DELETE FROM search_vectors`.execute(trx);
    } else {
      await sql`DELETE FROM search_index`.execute(trx);
      await sql`DELETE FROM search_entries`.execute(trx);
    }
    await sql`DELETE FROM search_spellings`.execute(trx);
    await sql`DELETE FROM search_words`.execute(trx);
    let documents = 0;
    let after = '';
    for (;;) {
      const rows = await trx.selectFrom('search_documents').selectAll().where('key', '>', after).orderBy('key').limit(500).execute();
      if (rows.length === 0) break;
      await indexDocuments(trx, rows.map(indexedFromRow));
      documents += rows.length;
      after = rows.at(-1)!.key;
    }
    return { documents };
  });
}

/** A stored search_documents row as the index reads it. */
export function indexedFromRow(row: { key: string; section: string; lang: Language; audience: string; title: string; summary: string; body: string; published_at: number | null }): IndexedDocument {
  return { key: row.key, section: row.section, lang: row.lang, audience: row.audience, title: row.title, summary: row.summary, body: row.body, publishedAt: row.published_at };
}
