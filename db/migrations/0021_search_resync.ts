import type { Kysely } from 'kysely';

// Frozen once landed. Search's full resync in the background (follow-up of issue 16):
// a full pass over the database sources goes a page at a time, each page in its own
// short write transaction, while the server already serves; this is where the pass is,
// per source, so a restart (or another instance) continues it rather than starting over.
// The rows of a pass are deleted when it ends (search_syncs then records the version).

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('search_resync_progress')
    // A database source's name (DATABASE_SOURCES in src/server/search/sources/index.ts).
    .addColumn('source', 'text', (col) => col.primaryKey())
    // Its place in the pass: sources are gone through in this order.
    .addColumn('position', 'integer', (col) => col.notNull())
    // The version of the indexing code the pass writes (DATABASE_SOURCES_VERSION).
    .addColumn('version', 'text', (col) => col.notNull())
    // When the pass began: documents of the source not rewritten since are swept at its end.
    .addColumn('started_at', 'bigint', (col) => col.notNull())
    // After which thing the next page starts; null: from the first.
    .addColumn('cursor', 'text')
    // Things to go through (counted when the pass began) and gone through, for the progress shown.
    .addColumn('total', 'bigint', (col) => col.notNull())
    .addColumn('done', 'bigint', (col) => col.notNull().defaultTo(0))
    // Documents written by the pass so far.
    .addColumn('written', 'bigint', (col) => col.notNull().defaultTo(0))
    // Every page read (sweeping follows); then every stale document swept.
    .addColumn('paged_at', 'bigint')
    .addColumn('finished_at', 'bigint')
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('search_resync_progress').execute();
}
