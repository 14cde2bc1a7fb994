import { sql, type Kysely } from 'kysely';
import { engineOf } from './dialect.ts';
import type { Database } from './schema.ts';

/** Tables the migrator keeps for itself: the target's own migrations fill them. */
const MIGRATOR_TABLES = new Set(['kysely_migration', 'kysely_migration_lock']);
/**
 * Search's own index, derived from search_documents: each engine keeps it its own way
 * (FTS5 or a tsvector) and its vocabulary keeps words of removed documents until a
 * rebuild, so the target builds it from the copied documents instead (copy-database).
 */
const DERIVED_SEARCH_TABLES = new Set(['search_entries', 'search_vectors', 'search_words', 'search_spellings']);

/** What one copied table looked like on both sides. */
export interface CopiedTable {
  table: string;
  sourceRows: number;
  targetRows: number;
}

/** The outcome of a copy: every table's counts, and the source tables the target builds itself. */
export interface CopyReport {
  tables: CopiedTable[];
  /** Search indexes of one engine (SQLite's FTS5 tables) that the other keeps its own way. */
  skipped: string[];
}

/** A copy that would lose or invent data; nothing was written. */
export class CopyMismatchError extends Error {}

/** Says how far a table's copy got: called after each batch written. */
export type CopyProgress = (progress: { table: string; copiedRows: number; totalRows: number }) => void;

type AnyDb = Kysely<any>;

const isSqlite = (db: AnyDb) => engineOf(db) === 'sqlite';

/**
 * Copies every row of every table from one Qala database to another, for moving an
 * association from SQLite to PostgreSQL (or back). Both must be migrated to the same
 * schema and the target must be empty. The whole copy is one transaction on the target,
 * and the row counts of every table are compared before it commits: a mismatch rolls
 * everything back and says which table, so a half-copied database never exists.
 */
export async function copyDatabase(
  source: Kysely<Database>,
  target: Kysely<Database>,
  options: { onProgress?: CopyProgress } = {},
): Promise<CopyReport> {
  const from = source as AnyDb;
  const to = target as AnyDb;
  const sourceTables = await userTables(from);
  const targetTables = new Set(await userTables(to));
  const tables = sourceTables.filter((table) => targetTables.has(table) && !DERIVED_SEARCH_TABLES.has(table));
  const skipped = [
    ...(await searchIndexTables(from)),
    ...sourceTables.filter((table) => DERIVED_SEARCH_TABLES.has(table)),
    ...sourceTables.filter((table) => !targetTables.has(table) && !DERIVED_SEARCH_TABLES.has(table)),
  ];
  const ordered = await dependencyOrder(from, tables);

  const filled = await tablesWithRows(target);
  if (filled.length > 0) throw new CopyMismatchError(notEmpty(filled));

  return to.transaction().execute(async (trx) => {
    const booleans = await booleanColumns(trx, ordered);
    // Triggers on the target fill derived tables (the matching index) while others are
    // copied, so each table is emptied of such rows before its own rows go in, and one
    // whose count is off after the first pass is replaced again by the source's rows,
    // which are the truth; then every count must agree.
    const replace = async (table: string) => {
      await sql`delete from ${sql.table(table)}`.execute(trx);
      await copyTable(from, trx, table, booleans.get(table), options.onProgress);
    };
    for (const table of ordered) await replace(table);
    for (const table of ordered) {
      if ((await countRows(trx, table)) !== (await countRows(from, table))) await replace(table);
    }
    const report: CopiedTable[] = [];
    for (const table of ordered) {
      report.push({ table, sourceRows: await countRows(from, table), targetRows: await countRows(trx, table) });
    }
    const wrong = report.filter((row) => row.sourceRows !== row.targetRows);
    if (wrong.length > 0) {
      throw new CopyMismatchError(`row counts differ, nothing was copied: ${wrong.map((row) => `${row.table} ${row.sourceRows} → ${row.targetRows}`).join(', ')}`);
    }
    if (!isSqlite(trx)) await advanceSequences(trx, ordered);
    return { tables: report, skipped };
  });
}

/**
 * The application tables of `db` that hold rows: a copy goes only into a database
 * where this is empty, so it never mixes two associations' data.
 */
export async function tablesWithRows(db: Kysely<Database>): Promise<string[]> {
  const filled: string[] = [];
  for (const table of await userTables(db as AnyDb)) {
    if ((await countRows(db as AnyDb, table)) > 0) filled.push(table);
  }
  return filled;
}

/** Names a few of the tables that hold rows, e.g. "towns, users and 19 other tables". */
export function describeFilledTables(filled: string[]): string {
  return filled.length <= 3 ? filled.join(', ') : `${filled.slice(0, 3).join(', ')} and ${filled.length - 3} other tables`;
}

function notEmpty(filled: string[]): string {
  return `the target is not empty (rows in ${describeFilledTables(filled)}): copy into a new, empty database`;
}

/** SQLite's FTS5 tables: the target builds its own search index from the copied rows. */
async function searchIndexTables(db: AnyDb): Promise<string[]> {
  if (!isSqlite(db)) return [];
  const { rows } = await sql<{ name: string }>`
    select name from sqlite_master where type = 'table' and sql like 'create virtual table%' order by name`.execute(db);
  return rows.map((row) => row.name);
}

/** Application tables, without the migrator's and without SQLite's FTS5 tables and their shadows. */
async function userTables(db: AnyDb): Promise<string[]> {
  if (isSqlite(db)) {
    const { rows } = await sql<{ name: string; sql: string | null }>`
      select name, sql from sqlite_master where type = 'table' and name not like 'sqlite_%' order by name`.execute(db);
    const virtual = rows.filter((row) => /^create virtual table/i.test(row.sql ?? '')).map((row) => row.name);
    return rows
      .map((row) => row.name)
      .filter((name) => !MIGRATOR_TABLES.has(name) && !virtual.some((v) => name === v || name.startsWith(`${v}_`)));
  }
  const { rows } = await sql<{ name: string }>`
    select table_name as name from information_schema.tables
    where table_schema = current_schema() and table_type = 'BASE TABLE' order by table_name`.execute(db);
  return rows.map((row) => row.name).filter((name) => !MIGRATOR_TABLES.has(name));
}

/** Tables ordered so that each comes after the tables its foreign keys point to. */
async function dependencyOrder(db: AnyDb, tables: string[]): Promise<string[]> {
  const dependsOn = new Map<string, Set<string>>(tables.map((table) => [table, new Set()]));
  for (const [table, parent] of await foreignKeys(db)) {
    if (table !== parent && dependsOn.has(table) && dependsOn.has(parent)) dependsOn.get(table)!.add(parent);
  }
  const ordered: string[] = [];
  const visiting = new Set<string>();
  const visit = (table: string) => {
    if (ordered.includes(table) || visiting.has(table)) return;
    visiting.add(table);
    for (const parent of dependsOn.get(table)!) visit(parent);
    visiting.delete(table);
    ordered.push(table);
  };
  for (const table of tables) visit(table);
  return ordered;
}

/** Pairs of (table, the table one of its foreign keys references). */
async function foreignKeys(db: AnyDb): Promise<Array<[string, string]>> {
  if (isSqlite(db)) {
    const { rows } = await sql<{ child: string; parent: string }>`
      select m.name as child, f."table" as parent
      from sqlite_master m, pragma_foreign_key_list(m.name) f where m.type = 'table'`.execute(db);
    return rows.map((row) => [row.child, row.parent]);
  }
  const { rows } = await sql<{ child: string; parent: string }>`
    select tc.table_name as child, ccu.table_name as parent
    from information_schema.table_constraints tc
    join information_schema.constraint_column_usage ccu on ccu.constraint_name = tc.constraint_name and ccu.table_schema = tc.table_schema
    where tc.constraint_type = 'FOREIGN KEY' and tc.table_schema = current_schema()`.execute(db);
  return rows.map((row) => [row.child, row.parent]);
}

/** Per table, the target's boolean columns: SQLite keeps 0/1 where PostgreSQL may keep booleans. */
async function booleanColumns(db: AnyDb, tables: string[]): Promise<Map<string, Set<string>>> {
  const found = new Map<string, Set<string>>();
  if (isSqlite(db)) return found;
  const { rows } = await sql<{ table_name: string; column_name: string }>`
    select table_name, column_name from information_schema.columns
    where table_schema = current_schema() and data_type = 'boolean'`.execute(db);
  for (const row of rows) {
    if (!tables.includes(row.table_name)) continue;
    if (!found.has(row.table_name)) found.set(row.table_name, new Set());
    found.get(row.table_name)!.add(row.column_name);
  }
  return found;
}

async function countRows(db: AnyDb, table: string): Promise<number> {
  const { rows } = await sql<{ n: number | string }>`select count(*) as n from ${sql.table(table)}`.execute(db);
  return Number(rows[0]!.n);
}

/** Rows per read and per insert; small enough for PostgreSQL's 65,535 parameters with 40 columns. */
const BATCH = 1000;

/** Rows per batch of a table whose rows are large: shared files' bytes, up to 20 MB each, a few at a time. */
function batchSize(table: string): number {
  return table === 'file_blobs' ? 4 : BATCH;
}

async function copyTable(from: AnyDb, to: AnyDb, table: string, booleans: Set<string> | undefined, onProgress: CopyProgress | undefined): Promise<void> {
  const targetIsSqlite = isSqlite(to);
  // One count per table, only when someone listens: cheap next to copying the rows.
  const totalRows = onProgress ? await countRows(from, table) : 0;
  let copiedRows = 0;
  for await (const rows of readInBatches(from, table)) {
    await to.insertInto(table).values(rows.map((row) => convertRow(row, booleans, targetIsSqlite))).execute();
    copiedRows += rows.length;
    onProgress?.({ table, copiedRows, totalRows });
  }
}

/**
 * Every row of `table`, a batch at a time, in a stable order. Pages are found by key
 * (SQLite's rowid, PostgreSQL's ctid), not by OFFSET, so a million-row table is read
 * in linear time; SQLite tables WITHOUT ROWID are small indexes and are paged by their
 * primary key.
 */
async function* readInBatches(db: AnyDb, table: string): AsyncGenerator<Array<Record<string, unknown>>> {
  const batch = batchSize(table);
  const position = isSqlite(db) ? ((await hasRowid(db, table)) ? 'rowid' : null) : 'ctid';
  if (position === null) {
    const key = await sqlitePrimaryKey(db, table);
    for (let offset = 0; ; offset += batch) {
      const { rows } = await sql<Record<string, unknown>>`
        select * from ${sql.table(table)} order by ${sql.join(key.map((column) => sql.ref(column)))} limit ${batch} offset ${offset}`.execute(db);
      if (rows.length > 0) yield rows;
      if (rows.length < batch) return;
    }
  }
  let after: unknown = position === 'rowid' ? -1 : '(0,0)';
  for (;;) {
    const { rows } =
      position === 'rowid'
        ? await sql<Record<string, unknown>>`
            select rowid as qala_position, * from ${sql.table(table)} where rowid > ${after} order by rowid limit ${batch}`.execute(db)
        : await sql<Record<string, unknown>>`
            select ctid::text as qala_position, * from ${sql.table(table)} where ctid > ${after}::tid order by ctid limit ${batch}`.execute(db);
    if (rows.length === 0) return;
    after = rows.at(-1)!.qala_position;
    yield rows.map(({ qala_position: _position, ...row }) => row);
    if (rows.length < batch) return;
  }
}

async function hasRowid(db: AnyDb, table: string): Promise<boolean> {
  const { rows } = await sql<{ sql: string }>`select sql from sqlite_master where type = 'table' and name = ${table}`.execute(db);
  return !/without\s+rowid\s*$/i.test(rows[0]?.sql ?? '');
}

async function sqlitePrimaryKey(db: AnyDb, table: string): Promise<string[]> {
  const { rows } = await sql<{ name: string }>`select name from pragma_table_info(${table}) where pk > 0 order by pk`.execute(db);
  return rows.map((row) => row.name);
}

function convertRow(row: Record<string, unknown>, booleans: Set<string> | undefined, targetIsSqlite: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [column, value] of Object.entries(row)) {
    if (booleans?.has(column) && typeof value === 'number') out[column] = value !== 0;
    else if (targetIsSqlite && typeof value === 'boolean') out[column] = value ? 1 : 0;
    else out[column] = value;
  }
  return out;
}

/** Moves every id sequence past the copied ids, so the next row inserted gets a new one. */
async function advanceSequences(db: AnyDb, tables: string[]): Promise<void> {
  for (const table of tables) {
    const { rows } = await sql<{ sequence: string | null }>`
      select pg_get_serial_sequence(${table}, 'id') as sequence
      where exists (select 1 from information_schema.columns where table_schema = current_schema() and table_name = ${table} and column_name = 'id')`.execute(db);
    const sequence = rows[0]?.sequence;
    if (!sequence) continue;
    await sql`select setval(${sequence}::regclass, coalesce((select max(id) from ${sql.table(table)}), 0) + 1, false)`.execute(db);
  }
}
