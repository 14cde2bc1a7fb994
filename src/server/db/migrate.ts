import { Migrator, type Kysely, type MigrationResultSet } from 'kysely';
import { migrations } from '../../../db/migrations/index.ts';

/**
 * Applies every pending migration. Migrations are imported statically (not read
 * from a folder at run time), so they travel inside the built bundle and
 * production needs no TypeScript runtime.
 */
export async function migrateToLatest(db: Kysely<any>): Promise<string[]> {
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } });
  return appliedNames(await migrator.migrateToLatest());
}

/** Reverts the newest migration (for development and the migration tests). */
export async function migrateDown(db: Kysely<any>): Promise<string[]> {
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } });
  return appliedNames(await migrator.migrateDown());
}

function appliedNames({ error, results }: MigrationResultSet): string[] {
  if (error) {
    const failed = results?.find((result) => result.status === 'Error')?.migrationName ?? 'unknown';
    throw new Error(`Migration ${failed} failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  return (results ?? []).filter((result) => result.status === 'Success').map((result) => result.migrationName);
}
