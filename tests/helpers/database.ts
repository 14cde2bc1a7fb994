import type { Kysely } from 'kysely';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { inject } from 'vitest';
import { createDatabase } from '~/server/db/connection.ts';
import { redactPassword } from '~/server/db/location.ts';
import { postgresProblem, TEST_POSTGRES_URL } from './postgres-probe.ts';
import { migrateToLatest } from '~/server/db/migrate.ts';
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
  const name = `qala_t_${randomBytes(6).toString('hex')}`;
  await asAdmin((admin) => admin.query(template ? `create database ${name} template ${template}` : `create database ${name}`));
  return { url: postgresUrlOf(name), drop: () => asAdmin((admin) => admin.query(`drop database if exists ${name} with (force)`)).then(() => undefined) };
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

/** A kysely handle on a new PostgreSQL test database, closed and dropped by `cleanup`. */
function openPostgresTestDatabase(database: { url: string; drop: () => Promise<void> }): { db: Kysely<Database>; path: string; cleanup: () => Promise<void> } {
  const db = createDatabase(database.url);
  return {
    db,
    path: database.url,
    cleanup: async () => {
      await db.destroy();
      await database.drop();
    },
  };
}

/**
 * An empty database on the engine under test: a SQLite file in a temp folder, or a
 * new PostgreSQL database. `path` is the file, or the PostgreSQL URL.
 */
export async function createEmptyTestDatabase(): Promise<{ db: Kysely<Database>; path: string; cleanup: () => Promise<void> }> {
  if (testEngine() === 'postgres') return openPostgresTestDatabase(await createPostgresTestDatabase());
  const dir = temporaryDirectory();
  const path = join(dir.path, 'test.db');
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

/** A fresh database on the engine under test (see `testEngine`), migrated to the latest schema. */
export async function createTestDatabase(): Promise<{ db: Kysely<Database>; path: string; cleanup: () => Promise<void> }> {
  const template = testEngine() === 'postgres' ? templateDatabase() : undefined;
  if (template) return openPostgresTestDatabase(await createPostgresTestDatabase(template));
  const database = await createEmptyTestDatabase();
  await migrateToLatest(database.db);
  return database;
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
