import { SqliteAdapter, type Kysely, type MigrationLockOptions } from 'kysely';
import { isDatabaseBusy } from './busy.ts';

/** How long a starting process waits for another one's migrations before giving up. */
const WAIT_MS = 120_000;
const POLL_MS = 100;

/**
 * kysely's SQLite adapter takes no migration lock ("one connection"), but several Qala
 * processes (instances, workers, a `migrate` next to a starting server) may open one file
 * at once, and SQLite runs DDL outside transactions here: two processes would both apply
 * 0001. This adapter makes kysely's own lock row a mutex between processes: the first to
 * flip `is_locked` from 0 to 1 migrates; the others wait, then find nothing left to do.
 */
export class MigrationLockingSqliteAdapter extends SqliteAdapter {
  override async acquireMigrationLock(db: Kysely<any>, options: MigrationLockOptions): Promise<void> {
    const deadline = Date.now() + WAIT_MS;
    for (;;) {
      let taken = false;
      try {
        const result = await db
          .updateTable(options.lockTable)
          .set({ is_locked: 1 })
          .where('id', '=', options.lockRowId)
          .where('is_locked', '=', 0)
          .executeTakeFirst();
        taken = Number(result.numUpdatedRows) === 1;
      } catch (error) {
        // The migrating process holds the write lock for a whole migration, which on a
        // loaded machine outlasts the driver's wait for one statement: keep waiting.
        if (!isDatabaseBusy(error)) throw error;
      }
      if (taken) return;
      if (Date.now() > deadline) {
        throw new Error(`another process has held the migration lock for ${WAIT_MS / 1000} s; if none is migrating, set is_locked = 0 in ${options.lockTable}`);
      }
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  }

  override async releaseMigrationLock(db: Kysely<any>, options: MigrationLockOptions): Promise<void> {
    await db.updateTable(options.lockTable).set({ is_locked: 0 }).where('id', '=', options.lockRowId).execute();
  }
}
