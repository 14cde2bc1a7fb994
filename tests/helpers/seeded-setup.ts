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
     * Where this run keeps its demo-seeded database, made by the first server that needs it
     * (tests/helpers/seeded-database.ts): a folder, and the PostgreSQL database's name.
     */
    qalaSeeded: { folder: string; postgresName: string };
  }
}

/**
 * The global setup of the projects that start servers: a folder and a name for the one
 * demo-seeded database per run that servers' own databases are copied from. Nothing is
 * made here (a run of unit tests alone pays nothing); the teardown removes what was made.
 */
export default function setup(project: TestProject): () => Promise<void> {
  const folder = mkdtempSync(join(tmpdir(), 'qala-seeded-'));
  const postgresName = `qala_seed_${randomBytes(6).toString('hex')}`;
  project.provide('qalaSeeded', { folder, postgresName });
  return async () => {
    rmSync(folder, { recursive: true, force: true });
    if (project.config.env?.QALA_TEST_ENGINE !== 'postgres') return;
    const admin = new pg.Client({ connectionString: TEST_POSTGRES_URL });
    await admin.connect();
    try {
      await admin.query(`drop database if exists ${postgresName} with (force)`);
    } finally {
      await admin.end();
    }
  };
}
