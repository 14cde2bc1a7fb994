import type { Kysely } from 'kysely';

// Frozen once landed. Search (issue 16): every searchable thing, public or members-only,
// as one row per language version, written when the thing is written, so every instance
// finds it without a rebuild. What the rows say is decided in src/server/search/documents.ts;
// how they are searched (terms, spelling) lives in tables of later migrations.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('search_documents')
    // Stable and unique: `<source>:<id>:<lang>`, e.g. `towns:temirtau:ru`, `threads:42:ru`.
    .addColumn('key', 'text', (col) => col.primaryKey())
    // Which writer owns the row (`content`, `towns`, `groups`, …): a source can be re-synced whole.
    .addColumn('source', 'text', (col) => col.notNull())
    // What the thing is, for the result's label and the section filter (SEARCH_SECTIONS).
    .addColumn('section', 'text', (col) => col.notNull())
    // The language the text is written in; results link into the reader's own language.
    .addColumn('lang', 'text', (col) => col.notNull())
    // The address without the language prefix, e.g. `/towns/temirtau/`.
    .addColumn('path', 'text', (col) => col.notNull())
    .addColumn('title', 'text', (col) => col.notNull())
    .addColumn('summary', 'text', (col) => col.notNull().defaultTo(''))
    // Plain text (no markup) of the body.
    .addColumn('body', 'text', (col) => col.notNull().defaultTo(''))
    // Space-separated topic ids.
    .addColumn('topics', 'text', (col) => col.notNull().defaultTo(''))
    // Who may find it: `public`, `signed_in`, `members` or `group:<id>`.
    .addColumn('audience', 'text', (col) => col.notNull())
    .addColumn('published_at', 'bigint')
    .addColumn('updated_at', 'bigint', (col) => col.notNull())
    .execute();
  await db.schema.createIndex('search_documents_source').on('search_documents').column('source').execute();
  await db.schema.createIndex('search_documents_updated').on('search_documents').column('updated_at').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('search_documents').execute();
}
