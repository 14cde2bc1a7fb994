import type SQLite from 'better-sqlite3';
import { CompiledQuery, SelectQueryNode, type DatabaseConnection, type Driver, type QueryResult } from 'kysely';
import { setTimeout as sleep } from 'node:timers/promises';
import { readsFreshFromNow } from '~/server/cache/freshness.ts';
import { DatabaseBusyError } from './busy.ts';

/** How long a statement waits, in all, for a write lock another process holds. */
export const LOCK_WAIT_MS = 5000;
/** The pause between two attempts grows from the first to the last, so a freed lock is seen soon. */
const FIRST_PAUSE_MS = 5;
const LONGEST_PAUSE_MS = 50;

/** One connection, one user at a time: whoever holds the turn runs statements on it. */
class Turn {
  #current: Promise<void> | undefined;
  #release: (() => void) | undefined;

  async take(): Promise<void> {
    while (this.#current) await this.#current;
    this.#current = new Promise((resolve) => (this.#release = resolve));
  }

  give(): void {
    const release = this.#release;
    this.#current = undefined;
    this.#release = undefined;
    release?.();
  }
}

/** SQLITE_BUSY and the variants that a later attempt can get past (a snapshot cannot be). */
function isBusy(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('SQLITE_BUSY') && code !== 'SQLITE_BUSY_SNAPSHOT';
}

/** How many prepared statements a connection keeps (a page runs a few dozen distinct ones). */
export const STATEMENT_CACHE_SIZE = 500;

/**
 * The connection's prepared statements by SQL text, least recently used dropped first.
 * kysely's SQLite connection prepares every statement again on every run, which costs
 * SQLite a parse and a query plan each time; a kept statement is bound and stepped only.
 * A statement is never used by two queries at once: the connection runs one statement
 * at a time (Turn), and streamed queries, which hold a statement open while iterating,
 * prepare their own. A schema change (a migration) makes SQLite prepare a kept
 * statement again by itself.
 */
export class StatementCache {
  readonly #sqlite: SQLite.Database;
  readonly #limit: number;
  readonly #statements = new Map<string, SQLite.Statement>();
  /** Statements prepared (misses) and reused (hits), for the benchmarks. */
  prepared = 0;
  reused = 0;

  constructor(sqlite: SQLite.Database, limit = STATEMENT_CACHE_SIZE) {
    this.#sqlite = sqlite;
    this.#limit = limit;
  }

  get(sql: string): SQLite.Statement {
    const kept = this.#statements.get(sql);
    if (kept) {
      // Most recently used last: Map keeps insertion order.
      this.#statements.delete(sql);
      this.#statements.set(sql, kept);
      this.reused += 1;
      return kept;
    }
    const statement = this.#sqlite.prepare(sql);
    this.prepared += 1;
    this.#statements.set(sql, statement);
    if (this.#statements.size > this.#limit) this.#statements.delete(this.#statements.keys().next().value!);
    return statement;
  }

  get size(): number {
    return this.#statements.size;
  }
}

function run<R>(prepare: (sql: string) => SQLite.Statement, { sql, parameters }: CompiledQuery): QueryResult<R> {
  const statement = prepare(sql);
  if (statement.reader) return { rows: statement.all(parameters) as R[] };
  const { changes, lastInsertRowid } = statement.run(parameters);
  return { numAffectedRows: BigInt(changes), insertId: BigInt(lastInsertRowid), rows: [] };
}

/**
 * Runs statements as kysely's own SQLite connection does, but waits for a lock held by
 * another process without blocking the event loop: better-sqlite3 is synchronous, so
 * SQLite's own busy wait (busy_timeout) would stop every other request, static files
 * and /healthz included, for as long as it lasts. Here busy_timeout stays a few
 * milliseconds and a statement that still finds the lock taken is tried again after
 * an awaited pause, until LOCK_WAIT_MS have passed; then DatabaseBusyError.
 *
 * Outside a transaction, a statement that met SQLITE_BUSY did nothing, so running it
 * again is safe, and the connection is handed to other queries (reads, most of them)
 * during the pause. That includes `begin immediate`, where every write transaction
 * takes the lock. Inside a transaction only the failed statement is tried again (the
 * earlier ones stand, SQLite undid only this one) and the connection is kept, since
 * it carries the open transaction.
 */
class WaitingSqliteConnection implements DatabaseConnection {
  readonly #sqlite: SQLite.Database;
  readonly #turn: Turn;
  readonly #waitMs: number;
  readonly #statements: StatementCache | null;

  constructor(sqlite: SQLite.Database, turn: Turn, waitMs: number, statementCacheSize: number) {
    this.#sqlite = sqlite;
    this.#turn = turn;
    this.#waitMs = waitMs;
    this.#statements = statementCacheSize > 0 ? new StatementCache(sqlite, statementCacheSize) : null;
  }

  /** The kept prepared statements (null when keeping none). */
  get statements(): StatementCache | null {
    return this.#statements;
  }

  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    const deadline = performance.now() + this.#waitMs;
    for (let pause = FIRST_PAUSE_MS; ; pause = Math.min(pause * 2, LONGEST_PAUSE_MS)) {
      try {
        return run<R>(this.#statements ? (text) => this.#statements!.get(text) : (text) => this.#sqlite.prepare(text), query);
      } catch (error) {
        if (!isBusy(error)) throw error;
        if (performance.now() + pause > deadline) throw new DatabaseBusyError({ cause: error });
      }
      if (this.#sqlite.inTransaction) {
        await sleep(pause);
      } else {
        this.#turn.give();
        try {
          await sleep(pause);
        } finally {
          await this.#turn.take();
        }
      }
    }
  }

  async *streamQuery<R>(query: CompiledQuery): AsyncIterableIterator<QueryResult<R>> {
    if (!SelectQueryNode.is(query.query)) throw new Error('SQLite streams select queries only');
    for (const row of this.#sqlite.prepare(query.sql).iterate(query.parameters)) yield { rows: [row as R] };
  }
}

/**
 * QALA_SQLITE_STATEMENT_CACHE=0 turns the statement cache off (to measure what it gains);
 * any other number sets its size.
 */
function statementCacheSizeFromEnvironment(): number {
  const value = process.env.QALA_SQLITE_STATEMENT_CACHE;
  if (value === undefined || value.trim() === '') return STATEMENT_CACHE_SIZE;
  const size = Number(value);
  return Number.isInteger(size) && size >= 0 ? size : STATEMENT_CACHE_SIZE;
}

/**
 * kysely's SQLite driver with three changes, the third being a cache of prepared statements (StatementCache). Its connection waits for another process's
 * lock asynchronously (WaitingSqliteConnection). And transactions open with `BEGIN
 * IMMEDIATE`: kysely's deferred `BEGIN` takes the write lock only at the first write,
 * and if another process wrote in between, SQLite answers SQLITE_BUSY_SNAPSHOT at once
 * instead of waiting. `BEGIN IMMEDIATE` takes the lock up front, so a second writer
 * waits and then proceeds. Every transaction in Qala is there to write, so all use it.
 * (Savepoints, which Qala does not use, are left out: kysely then refuses them.)
 */
export class WaitingSqliteDriver implements Driver {
  readonly #sqlite: SQLite.Database;
  readonly #turn = new Turn();
  readonly #connection: WaitingSqliteConnection;

  constructor(sqlite: SQLite.Database, options: { lockWaitMs?: number; statementCacheSize?: number } = {}) {
    this.#sqlite = sqlite;
    this.#connection = new WaitingSqliteConnection(sqlite, this.#turn, options.lockWaitMs ?? LOCK_WAIT_MS, options.statementCacheSize ?? statementCacheSizeFromEnvironment());
  }

  async init(): Promise<void> {}

  async acquireConnection(): Promise<DatabaseConnection> {
    await this.#turn.take();
    return this.#connection;
  }

  async releaseConnection(): Promise<void> {
    this.#turn.give();
  }

  async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('commit'));
    // What it committed may have bumped a change counter: kept reads read them anew.
    readsFreshFromNow();
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('rollback'));
  }

  async destroy(): Promise<void> {
    this.#sqlite.close();
  }
}
