import type { Kysely } from 'kysely';
import { autoIncrementKey } from './dialect.ts';

// Frozen once landed. Answers to "was this page helpful?" on public pages.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('page_feedback')
    .addColumn('id', 'integer', autoIncrementKey(db))
    .addColumn('page', 'text', (col) => col.notNull())
    .addColumn('language', 'text', (col) => col.notNull())
    .addColumn('helpful', 'integer', (col) => col.notNull())
    .addColumn('comment', 'text')
    .addColumn('created_at', 'bigint', (col) => col.notNull())
    .execute();
  await db.schema.createIndex('page_feedback_page').on('page_feedback').columns(['page', 'created_at']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('page_feedback').execute();
}
