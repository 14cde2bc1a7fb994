import type { Kysely, RawBuilder } from 'kysely';
import { createDatabase } from '~/server/db/connection.ts';
import { databaseLocation } from '~/server/db/location.ts';
import type { Database } from '~/server/db/schema.ts';

/**
 * Runs `work` on a kysely handle to a running server's database, given as its
 * DATABASE_URL (`RunningServer.databaseUrl`, SQLite or PostgreSQL), and closes the
 * handle after. A SQLite file in WAL mode lets this second connection in while the
 * server writes. For checks: a test that writes there says why.
 */
export async function withServerDatabase<T>(databaseUrl: string, work: (db: Kysely<Database>) => Promise<T>): Promise<T> {
  const db = createDatabase(databaseLocation(databaseUrl, process.cwd()));
  try {
    return await work(db);
  } finally {
    await db.destroy();
  }
}

/**
 * The rows of one query on a running server's database. Write it with kysely's `sql`
 * template, whose `${value}`s become parameters on both engines (`?` on SQLite, `$1`
 * on PostgreSQL), and in SQL both engines read alike.
 */
export function readRows<T>(databaseUrl: string, query: RawBuilder<T>): Promise<T[]> {
  return withServerDatabase(databaseUrl, async (db) => (await query.execute(db)).rows);
}
