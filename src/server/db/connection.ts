import SQLite from 'better-sqlite3';
import { CompiledQuery, Kysely, SqliteDialect, SqliteDriver, type DatabaseConnection } from 'kysely';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Database } from './schema.ts';

/**
 * kysely's SQLite driver opens transactions with a deferred `BEGIN`: the transaction
 * takes its write lock only at its first write, and if another process wrote in
 * between, SQLite answers SQLITE_BUSY_SNAPSHOT at once instead of waiting. `BEGIN
 * IMMEDIATE` takes the write lock up front, so a second writer waits (busy_timeout)
 * and then proceeds. Every transaction in Qala is there to write, so all use it.
 */
class ImmediateTransactionSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
}

class ImmediateTransactionSqliteDialect extends SqliteDialect {
  readonly #database: SQLite.Database;
  constructor(database: SQLite.Database) {
    super({ database });
    this.#database = database;
  }
  override createDriver(): SqliteDriver {
    return new ImmediateTransactionSqliteDriver({ database: this.#database });
  }
}

/** Opens a SQLite file (created with its folder if missing) with Qala's pragmas. */
export function openSqlite(path: string): SQLite.Database {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const sqlite = new SQLite(path);
  // WAL lets readers go on while one writer writes.
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('foreign_keys = ON');
  // A second writer waits up to 5 s for the lock instead of failing.
  sqlite.pragma('busy_timeout = 5000');
  // NORMAL in WAL mode never corrupts the database; a power cut (not a process crash)
  // may lose the last transactions before a checkpoint. FULL would fsync every commit,
  // costing a disk flush per write for protection against that rarer case only.
  sqlite.pragma('synchronous = NORMAL');
  // Lists walk indexes in order and then read rows scattered over the file: a 32 MiB
  // page cache and memory-mapped reads (no system call per page) keep that cheap at
  // hundreds of thousands of rows (measured in tests/bench/exchange.measure.ts).
  sqlite.pragma('cache_size = -32768');
  sqlite.pragma('mmap_size = 268435456');
  // Keeps the query planner's statistics fresh without a full ANALYZE at every start.
  sqlite.pragma('optimize = 0x10002');
  return sqlite;
}

/** A kysely handle on a SQLite file. Callers get `Kysely<Database>` and never see the driver. */
export function createDatabase(path: string): Kysely<Database> {
  return new Kysely<Database>({ dialect: new ImmediateTransactionSqliteDialect(openSqlite(path)) });
}
