import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import Sqlite from 'better-sqlite3';
import { once, runPlace } from './run-folder.ts';
import { asAdmin, createPostgresTestDatabase, createServerDatabase, temporaryDirectory, testEngine, type ServerDatabase } from './database.ts';

/**
 * A server's own database that starts as a copy of this run's demo-seeded one, so a
 * server skips migrating and seeding (argon2 hashes, towns, groups, search documents:
 * two thirds of a start's CPU), while each test file still gets a database no other file
 * touches. The seeded database is made once per run and engine, by the first server that
 * needs it, by the built server itself (`makeSeeded` starts it on an empty database and
 * stops it), so it holds exactly what a first start writes; later starts on a copy find
 * their accounts there and do not seed again. Undefined outside a run that provides the
 * place for it (tests/helpers/run-setup.ts), e.g. in benchmarks.
 */
export async function seededServerDatabase(makeSeeded: (databaseUrl: string) => Promise<void>): Promise<ServerDatabase | undefined> {
  const place = runPlace();
  if (!place) return undefined;
  if (testEngine() === 'postgres') {
    await once(place.folder, 'postgres', async () => {
      const making = await createServerDatabase();
      try {
        await makeSeeded(making.url);
        await asAdmin((admin) => admin.query(`alter database ${new URL(making.url).pathname.slice(1)} rename to ${place.postgresName}`));
      } catch (error) {
        await making.remove();
        throw error;
      }
    });
    const database = await createPostgresTestDatabase(place.postgresName);
    return { url: database.url, remove: database.drop };
  }
  const seeded = join(place.folder, 'qala.db');
  await once(place.folder, 'sqlite', async () => {
    const making = temporaryDirectory('qala-seeding-');
    try {
      const path = join(making.path, 'qala.db');
      await makeSeeded(`file:${path}`);
      // A server that stopped cleanly leaves nothing in the WAL; made sure, as only the main file is copied.
      const db = new Sqlite(path);
      db.pragma('wal_checkpoint(TRUNCATE)');
      db.close();
      copyFileSync(path, seeded);
    } finally {
      making.remove();
    }
  });
  const dir = temporaryDirectory('qala-server-');
  copyFileSync(seeded, join(dir.path, 'qala.db'));
  return { url: `file:${join(dir.path, 'qala.db')}`, remove: async () => dir.remove() };
}
