import { sql, type Kysely } from 'kysely';

// Frozen once landed. Issue 14: one change counter per area of what the public reads
// (src/server/cache/changes.ts), bumped in the writer's transaction; every process keeps
// what it read from an area (and the anonymous page cache keeps whole pages) until that
// area's counter moves. It replaces editorial_changes, the first such counter. A row is
// written by the area's first change (no row reads as 0), so a new database stays empty
// and `copy-database` can fill it.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('changes')
    .addColumn('area', 'text', (col) => col.primaryKey())
    .addColumn('serial', 'bigint', (col) => col.notNull())
    .execute();
  await sql`INSERT INTO changes (area, serial) SELECT 'editorial', serial FROM editorial_changes WHERE id = 1`.execute(db);
  await db.schema.dropTable('editorial_changes').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('editorial_changes')
    .addColumn('id', 'integer', (col) => col.primaryKey())
    .addColumn('serial', 'bigint', (col) => col.notNull())
    .execute();
  await sql`INSERT INTO editorial_changes (id, serial) SELECT 1, serial FROM changes WHERE area = 'editorial'`.execute(db);
  await db.schema.dropTable('changes').execute();
}
