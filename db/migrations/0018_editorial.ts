import { sql, type Kysely } from 'kysely';
import { engineOf } from '~/server/db/dialect.ts';
import { autoIncrementKey, onEngine, widenSqliteCheck } from './dialect.ts';

// Frozen once landed. The editorial workspace (issue 22): items the association writes in
// the portal (resources, news, events, programmes), a working copy per language, every
// saved version, the copy the public reads (kept apart, so a revision in progress never
// touches what is published), the history of who did what, and the "author" role.

export async function up(db: Kysely<any>): Promise<void> {
  await allowRole(db, 'author');

  await db.schema
    .createTable('editorial_items')
    .addColumn('id', 'integer', autoIncrementKey(db))
    .addColumn('collection', 'text', (col) => col.notNull().check(sql`collection in ('resources', 'news', 'events', 'programmes')`))
    .addColumn('slug', 'text', (col) => col.notNull().unique())
    // The language the item was first written in: translations are measured against it.
    .addColumn('source_lang', 'text', (col) => col.notNull().check(sql`source_lang in ('kk', 'ru', 'en')`))
    // Of the working copy: draft | submitted | scheduled | published | withdrawn.
    .addColumn('state', 'text', (col) => col.notNull().check(sql`state in ('draft', 'submitted', 'scheduled', 'published', 'withdrawn')`))
    // Bumped on every save and state change: a save names the version it started from.
    .addColumn('version', 'integer', (col) => col.notNull().defaultTo(1))
    // 1 while a published copy is public (also while a revision is drafted); 0 before and after.
    .addColumn('is_public', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('publish_at', 'bigint')
    .addColumn('published_at', 'bigint')
    .addColumn('withdrawn_at', 'bigint')
    .addColumn('withdrawn_reason', 'text')
    .addColumn('created_by', 'text', (col) => col.references('users.id').onDelete('set null'))
    .addColumn('updated_by', 'text', (col) => col.references('users.id').onDelete('set null'))
    .addColumn('created_at', 'bigint', (col) => col.notNull())
    .addColumn('updated_at', 'bigint', (col) => col.notNull())
    .execute();
  await db.schema.createIndex('editorial_items_public').on('editorial_items').columns(['is_public', 'collection']).execute();
  await db.schema.createIndex('editorial_items_state').on('editorial_items').columns(['state', 'publish_at']).execute();

  // The working copy of one language version: the frontmatter as JSON and the markdown body.
  await db.schema
    .createTable('editorial_texts')
    .addColumn('item_id', 'integer', (col) => col.notNull().references('editorial_items.id').onDelete('cascade'))
    .addColumn('lang', 'text', (col) => col.notNull().check(sql`lang in ('kk', 'ru', 'en')`))
    .addColumn('data', 'text', (col) => col.notNull())
    .addColumn('body', 'text', (col) => col.notNull())
    // This language's saves, counted: the revision number of its latest version.
    .addColumn('revision', 'integer', (col) => col.notNull())
    // For a translation: the source language's revision it was written against.
    .addColumn('source_revision', 'integer')
    .addColumn('updated_by', 'text', (col) => col.references('users.id').onDelete('set null'))
    .addColumn('updated_at', 'bigint', (col) => col.notNull())
    .addPrimaryKeyConstraint('editorial_texts_pk', ['item_id', 'lang'])
    .execute();

  // Every version ever saved, for the history and its diffs.
  await db.schema
    .createTable('editorial_revisions')
    .addColumn('id', 'integer', autoIncrementKey(db))
    .addColumn('item_id', 'integer', (col) => col.notNull().references('editorial_items.id').onDelete('cascade'))
    .addColumn('lang', 'text', (col) => col.notNull())
    .addColumn('revision', 'integer', (col) => col.notNull())
    .addColumn('data', 'text', (col) => col.notNull())
    .addColumn('body', 'text', (col) => col.notNull())
    .addColumn('saved_by', 'text', (col) => col.references('users.id').onDelete('set null'))
    .addColumn('saved_at', 'bigint', (col) => col.notNull())
    .addUniqueConstraint('editorial_revisions_unique', ['item_id', 'lang', 'revision'])
    .execute();

  // What the public reads, per language: a copy of the working copy when it was published.
  await db.schema
    .createTable('editorial_published')
    .addColumn('item_id', 'integer', (col) => col.notNull().references('editorial_items.id').onDelete('cascade'))
    .addColumn('lang', 'text', (col) => col.notNull())
    .addColumn('data', 'text', (col) => col.notNull())
    .addColumn('body', 'text', (col) => col.notNull())
    .addColumn('revision', 'integer', (col) => col.notNull())
    .addPrimaryKeyConstraint('editorial_published_pk', ['item_id', 'lang'])
    .execute();

  // Who did what and when: created, saved, submitted, published, scheduled, withdrawn, translated.
  await db.schema
    .createTable('editorial_history')
    .addColumn('id', 'integer', autoIncrementKey(db))
    .addColumn('item_id', 'integer', (col) => col.notNull().references('editorial_items.id').onDelete('cascade'))
    .addColumn('actor_id', 'text', (col) => col.references('users.id').onDelete('set null'))
    .addColumn('action', 'text', (col) => col.notNull())
    .addColumn('lang', 'text')
    .addColumn('revision', 'integer')
    .addColumn('detail', 'text')
    .addColumn('at', 'bigint', (col) => col.notNull())
    .execute();
  await db.schema.createIndex('editorial_history_item').on('editorial_history').column('item_id').execute();

  // Files to download (toolkits, templates), kept in the shared file storage, linked here.
  // Their `files` rows are attached with their own kind, `editorial` (the item's id), so
  // the download rules (src/server/files/rules.ts) judge them by the item's publication.
  await onEngine(db, {
    sqlite: () => widenSqliteCheck(db, 'files', 'attached_kind', ['editorial']),
    postgres: () => setPostgresAttachedKinds(db, (kinds) => [...new Set([...kinds, 'editorial'])]),
  });
  await db.schema
    .createTable('editorial_files')
    .addColumn('item_id', 'integer', (col) => col.notNull().references('editorial_items.id').onDelete('cascade'))
    .addColumn('file_id', 'integer', (col) => col.notNull().references('files.id').onDelete('cascade'))
    .addPrimaryKeyConstraint('editorial_files_pk', ['item_id', 'file_id'])
    .execute();

  // One counter bumped whenever what the public reads changes: each instance keeps the
  // published items in memory and reloads them when the counter moved (one cheap read).
  // Its row is written by the first bump (no row reads as 0), so a new database stays
  // empty and `copy-database` can fill it.
  await db.schema
    .createTable('editorial_changes')
    .addColumn('id', 'integer', (col) => col.primaryKey())
    .addColumn('serial', 'bigint', (col) => col.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['editorial_changes', 'editorial_files', 'editorial_history', 'editorial_published', 'editorial_revisions', 'editorial_texts', 'editorial_items']) {
    await db.schema.dropTable(table).execute();
  }
  // The files of portal items go with them; SQLite keeps the wider list (a check it never fails).
  await db.deleteFrom('files').where('attached_kind', '=', 'editorial').execute();
  if (engineOf(db) === 'postgres') await setPostgresAttachedKinds(db, (kinds) => kinds.filter((kind) => kind !== 'editorial'));
  await db.updateTable('users').set({ role: 'member' }).where('role', '=', 'author').execute();
  await disallowRole(db, 'author');
}

/** Rewrites PostgreSQL's files.attached_kind check (0013's inline check) with `change` applied to its list. */
async function setPostgresAttachedKinds(db: Kysely<any>, change: (kinds: string[]) => string[]): Promise<void> {
  const row = await sql<{ definition: string }>`select pg_get_constraintdef(oid) as definition from pg_constraint where conname = 'files_attached_kind_check'`.execute(db);
  const kinds = change([...(row.rows[0]?.definition ?? '').matchAll(/'([a-z_]+)'/g)].map((match) => match[1]!));
  await sql.raw('alter table files drop constraint if exists files_attached_kind_check').execute(db);
  await sql.raw(`alter table files add constraint files_attached_kind_check check (attached_kind in (${kinds.map((kind) => `'${kind.replace(/[^a-z_]/g, '')}'`).join(', ')}))`).execute(db);
}

/**
 * Adds a value to the users.role CHECK list, whatever the list holds now (another
 * migration may have added roles too). PostgreSQL: the constraint is replaced. SQLite:
 * the table is rebuilt with the new list (see below).
 */
async function allowRole(db: Kysely<any>, role: string): Promise<void> {
  await rewriteRoles(db, (roles) => (roles.includes(role) ? roles : [...roles, role]));
}

async function disallowRole(db: Kysely<any>, role: string): Promise<void> {
  await rewriteRoles(db, (roles) => roles.filter((value) => value !== role));
}

const ROLE_CHECK = /role in \(([^)]*)\)/i;

function rolesIn(list: string): string[] {
  return [...list.matchAll(/'([a-z_]+)'/g)].map((match) => match[1]!);
}

function roleList(roles: string[]): string {
  // Role names are constants of this file or read back from the schema: [a-z_] only.
  return roles.map((role) => `'${role.replace(/[^a-z_]/g, '')}'`).join(', ');
}

async function rewriteRoles(db: Kysely<any>, change: (roles: string[]) => string[]): Promise<void> {
  if (engineOf(db) === 'postgres') {
    const { rows } = await sql<{ name: string; definition: string }>`
      select conname as name, pg_get_constraintdef(oid) as definition from pg_constraint
      where conrelid = 'users'::regclass and contype = 'c' and pg_get_constraintdef(oid) like '%role%'`.execute(db);
    const existing = rows.find((row) => /\brole\b/.test(row.definition) && !/language/.test(row.definition));
    if (!existing) throw new Error('users.role has no CHECK constraint to extend');
    const roles = change(rolesIn(existing.definition));
    await sql.raw(`alter table users drop constraint "${existing.name.replace(/"/g, '')}"`).execute(db);
    await sql.raw(`alter table users add constraint "${existing.name.replace(/"/g, '')}" check (role in (${roleList(roles)}))`).execute(db);
    return;
  }
  const table = await sql<{ sql: string }>`select sql from sqlite_master where type = 'table' and name = 'users'`.execute(db);
  const definition = table.rows[0]?.sql;
  const match = definition?.match(ROLE_CHECK);
  if (!definition || !match) throw new Error('users.role has no CHECK constraint to extend');
  const rewritten = definition
    .replace(ROLE_CHECK, `role in (${roleList(change(rolesIn(match[1]!)))})`)
    .replace(/^CREATE TABLE\s+("?)users\1/i, 'CREATE TABLE "users_rebuilt"');
  // SQLite cannot alter a CHECK and better-sqlite3 runs in defensive mode (no writable
  // schema), so the table is rebuilt (SQLite's documented twelve steps): foreign keys off,
  // copy, drop, rename, the table's own indexes and triggers again, then a foreign key check.
  // kysely runs SQLite migrations outside a transaction, so the pragma takes effect here.
  // Its indexes, and every trigger that names users (on users or on another table): dropped
  // first and made again after, as SQLite checks triggers when a table is renamed.
  const own = await sql<{ type: string; name: string; sql: string }>`
    select type, name, sql from sqlite_master
    where sql is not null and ((tbl_name = 'users' and type = 'index') or (type = 'trigger' and (tbl_name = 'users' or sql like '%users%')))`.execute(db);
  await sql`pragma foreign_keys = off`.execute(db);
  try {
    await sql`begin immediate`.execute(db);
    try {
      for (const object of own.rows) if (object.type === 'trigger') await sql.raw(`drop trigger if exists "${object.name.replace(/"/g, '')}"`).execute(db);
      await sql.raw(rewritten).execute(db);
      await sql`insert into users_rebuilt select * from users`.execute(db);
      await sql`drop table users`.execute(db);
      await sql`alter table users_rebuilt rename to users`.execute(db);
      for (const object of own.rows) await sql.raw(object.sql).execute(db);
      const broken = await sql`pragma foreign_key_check`.execute(db);
      if (broken.rows.length > 0) throw new Error(`rebuilding users broke ${broken.rows.length} foreign key(s)`);
      await sql`commit`.execute(db);
    } catch (error) {
      await sql`rollback`.execute(db);
      throw error;
    }
  } finally {
    await sql`pragma foreign_keys = on`.execute(db);
  }
}
