import { sql, type Kysely } from 'kysely';
import { onEngine, withoutRowid } from './dialect.ts';

// Frozen once landed. Search's own index (issue 16), derived from search_documents
// (0014) when a document is saved (src/server/search/index-writer.ts), in the same
// transaction. Terms are made in TypeScript — normalised, stemmed per language, tagged
// with the stemmer (src/lib/search/terms.ts) — so both engines index the same terms:
//   SQLite: search_entries (one row per document: what the filters need) and an FTS5
//           table of the terms, keyed by the entry's id, ranked with bm25;
//   PostgreSQL: search_vectors, the same row with the terms as a weighted tsvector
//           (title A, summary B, body C) under a GIN index, ranked with ts_rank.
// The two keep different table names so copying a database between engines never
// half-copies an index: the copy is followed by a reindex.
// Both: search_words (each word seen → its term) and search_spellings (each known word
// of 4+ letters under itself and every form missing one letter) for typo tolerance.

export async function up(db: Kysely<any>): Promise<void> {
  await onEngine(db, {
    sqlite: async () => {
      await db.schema
        .createTable('search_entries')
        .addColumn('id', 'integer', (col) => col.primaryKey())
        .addColumn('key', 'text', (col) => col.notNull().unique())
        .addColumn('section', 'text', (col) => col.notNull())
        .addColumn('lang', 'text', (col) => col.notNull())
        .addColumn('audience', 'text', (col) => col.notNull())
        .addColumn('published_at', 'bigint')
        .execute();
      // remove_diacritics 0: the terms are normalised already, and "й" must stay "й".
      await sql`CREATE VIRTUAL TABLE search_index USING fts5(title, summary, body, tokenize = 'unicode61 remove_diacritics 0')`.execute(db);
    },
    postgres: async () => {
      await db.schema
        .createTable('search_vectors')
        .addColumn('key', 'text', (col) => col.primaryKey())
        .addColumn('section', 'text', (col) => col.notNull())
        .addColumn('lang', 'text', (col) => col.notNull())
        .addColumn('audience', 'text', (col) => col.notNull())
        .addColumn('published_at', 'bigint')
        .addColumn('terms', sql`tsvector`, (col) => col.notNull())
        .execute();
      await sql`CREATE INDEX search_vectors_terms ON search_vectors USING gin (terms)`.execute(db);
      // Removing a source's documents by key prefix (`threads:42:`) uses LIKE 'prefix%'.
      await sql`CREATE INDEX search_vectors_key_prefix ON search_vectors (key text_pattern_ops)`.execute(db);
    },
  });
  await db.schema
    .createTable('search_words')
    .addColumn('word', 'text', (col) => col.notNull())
    .addColumn('term', 'text', (col) => col.notNull())
    .addPrimaryKeyConstraint('search_words_pk', ['word', 'term'])
    .modifyEnd(withoutRowid(db))
    .execute();
  await db.schema.createIndex('search_words_term').on('search_words').column('term').execute();
  await db.schema
    .createTable('search_spellings')
    .addColumn('variant', 'text', (col) => col.notNull())
    .addColumn('word', 'text', (col) => col.notNull())
    .addPrimaryKeyConstraint('search_spellings_pk', ['variant', 'word'])
    .modifyEnd(withoutRowid(db))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('search_spellings').execute();
  await db.schema.dropTable('search_words').execute();
  await onEngine(db, {
    sqlite: async () => {
      await sql`DROP TABLE search_index`.execute(db);
      await db.schema.dropTable('search_entries').execute();
    },
    postgres: async () => {
      await db.schema.dropTable('search_vectors').execute();
    },
  });
}
