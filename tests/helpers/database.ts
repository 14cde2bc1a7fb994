import type { Kysely } from 'kysely';
import { randomBytes } from 'node:crypto';
import { copyFileSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Sqlite from 'better-sqlite3';
import pg from 'pg';
import { inject } from 'vitest';
import { createDatabase } from '~/server/db/connection.ts';
import { redactPassword } from '~/server/db/location.ts';
import { postgresProblem, TEST_POSTGRES_URL } from './postgres-probe.ts';
import { migrateToLatest } from '~/server/db/migrate.ts';
import { once, runPlace } from './run-folder.ts';
import type { Database } from '~/server/db/schema.ts';

/** A fresh folder under the system temp dir, removed by the returned function. */
export function temporaryDirectory(prefix = 'qala-test-'): { path: string; remove: () => void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

/**
 * The engine the tests run on: vitest.config.ts runs tests/data and tests/http once per
 * engine and says which in QALA_TEST_ENGINE (SQLite when unset, e.g. in other projects).
 */
export function testEngine(): 'sqlite' | 'postgres' {
  return process.env.QALA_TEST_ENGINE === 'postgres' ? 'postgres' : 'sqlite';
}

/** The PostgreSQL server tests create their databases on (vitest.config.ts checked it answers). */
export { TEST_POSTGRES_URL };

/**
 * A new PostgreSQL database on the test server, dropped by `drop`: each caller gets its
 * own, so test files still run in parallel. Created through an admin connection to the
 * server's URL (usually its `postgres` database), empty or as a copy of `template`.
 */
export async function createPostgresTestDatabase(template?: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `${testDatabasePrefix()}${randomBytes(6).toString('hex')}`;
  await asAdmin((admin) => admin.query(template ? `create database ${name} template ${template}` : `create database ${name}`));
  return { url: postgresUrlOf(name), drop: () => asAdmin((admin) => admin.query(`drop database if exists ${name} with (force)`)).then(() => undefined) };
}

/**
 * Test databases' names begin with this: within a run, with the run's tag, so the run's
 * teardown (tests/helpers/run-setup.ts) drops any left behind (one made ahead and never
 * used, one whose drop did not finish before its worker ended).
 */
function testDatabasePrefix(): string {
  const tag = runPlace()?.postgresName.replace(/^qala_seed_/, '');
  return tag ? `qala_t_${tag}_` : 'qala_t_';
}

function postgresUrlOf(database: string): string {
  const url = new URL(TEST_POSTGRES_URL);
  url.pathname = `/${database}`;
  return url.toString();
}

/**
 * The migrated database test databases are copied from (copying is cheaper than
 * migrating each): made once per run by the PostgreSQL runs' global setup
 * (tests/helpers/postgres-setup.ts), which drops it at the end. Without that setup
 * there is none, and each database is migrated itself.
 */
function templateDatabase(): string | undefined {
  return inject('qalaPostgresTemplate') || undefined;
}

/** Runs `work` on an admin connection to the test PostgreSQL server, closed after. */
export async function asAdmin<T>(work: (admin: pg.Client) => Promise<T>): Promise<T> {
  const admin = new pg.Client({ connectionString: TEST_POSTGRES_URL });
  await admin.connect();
  try {
    return await work(admin);
  } finally {
    await admin.end();
  }
}

/**
 * A kysely handle on a new PostgreSQL test database, closed and dropped by `cleanup`. Within
 * a run the drop is not waited for (a test goes on while the server drops the last one;
 * the run's teardown drops what is left), elsewhere it is.
 */
function openPostgresTestDatabase(database: { url: string; drop: () => Promise<void> }): { db: Kysely<Database>; path: string; cleanup: () => Promise<void> } {
  const db = createDatabase(database.url);
  return {
    db,
    path: database.url,
    cleanup: async () => {
      await db.destroy();
      const dropped = database.drop();
      if (runPlace()) dropped.catch(() => undefined);
      else await dropped;
    },
  };
}

/**
 * Copies of a template made ahead, one per template: from the second copy a process asks
 * for (a file whose tests each take a fresh database), the next is made while the test
 * runs, since copying takes the PostgreSQL server 1–3 s when the machine is busy.
 */
const madeAhead = new Map<string, Promise<{ url: string; drop: () => Promise<void> }>>();
const copiesAsked = new Map<string, number>();

async function copyOfTemplate(template: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const ahead = madeAhead.get(template);
  madeAhead.delete(template);
  const database = ahead ? await ahead.catch(() => createPostgresTestDatabase(template)) : await createPostgresTestDatabase(template);
  const asked = (copiesAsked.get(template) ?? 0) + 1;
  copiesAsked.set(template, asked);
  // Only within a run, whose teardown drops the one made ahead that no test takes.
  if (asked >= 2 && runPlace()) {
    const next = createPostgresTestDatabase(template);
    next.catch(() => undefined);
    madeAhead.set(template, next);
  }
  return database;
}

/**
 * An empty database on the engine under test: a SQLite file in a temp folder, or a
 * new PostgreSQL database. `path` is the file, or the PostgreSQL URL.
 */
export async function createEmptyTestDatabase(): Promise<{ db: Kysely<Database>; path: string; cleanup: () => Promise<void> }> {
  if (testEngine() === 'postgres') return openPostgresTestDatabase(await createPostgresTestDatabase());
  return openSqliteTestDatabase();
}

/** A kysely handle on a new SQLite file in a temp folder (a copy of `copyOf` if given), closed and removed by `cleanup`. */
function openSqliteTestDatabase(copyOf?: string): { db: Kysely<Database>; path: string; cleanup: () => Promise<void> } {
  const dir = temporaryDirectory();
  const path = join(dir.path, 'test.db');
  if (copyOf) copyFileSync(copyOf, path);
  const db = createDatabase(path);
  return {
    db,
    path,
    cleanup: async () => {
      await db.destroy();
      dir.remove();
    },
  };
}

/** A database for a Qala server: its DATABASE_URL, and how to delete it. */
export interface ServerDatabase {
  url: string;
  remove: () => Promise<void>;
}

/**
 * A database for a Qala server on the engine under test, as the server's DATABASE_URL:
 * a `file:` URL in a new temp folder, or a new PostgreSQL database (a copy of the run's
 * migrated template, when there is one). Either holds no rows, so the server seeds it
 * with DEMO_DATA itself; `remove` deletes it.
 */
export async function createServerDatabase(): Promise<ServerDatabase> {
  if (testEngine() === 'postgres') {
    const database = await createPostgresTestDatabase(templateDatabase());
    return { url: database.url, remove: database.drop };
  }
  const dir = temporaryDirectory('qala-server-');
  return { url: `file:${join(dir.path, 'qala.db')}`, remove: async () => dir.remove() };
}

/**
 * A fresh database on the engine under test (see `testEngine`), migrated to the latest schema:
 * on PostgreSQL a copy of the run's migrated template, on SQLite a copy of the run's migrated
 * file (made once per run by the first worker that needs it, tests/helpers/run-folder.ts:
 * migrating costs ~100–500 ms of commits, a copy a millisecond), else migrated here.
 */
export async function createTestDatabase(): Promise<{ db: Kysely<Database>; path: string; cleanup: () => Promise<void> }> {
  const template = testEngine() === 'postgres' ? templateDatabase() : undefined;
  if (template) return openPostgresTestDatabase(await copyOfTemplate(template));
  const migrated = testEngine() === 'sqlite' ? await migratedSqliteFile() : undefined;
  if (migrated) return openSqliteTestDatabase(migrated);
  const database = await createEmptyTestDatabase();
  await migrateToLatest(database.db);
  return database;
}

/** The run's migrated SQLite file, made by the first caller of the run; undefined outside such a run. */
async function migratedSqliteFile(): Promise<string | undefined> {
  const place = runPlace();
  if (!place) return undefined;
  const file = join(place.folder, 'migrated.db');
  await once(place.folder, 'migrated-sqlite', async () => {
    const making = join(place.folder, 'migrating.db');
    const db = createDatabase(making);
    try {
      await migrateToLatest(db);
    } finally {
      await db.destroy();
    }
    // Everything in the main file (only it is copied), then in place at once.
    const sqlite = new Sqlite(making);
    sqlite.pragma('wal_checkpoint(TRUNCATE)');
    sqlite.close();
    renameSync(making, file);
  });
  return file;
}

/**
 * True when PostgreSQL is there for `what` (a test file's subject). When it is not: with
 * CI=true this throws, failing the file, since CI always has PostgreSQL; elsewhere it
 * prints a notice and returns false, and the caller skips its PostgreSQL tests.
 */
export async function postgresAvailableFor(what: string): Promise<boolean> {
  const problem = await postgresProblem();
  if (problem === undefined) return true;
  const where = redactPassword(TEST_POSTGRES_URL);
  if (process.env.CI === 'true') throw new Error(`PostgreSQL at ${where} is not reachable (${problem}); CI tests ${what} on PostgreSQL too.`);
  console.warn(`\nNotice: PostgreSQL at ${where} is not reachable (${problem}): ${what} on PostgreSQL is skipped. Set QALA_TEST_DATABASE_URL or start the local server.\n`);
  return false;
}
