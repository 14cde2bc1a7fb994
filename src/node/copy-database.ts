import { existsSync } from 'node:fs';
import type { Kysely } from 'kysely';
import { checkConnection, createDatabase } from '~/server/db/connection.ts';
import { rebuildSearchIndex } from '~/server/search/index-writer.ts';
import { copyDatabase, describeFilledTables, tablesWithRows, CopyMismatchError, type CopyReport } from '~/server/db/copy.ts';
import { databaseLocation, databaseUrlProblem, describeLocation, redactPassword, type DatabaseLocation } from '~/server/db/location.ts';
import { appliedMigrations, knownMigrations, migrateToLatest } from '~/server/db/migrate.ts';
import type { Database } from '~/server/db/schema.ts';
import { UsageError } from './usage-error.ts';

/** Tables at least this big report their progress while they are copied. */
const PROGRESS_FROM_ROWS = 50_000;

/**
 * `qala copy-database --from <location> --to <location>`: moves an association from
 * one database to another (SQLite to PostgreSQL, usually), for an operator who has
 * stopped writes to the source. Both locations are written as DATABASE_URL is. The
 * source must be migrated as far as this Qala goes; the target is migrated here and
 * must hold no rows. The copy itself is one transaction that checks every table's
 * row count before it commits (copyDatabase), and the counts are printed.
 */
export async function runCopyDatabase(from: string | undefined, to: string | undefined, cwd = process.cwd()): Promise<void> {
  if (!from || !to) throw new UsageError('give --from <location> and --to <location>, e.g. --from file:db/qala.db --to postgres://qala@localhost:5432/qala');
  const source = locationOf('--from', from, cwd);
  const target = locationOf('--to', to, cwd);
  if (describeLocation(source) === describeLocation(target)) throw new UsageError('--from and --to name the same database');
  if (source.engine === 'sqlite' && source.path !== ':memory:' && !existsSync(source.path)) {
    throw new UsageError(`--from: there is no database file at ${source.path}`);
  }

  const sourceDb = createDatabase(source);
  try {
    await checkConnection(sourceDb, source, '--from');
    await requireFullyMigrated(sourceDb, from);
    // Opened only now: a refused source leaves no new SQLite file behind at --to.
    const targetDb = createDatabase(target);
    try {
      await checkConnection(targetDb, target, '--to');
      // Before migrating: a target that holds data is left exactly as it was.
      const filled = await tablesWithRows(targetDb);
      if (filled.length > 0) {
        throw new CopyMismatchError(`--to: the target is not empty (rows in ${describeFilledTables(filled)}); nothing was copied. Copy into a new, empty database.`);
      }
      await migrateToLatest(targetDb);
      console.log(`Copying ${describeLocation(source)} to ${describeLocation(target)}…`);
      const report = await copyDatabase(sourceDb, targetDb, { onProgress: printProgress });
      console.log(formatReport(report));
      // Each engine keeps search's index its own way: the target builds it from the documents copied.
      const { documents } = await rebuildSearchIndex(targetDb);
      console.log(`Search index rebuilt: ${documents} document(s).`);
    } finally {
      await targetDb.destroy();
    }
  } finally {
    await sourceDb.destroy();
  }
}

/** A location from a flag's value, checked as DATABASE_URL is; the message names the flag. */
function locationOf(flag: string, value: string, cwd: string): DatabaseLocation {
  const problem = databaseUrlProblem(value);
  if (problem) throw new UsageError(`${flag}: ${problem}`);
  return databaseLocation(value, cwd);
}

/**
 * The source must hold exactly the migrations this Qala has: an older source would be
 * copied into a schema it does not fit, a newer one would lose what this Qala does not know.
 */
async function requireFullyMigrated(db: Kysely<Database>, written: string): Promise<void> {
  const applied = await appliedMigrations(db);
  if (applied === undefined) throw new UsageError('--from: the source is not a Qala database (it has no migrations table)');
  const known = knownMigrations();
  const missing = known.filter((name) => !applied.includes(name));
  const unknown = applied.filter((name) => !known.includes(name));
  if (unknown.length > 0) {
    throw new UsageError(`--from: the source has migrations this Qala does not know (${unknown.join(', ')}); copy with the Qala version that wrote it`);
  }
  if (missing.length > 0) {
    throw new UsageError(
      `--from: the source lacks migrations ${missing.join(', ')}; migrate it first: DATABASE_URL=${quoteForShell(written)} node dist/qala.mjs migrate`,
    );
  }
}

/** The location as the operator wrote it, password hidden, quoted for a POSIX shell. */
function quoteForShell(value: string): string {
  return `'${redactPassword(value).replace(/'/g, `'\\''`)}'`;
}

let lastProgressAt = 0;

/** One line a second at most, for the big tables only, on stderr so the report stays clean. */
function printProgress({ table, copiedRows, totalRows }: { table: string; copiedRows: number; totalRows: number }): void {
  if (totalRows < PROGRESS_FROM_ROWS) return;
  const now = Date.now();
  if (copiedRows < totalRows && now - lastProgressAt < 1000) return;
  lastProgressAt = now;
  console.error(`  ${table}: ${copiedRows.toLocaleString('en')} of ${totalRows.toLocaleString('en')} rows`);
}

/** The per-table counts, the totals and the tables left to the target's own search index. */
export function formatReport(report: CopyReport): string {
  const width = Math.max('total'.length, ...report.tables.map((row) => row.table.length));
  const line = (name: string, source: number | string, target: number | string) =>
    `  ${name.padEnd(width)}  ${String(source).padStart(9)}  ${String(target).padStart(9)}`;
  const sum = (pick: (row: CopyReport['tables'][number]) => number) => report.tables.reduce((total, row) => total + pick(row), 0);
  // By name, so an operator finds a table at a glance and can compare with their own counts.
  const tables = [...report.tables].sort((a, b) => a.table.localeCompare(b.table));
  const lines = [
    line('table', 'source', 'target'),
    ...tables.map((row) => line(row.table, row.sourceRows, row.targetRows)),
    line('total', sum((row) => row.sourceRows), sum((row) => row.targetRows)),
    '',
    report.skipped.length > 0
      ? `Skipped (search indexes the target builds itself): ${report.skipped.join(', ')}`
      : 'Skipped: none',
    `Copied ${report.tables.length} tables; every row count matches.`,
  ];
  return lines.join('\n');
}
