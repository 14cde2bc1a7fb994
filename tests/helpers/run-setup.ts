import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { TEST_POSTGRES_URL } from './postgres-probe.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /**
     * This run's shared place for the databases test databases are copied from, each made
     * by the first worker that needs it (tests/helpers/run-folder.ts): a folder (the migrated
     * SQLite file, the demo-seeded one), and the seeded PostgreSQL database's name.
     */
    qalaRun: { folder: string; postgresName: string };
  }
}

/**
 * The global setup of every project: the run's shared place (see `qalaRun`). Nothing is
 * made here (a run of unit tests alone pays nothing); the teardown removes what was made.
 */
export default function setup(project: TestProject): () => Promise<void> {
  const folder = mkdtempSync(join(tmpdir(), 'qala-run-'));
  const postgresName = `qala_seed_${randomBytes(6).toString('hex')}`;
  project.provide('qalaRun', { folder, postgresName });
  return async () => {
    rmSync(folder, { recursive: true, force: true });
    if (project.config.env?.QALA_TEST_ENGINE !== 'postgres') return;
    const admin = new pg.Client({ connectionString: TEST_POSTGRES_URL });
    await admin.connect();
    try {
      await admin.query(`drop database if exists ${postgresName} with (force)`);
      // Test databases of this run left behind (tests/helpers/database.ts: testDatabasePrefix).
      const tag = postgresName.replace(/^qala_seed_/, '');
      const left = await admin.query<{ datname: string }>(`select datname from pg_database where datname like 'qala_t_${tag}_%'`);
      for (const { datname } of left.rows) {
        // One may be in the middle of its own drop still.
        await admin.query(`drop database if exists ${datname} with (force)`).catch(() => undefined);
      }
    } finally {
      await admin.end();
    }
  };
}
