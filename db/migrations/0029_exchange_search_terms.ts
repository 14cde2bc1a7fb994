import { sql, type Kysely } from 'kysely';
import { onEngine } from './dialect.ts';

// Frozen once landed. Speed at national scale (issue 14): the exchange's text search on
// SQLite reads which indexed terms a typed prefix stands for (src/server/exchange/prefix-terms.ts)
// from the FTS5 index's own vocabulary, exposed by an fts5vocab table; it holds no data of
// its own. PostgreSQL's text search needs nothing.

export async function up(db: Kysely<any>): Promise<void> {
  await onEngine(db, {
    sqlite: async () => {
      await sql`CREATE VIRTUAL TABLE help_requests_search_terms USING fts5vocab(help_requests_search, 'row')`.execute(db);
    },
    postgres: async () => {},
  });
}

export async function down(db: Kysely<any>): Promise<void> {
  await onEngine(db, {
    sqlite: async () => {
      await sql`DROP TABLE help_requests_search_terms`.execute(db);
    },
    postgres: async () => {},
  });
}
