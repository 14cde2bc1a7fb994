import { sql, type Kysely } from 'kysely';
import { onEngine } from './dialect.ts';

// Frozen once landed. Read-side indexes of search (issue 16; measured in
// tests/bench/search.measure.ts). PostgreSQL: the terms of public documents in their own
// GIN index (a partial index of search_vectors), so a visitor's search reads the postings
// of the 5% of documents they may find, not of the members' 95% (the query side asks
// `audience = 'public'` for a visitor, which the predicate matches); and section and
// language, each with the audience, in b-trees, so a filter is an index intersection, not
// a read of every match's row. Nothing changes in how rows are written. SQLite's FTS5 index has no
// partial form; it is unchanged.

export async function up(db: Kysely<any>): Promise<void> {
  await onEngine(db, {
    sqlite: async () => {},
    postgres: async () => {
      await sql`CREATE INDEX search_vectors_public_terms ON search_vectors USING gin (terms) WHERE audience = 'public'`.execute(db);
      // A section or language filter, or a member's few groups, on a common word:
      // intersected with the terms' index instead of reading every match's row to find
      // the few that pass.
      await sql`CREATE INDEX search_vectors_section ON search_vectors (section, audience)`.execute(db);
      await sql`CREATE INDEX search_vectors_lang ON search_vectors (lang, audience)`.execute(db);
    },
  });
}

export async function down(db: Kysely<any>): Promise<void> {
  await onEngine(db, {
    sqlite: async () => {},
    postgres: async () => {
      await sql`DROP INDEX search_vectors_lang`.execute(db);
      await sql`DROP INDEX search_vectors_section`.execute(db);
      await sql`DROP INDEX search_vectors_public_terms`.execute(db);
    },
  });
}
