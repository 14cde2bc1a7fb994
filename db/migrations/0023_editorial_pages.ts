import { sql, type Kysely } from 'kysely';
import { engineOf } from '~/server/db/dialect.ts';
import { onEngine, widenSqliteCheck } from './dialect.ts';

// Frozen once landed. The association's own pages (about, membership, privacy, …) are
// edited in the editorial workspace too (issue 22): editorial_items.collection also
// allows 'pages'. A page item shares its slug with the page's content file on purpose:
// its published version is shown instead of the file until it is withdrawn.

export async function up(db: Kysely<any>): Promise<void> {
  await onEngine(db, {
    sqlite: () => widenSqliteCheck(db, 'editorial_items', 'collection', ['pages']),
    postgres: () => setPostgresCollections(db, (collections) => [...new Set([...collections, 'pages'])]),
  });
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.deleteFrom('editorial_items').where('collection', '=', 'pages').execute();
  // SQLite keeps the wider list (a check it never fails again).
  if (engineOf(db) === 'postgres') await setPostgresCollections(db, (collections) => collections.filter((collection) => collection !== 'pages'));
}

/** Rewrites PostgreSQL's editorial_items.collection check (0018's inline check) with `change` applied to its list. */
async function setPostgresCollections(db: Kysely<any>, change: (collections: string[]) => string[]): Promise<void> {
  const row = await sql<{ definition: string }>`select pg_get_constraintdef(oid) as definition from pg_constraint where conname = 'editorial_items_collection_check'`.execute(db);
  const collections = change([...(row.rows[0]?.definition ?? '').matchAll(/'([a-z_]+)'/g)].map((match) => match[1]!));
  await sql.raw('alter table editorial_items drop constraint if exists editorial_items_collection_check').execute(db);
  await sql.raw(`alter table editorial_items add constraint editorial_items_collection_check check (collection in (${collections.map((name) => `'${name.replace(/[^a-z_]/g, '')}'`).join(', ')}))`).execute(db);
}
