import { sql, type ColumnDefinitionBuilder, type Kysely, type RawBuilder } from 'kysely';
import { engineOf, type Engine } from '~/server/db/dialect.ts';

// What the migrations write differently for SQLite and PostgreSQL, chosen here once.
// On SQLite every helper produces exactly the SQL the migrations wrote before
// PostgreSQL was supported, so databases migrated then keep the same schema.

/** Runs the step written for the engine behind `db`. */
export async function onEngine(db: Kysely<any>, steps: Record<Engine, () => Promise<void>>): Promise<void> {
  await steps[engineOf(db)]();
}

/**
 * An integer primary key numbered by the database: `integer primary key autoincrement`
 * on SQLite (ids never reused), an identity column on PostgreSQL.
 */
export function autoIncrementKey(db: Kysely<any>): (col: ColumnDefinitionBuilder) => ColumnDefinitionBuilder {
  return engineOf(db) === 'postgres' ? (col) => col.primaryKey().generatedByDefaultAsIdentity() : (col) => col.primaryKey().autoIncrement();
}

/** SQLite's `WITHOUT ROWID` after a CREATE TABLE (the table is its primary key's b-tree); nothing on PostgreSQL, whose tables are heaps anyway. */
export function withoutRowid(db: Kysely<any>): RawBuilder<unknown> {
  return sql.raw(engineOf(db) === 'postgres' ? '' : ' WITHOUT ROWID');
}

/**
 * A PostgreSQL row trigger: a PL/pgSQL function holding `body` (statements ending in
 * `;`, with NEW and OLD as usual) and the trigger calling it, both named `name`.
 * `timing` is e.g. `AFTER INSERT` or `AFTER UPDATE OF town_id, disabled_at`. A BEFORE
 * trigger's body returns NEW itself; other bodies get `RETURN NULL` appended.
 */
export async function createPostgresTrigger(db: Kysely<any>, name: string, timing: string, table: string, body: string): Promise<void> {
  const end = /^\s*BEFORE\b/i.test(timing) ? '' : ' RETURN NULL;';
  await sql.raw(`CREATE FUNCTION ${name}() RETURNS trigger LANGUAGE plpgsql AS $body$ BEGIN ${body}${end} END $body$`).execute(db);
  await sql.raw(`CREATE TRIGGER ${name} ${timing} ON ${table} FOR EACH ROW EXECUTE FUNCTION ${name}()`).execute(db);
}

/** Drops a trigger made by `createPostgresTrigger`, with its function. */
export async function dropPostgresTrigger(db: Kysely<any>, name: string, table: string): Promise<void> {
  await sql.raw(`DROP TRIGGER IF EXISTS ${name} ON ${table}`).execute(db);
  await sql.raw(`DROP FUNCTION IF EXISTS ${name}()`).execute(db);
}
