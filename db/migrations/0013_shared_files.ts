import { sql, type Kysely } from 'kysely';
import { byEngine } from '~/server/db/dialect.ts';
import { autoIncrementKey } from './dialect.ts';

// Frozen once landed. Shared files (issue 17): the bytes of every file in the database
// (so several instances share them and a database backup holds them), what each file
// is and what it is attached to, a group's document library, and who may add to it.

const ATTACHED_KINDS = ['request', 'response', 'thread', 'reply', 'document', 'town_photo'];

export async function up(db: Kysely<any>): Promise<void> {
  // The database storage backend's table (src/server/files/storage.ts): bytes by an opaque key.
  await db.schema
    .createTable('file_blobs')
    .addColumn('key', 'text', (col) => col.primaryKey())
    .addColumn('bytes', byEngine(db, { sqlite: sql`blob`, postgres: sql`bytea` }), (col) => col.notNull())
    .execute();

  await db.schema
    .createTable('files')
    .addColumn('id', 'integer', autoIncrementKey(db))
    // Where the bytes are, in the storage backend: a random key, never a user's file name.
    .addColumn('storage_key', 'text', (col) => col.notNull().unique())
    // The town whose quota the file counts against (null: an editor without a town).
    .addColumn('town_id', 'integer', (col) => col.references('towns.id').onDelete('set null'))
    .addColumn('uploader_id', 'text', (col) => col.references('users.id').onDelete('set null'))
    // What the file is attached to; no foreign key, the targets live in several tables.
    .addColumn('attached_kind', 'text', (col) => col.notNull().check(sql`attached_kind in (${sql.join(ATTACHED_KINDS.map((kind) => sql.lit(kind)))})`))
    .addColumn('attached_id', 'integer', (col) => col.notNull())
    // The name shown and offered on download, already made safe; the type found in the content.
    .addColumn('name', 'text', (col) => col.notNull())
    .addColumn('media_type', 'text', (col) => col.notNull())
    .addColumn('size', 'integer', (col) => col.notNull())
    .addColumn('created_at', 'bigint', (col) => col.notNull())
    .execute();
  await db.schema.createIndex('files_attached').on('files').columns(['attached_kind', 'attached_id']).execute();
  await db.schema.createIndex('files_town').on('files').column('town_id').execute();

  await db.schema
    .createTable('group_documents')
    .addColumn('id', 'integer', autoIncrementKey(db))
    .addColumn('group_id', 'integer', (col) => col.notNull().references('groups.id').onDelete('cascade'))
    .addColumn('title', 'text', (col) => col.notNull())
    .addColumn('description', 'text', (col) => col.notNull().defaultTo(''))
    .addColumn('created_by', 'text', (col) => col.references('users.id').onDelete('set null'))
    .addColumn('created_at', 'bigint', (col) => col.notNull())
    .execute();
  await db.schema.createIndex('group_documents_group').on('group_documents').columns(['group_id', 'created_at']).execute();

  // Who adds to a group's library: its leads only, or every member.
  await db.schema
    .alterTable('groups')
    .addColumn('library_uploads', 'text', (col) => col.notNull().defaultTo('members').check(sql`library_uploads in ('leads', 'members')`))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('groups').dropColumn('library_uploads').execute();
  await db.schema.dropTable('group_documents').execute();
  await db.schema.dropTable('files').execute();
  await db.schema.dropTable('file_blobs').execute();
}
