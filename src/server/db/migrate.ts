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

/** The names of every migration this Qala knows, in the order they apply. */
export function knownMigrations(): string[] {
  return Object.keys(migrations).sort();
}

/**
 * The migrations applied to `db`, in order, or undefined when it has never been
 * migrated (no migrator table): for checking that two databases hold the same schema.
 */
export async function appliedMigrations(db: Kysely<any>): Promise<string[] | undefined> {
  const tables = await db.introspection.getTables({ withInternalKyselyTables: true });
  if (!tables.some((table) => table.name === 'kysely_migration')) return undefined;
  const rows = await db.selectFrom('kysely_migration').select('name').orderBy('name').execute();
  return rows.map((row: { name: string }) => row.name);
}

/** Reverts every migration after `name`, newest first (for the migration tests); returns what it reverted. */
export async function migrateDownTo(db: Kysely<any>, name: string): Promise<string[]> {
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } });
  return appliedNames(await migrator.migrateTo(name));
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
