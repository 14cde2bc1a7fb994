import type { Kysely } from 'kysely';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDatabase } from '../../src/server/db/connection.ts';
import { migrateToLatest } from '../../src/server/db/migrate.ts';
import type { Database } from '../../src/server/db/schema.ts';

/** A fresh folder under the system temp dir, removed by the returned function. */
export function temporaryDirectory(prefix = 'qala-test-'): { path: string; remove: () => void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

/** A real SQLite file in a temp folder, migrated to the latest schema. */
export async function createTestDatabase(): Promise<{ db: Kysely<Database>; path: string; cleanup: () => Promise<void> }> {
  const dir = temporaryDirectory();
  const path = join(dir.path, 'test.db');
  const db = createDatabase(path);
  await migrateToLatest(db);
  return {
    db,
    path,
    cleanup: async () => {
      await db.destroy();
      dir.remove();
    },
  };
}
