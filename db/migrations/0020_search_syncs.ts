import type { Kysely } from 'kysely';

// Frozen once landed. Search sources (issue 16): what each bulk sync of search_documents
// last wrote, so a server starting with the same content files and the same indexing code
// skips the rewrite, and instances starting together rewrite once (the check and the
// rewrite share one write transaction).

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('search_syncs')
    // `content` (the build's content files) or `database` (every database source).
    .addColumn('name', 'text', (col) => col.primaryKey())
    // A hash of what was indexed (content), or the indexing code's version (database).
    .addColumn('fingerprint', 'text', (col) => col.notNull())
    .addColumn('synced_at', 'bigint', (col) => col.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('search_syncs').execute();
}
