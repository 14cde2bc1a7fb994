import SQLite from 'better-sqlite3';
import { Kysely, SqliteAdapter, SqliteIntrospector, SqliteQueryCompiler, sql } from 'kysely';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isDatabaseBusy } from '~/server/db/busy.ts';
import { openSqlite } from '~/server/db/connection.ts';
import { MigrationLockingSqliteAdapter } from '~/server/db/migration-lock.ts';
import { WaitingSqliteDriver } from '~/server/db/sqlite-driver.ts';
import { temporaryDirectory, testEngine } from '../helpers/database.ts';

/**
 * Qala's SQLite driver waits for a lock another connection holds without blocking the
 * event loop, lends its connection to other queries meanwhile, and gives up with
 * DatabaseBusyError at its deadline. The other connection stands for another process:
 * SQLite locks the same way between connections of one process. (SQLite only.)
 */
const dir = temporaryDirectory('qala-lock-wait-');
afterAll(() => dir.remove());
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let files = 0;
/** A fresh database file with a table, Qala's driver on it, and a second connection that can take the lock. */
async function setup(lockWaitMs = 5000) {
  const path = join(dir.path, `${++files}.db`);
  const db = new Kysely<any>({
    dialect: {
      createAdapter: () => new SqliteAdapter(),
      createDriver: () => new WaitingSqliteDriver(openSqlite(path), { lockWaitMs }),
      createIntrospector: (kysely) => new SqliteIntrospector(kysely),
      createQueryCompiler: () => new SqliteQueryCompiler(),
    },
  });
  await sql`create table note (id integer primary key, text text not null)`.execute(db);
  const other = new SQLite(path);
  return { db, other };
}

describe.skipIf(testEngine() === 'postgres')('waiting for a SQLite write lock held elsewhere', () => {
  it('a single write waits, reads go on meanwhile, and the write lands once the lock is free', async () => {
    const { db, other } = await setup();
    other.exec('BEGIN IMMEDIATE');
    let written = false;
    const write = db.insertInto('note').values({ text: 'after the lock' }).execute().then(() => (written = true));
    await pause(50);
    // The read and a timer both run while the write waits: nothing blocks.
    expect(await db.selectFrom('note').selectAll().execute()).toEqual([]);
    expect(written).toBe(false);
    other.exec('ROLLBACK');
    await write;
    expect(await db.selectFrom('note').select('text').execute()).toEqual([{ text: 'after the lock' }]);
    other.close();
    await db.destroy();
  });

  it('a transaction waits at BEGIN IMMEDIATE and then runs whole', async () => {
    const { db, other } = await setup();
    other.exec('BEGIN IMMEDIATE');
    const transaction = db.transaction().execute(async (trx) => {
      await trx.insertInto('note').values({ text: 'one' }).execute();
      await trx.insertInto('note').values({ text: 'two' }).execute();
    });
    await pause(50);
    expect(await db.selectFrom('note').selectAll().execute()).toEqual([]);
    other.exec('COMMIT');
    await transaction;
    expect((await db.selectFrom('note').select('text').orderBy('id').execute()).map((row) => row.text)).toEqual(['one', 'two']);
    other.close();
    await db.destroy();
  });

  it('gives up at the deadline with DatabaseBusyError, having written nothing', async () => {
    const { db, other } = await setup(200);
    other.exec('BEGIN IMMEDIATE');
    const failures = await Promise.all([
      db.insertInto('note').values({ text: 'single' }).execute().catch((error: unknown) => error),
      db.transaction().execute((trx) => trx.insertInto('note').values({ text: 'in a transaction' }).execute()).catch((error: unknown) => error),
    ]);
    expect(failures.map(isDatabaseBusy)).toEqual([true, true]);
    other.exec('ROLLBACK');
    expect(await db.selectFrom('note').selectAll().execute()).toEqual([]);
    // The connection is in a clean state: the next write just works.
    await db.insertInto('note').values({ text: 'later' }).execute();
    expect(await db.selectFrom('note').select('text').execute()).toEqual([{ text: 'later' }]);
    other.close();
    await db.destroy();
  });
  it("taking the migration lock outlasts the driver's wait while another process holds the write lock", async () => {
    // A short driver wait stands for a migration that holds the lock longer than it on a loaded machine.
    const { db, other } = await setup(100);
    await sql`create table lock_row (id text primary key, is_locked integer not null)`.execute(db);
    await sql`insert into lock_row values ('lock', 0)`.execute(db);
    other.exec('BEGIN IMMEDIATE');
    let taken = false;
    const acquiring = new MigrationLockingSqliteAdapter()
      .acquireMigrationLock(db, { lockTable: 'lock_row', lockRowId: 'lock', lockTableSchema: undefined })
      .then(() => (taken = true));
    await pause(400);
    expect(taken).toBe(false);
    other.exec('ROLLBACK');
    await acquiring;
    expect(await db.selectFrom('lock_row').select('is_locked').execute()).toEqual([{ is_locked: 1 }]);
    other.close();
    await db.destroy();
  });
});
