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

/**
 * Adds values to a SQLite column's `column in ('a', 'b')` check. SQLite cannot alter a
 * check, so the table is rebuilt as its documented procedure says: foreign keys off (they
 * would cascade the old table's implicit delete), a copy under the new definition, the
 * old table dropped, the copy renamed, its indexes and triggers made again, and the
 * foreign keys checked before the commit. The values already listed are kept, so two
 * migrations that each add a value compose in either order.
 */
export async function widenSqliteCheck(db: Kysely<any>, table: string, column: string, values: string[]): Promise<void> {
  await db.connection().execute(async (connection) => {
    await sql.raw('PRAGMA foreign_keys = OFF').execute(connection);
    await sql.raw('PRAGMA legacy_alter_table = ON').execute(connection);
    try {
      await connection.transaction().execute(async (trx) => {
        const definitions = await sql<{ type: string; name: string; sql: string | null }>`select type, name, sql from sqlite_schema where tbl_name = ${table}`.execute(trx);
        const tableSql = definitions.rows.find((row) => row.type === 'table')?.sql;
        if (!tableSql) throw new Error(`No table ${table}`);
        const check = new RegExp(`(check\\s*\\(\\s*"?${column}"?\\s+in\\s*\\()([^)]*)(\\))`, 'i');
        const listed = tableSql.match(check);
        if (!listed) throw new Error(`No check on ${table}.${column}`);
        const current = [...listed[2]!.matchAll(/'([^']+)'/g)].map((match) => match[1]!);
        const widened = [...new Set([...current, ...values])].map((value) => `'${value}'`).join(', ');
        const rebuilt = tableSql.replace(check, `$1${widened}$3`).replace(/^CREATE TABLE\s+("?)\w+\1/i, `CREATE TABLE "${table}_rebuilt"`);
        await sql.raw(rebuilt).execute(trx);
        await sql.raw(`INSERT INTO "${table}_rebuilt" SELECT * FROM "${table}"`).execute(trx);
        await sql.raw(`DROP TABLE "${table}"`).execute(trx);
        await sql.raw(`ALTER TABLE "${table}_rebuilt" RENAME TO "${table}"`).execute(trx);
        for (const definition of definitions.rows) {
          if (definition.type !== 'table' && definition.sql) await sql.raw(definition.sql).execute(trx);
        }
        const broken = await sql.raw('PRAGMA foreign_key_check').execute(trx);
        if (broken.rows.length > 0) throw new Error(`Rebuilding ${table} broke ${broken.rows.length} foreign keys`);
      });
    } finally {
      await sql.raw('PRAGMA legacy_alter_table = OFF').execute(connection);
      await sql.raw('PRAGMA foreign_keys = ON').execute(connection);
    }
  });
}
