import SQLite from 'better-sqlite3';
import { CompiledQuery, Kysely, PostgresDialect, PostgresDriver, SqliteDialect, sql, type DatabaseConnection, type DialectAdapter, type Driver, type PostgresDialectConfig } from 'kysely';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import pg from 'pg';
import { readsFreshFromNow } from '~/server/cache/freshness.ts';
import { ConfigError } from '~/server/config.ts';
import { log } from '~/server/log.ts';
import { recordQuery } from '~/server/metrics/record.ts';
import { describeLocation, isPostgresUrl, type DatabaseLocation } from './location.ts';
import type { Database } from './schema.ts';
import { MigrationLockingSqliteAdapter } from './migration-lock.ts';
import { WaitingSqliteDriver } from './sqlite-driver.ts';

/** kysely's SQLite dialect on Qala's driver (WaitingSqliteDriver: BEGIN IMMEDIATE, lock waits that do not block). */
class WaitingSqliteDialect extends SqliteDialect {
  readonly #database: SQLite.Database;
  constructor(database: SQLite.Database) {
    super({ database });
    this.#database = database;
  }
  override createDriver(): Driver {
    return new WaitingSqliteDriver(this.#database);
  }
  override createAdapter(): DialectAdapter {
    return new MigrationLockingSqliteAdapter();
  }
}

/** SQLite's own, blocking, wait for a lock (busy_timeout) once the file is open, in milliseconds. */
const BUSY_TIMEOUT_MS = 5;
/** The same while opening, before anything else runs in the process. */
const OPENING_BUSY_TIMEOUT_MS = 5000;

/**
 * Opens a SQLite file (created with its folder if missing) with Qala's pragmas.
 * `busyTimeoutMs` is SQLite's own, blocking, wait for a lock held elsewhere: a few
 * milliseconds for the server's handle, longer for a command that serves nothing.
 */
export function openSqlite(path: string, { busyTimeoutMs = BUSY_TIMEOUT_MS }: { busyTimeoutMs?: number } = {}): SQLite.Database {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const sqlite = new SQLite(path);
  // While opening, nothing else is served yet: the pragmas below may wait for a lock.
  sqlite.pragma(`busy_timeout = ${OPENING_BUSY_TIMEOUT_MS}`);
  // WAL lets readers go on while one writer writes.
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('foreign_keys = ON');
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
  // Once open, SQLite's own wait for a lock held elsewhere is synchronous and would stop
  // the whole process, static files and /healthz included: it is kept to a few
  // milliseconds, and Qala's driver waits the rest between attempts without blocking
  // (sqlite-driver.ts).
  sqlite.pragma(`busy_timeout = ${busyTimeoutMs}`);
  return sqlite;
}

// PostgreSQL answers int8 (bigint columns, count(*), sum of integers) and numeric
// (sum of bigints, avg) as strings, because they may exceed a double. Qala's values
// (seconds since the epoch, counts) are far below 2^53: read them as numbers, as
// SQLite gives them. Set once for the process, before any pool exists.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));
pg.types.setTypeParser(pg.types.builtins.NUMERIC, (value) => Number(value));

/** Any constant key for the advisory lock that serialises Qala's write transactions. */
const WRITE_LOCK_KEY = 0x7161_6c61; // 'qala'

/**
 * Transactions on PostgreSQL: READ COMMITTED (the default), plus one transaction-scoped
 * advisory lock taken first thing, so write transactions run one at a time across every
 * Qala instance, exactly as SQLite's BEGIN IMMEDIATE makes them. Every transaction in
 * Qala is a short read-then-write (check a status, then change it and log the event);
 * with the lock held before the first read, each statement's fresh read-committed
 * snapshot already holds every earlier transaction's writes, so those checks cannot go
 * stale, and no code needs a retry loop. SERIALIZABLE would allow more concurrency
 * but fails transactions with 40001 that every caller would have to retry; at the
 * write rates of an association (people typing) one writer at a time costs nothing.
 * Reads outside transactions do not take the lock. Single statements outside
 * transactions (conditional updates, upserts) stay atomic on their own: under READ
 * COMMITTED an UPDATE re-checks its WHERE on the newest row version after waiting for
 * a concurrent writer, and INSERT … ON CONFLICT never loses a row.
 */
class SerialWritePostgresDriver extends PostgresDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin'));
    await connection.executeQuery(CompiledQuery.raw(`select pg_advisory_xact_lock(${WRITE_LOCK_KEY})`));
  }

  override async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await super.commitTransaction(connection);
    // What it committed may have bumped a change counter: kept reads read them anew.
    readsFreshFromNow();
  }
}

class SerialWritePostgresDialect extends PostgresDialect {
  readonly #config: PostgresDialectConfig;
  constructor(config: PostgresDialectConfig) {
    super(config);
    this.#config = config;
  }
  override createDriver(): Driver {
    return new SerialWritePostgresDriver(this.#config);
  }
}

/** A pool of connections to a PostgreSQL server (`postgres://` or `postgresql://`, `?sslmode=` honoured). */
function openPostgres(url: string): pg.Pool {
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  // An idle connection the server dropped (restart, failover) must not crash the process;
  // the pool replaces it on the next query.
  pool.on('error', (error) => log.warn('database connection lost', { error: error.message }));
  return pool;
}

/**
 * A kysely handle on the database at `location`: a SQLite file path, a `postgres://`
 * URL, or a DatabaseLocation. Callers get `Kysely<Database>` and never see the driver.
 */
export function createDatabase(location: DatabaseLocation | string): Kysely<Database> {
  const where: DatabaseLocation =
    typeof location !== 'string' ? location : isPostgresUrl(location) ? { engine: 'postgres', url: location } : { engine: 'sqlite', path: location };
  // Every statement's duration goes to the metrics (qala_db_query_duration_seconds).
  if (where.engine === 'postgres') return new Kysely<Database>({ dialect: new SerialWritePostgresDialect({ pool: openPostgres(where.url) }), log: recordQuery });
  return new Kysely<Database>({ dialect: new WaitingSqliteDialect(openSqlite(where.path)), log: recordQuery });
}

/**
 * Checks that the database answers, so a wrong DATABASE_URL or a server that is down
 * stops Qala at start with a message naming the variable (and never the password)
 * instead of a stack trace at the first request. `setting` is what the operator wrote
 * the location in: the variable, or a command's flag such as `--to`.
 */
export async function checkConnection(db: Kysely<Database>, location: DatabaseLocation, setting = 'DATABASE_URL'): Promise<void> {
  try {
    await sql`select 1`.execute(db);
  } catch (error) {
    const reason = error instanceof Error ? error.message || (error as NodeJS.ErrnoException).code || error.name : String(error);
    const heading = setting.startsWith('--') ? 'Cannot open a database:' : 'Invalid configuration:';
    throw new ConfigError(`${heading}\n  ${setting}: cannot open the database at ${describeLocation(location)}: ${reason}`);
  }
}
