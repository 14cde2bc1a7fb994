import { sql, type Kysely } from 'kysely';

// Frozen once landed. Files to download follow the editorial workflow (issue 22): until
// now a portal item's files hung on the item, so a file added while a revision was
// drafted was public at once. `editorial_files` is now the working copy's list; what the
// public may download is `editorial_published_files`, copied from it when the item is
// published (as editorial_published is from editorial_texts), emptied when it is withdrawn.
// A file removed from the working copy keeps its row while the published list holds it.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('editorial_published_files')
    .addColumn('item_id', 'integer', (col) => col.notNull().references('editorial_items.id').onDelete('cascade'))
    .addColumn('file_id', 'integer', (col) => col.notNull().references('files.id').onDelete('cascade'))
    .addPrimaryKeyConstraint('editorial_published_files_pk', ['item_id', 'file_id'])
    .execute();
  // The download rule reads it by file.
  await db.schema.createIndex('editorial_published_files_file').on('editorial_published_files').column('file_id').execute();
  // What was public stays public: every file of an item public now.
  await sql`
    insert into editorial_published_files (item_id, file_id)
    select editorial_files.item_id, editorial_files.file_id from editorial_files
    inner join editorial_items on editorial_items.id = editorial_files.item_id
    where editorial_items.is_public = 1`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  // Files only the published list still held (removed from a revision never published) go with it.
  const orphans = sql`select id from files where attached_kind = 'editorial' and id not in (select file_id from editorial_files)`;
  await sql`delete from file_blobs where key in (select storage_key from files where id in (${orphans}))`.execute(db);
  await sql`delete from files where id in (${orphans})`.execute(db);
  await db.schema.dropTable('editorial_published_files').execute();
}
