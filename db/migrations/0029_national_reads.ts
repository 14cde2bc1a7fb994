import { sql, type Kysely } from 'kysely';
import { onEngine } from './dialect.ts';

// Frozen once landed. Speed at national scale (issue 14), the pages bench's second pass.
// - The exchange's text search on SQLite reads which indexed terms a typed prefix stands
//   for (src/server/exchange/prefix-terms.ts) from the FTS5 index's own vocabulary,
//   exposed by an fts5vocab table that holds no data of its own. PostgreSQL needs nothing.
// - A group list's member towns (groups list, committees) look up each member's account
//   for whether it is active and its town: 2,300 lookups a view of the groups list for a
//   member of 40 groups. From this index alone (id, disabled_at, town_id) instead of each
//   account's whole row: 14 ms → 4 ms on SQLite at national scale.

export async function up(db: Kysely<any>): Promise<void> {
  await onEngine(db, {
    sqlite: async () => {
      await sql`CREATE VIRTUAL TABLE help_requests_search_terms USING fts5vocab(help_requests_search, 'row')`.execute(db);
    },
    postgres: async () => {},
  });
  await db.schema.createIndex('users_town_active').on('users').columns(['id', 'disabled_at', 'town_id']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('users_town_active').execute();
  await onEngine(db, {
    sqlite: async () => {
      await sql`DROP TABLE help_requests_search_terms`.execute(db);
    },
    postgres: async () => {},
  });
}
