import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Names this run's template databases (tests/helpers/database.ts), so teardown drops them all. */
    qalaPostgresRun: string;
  }
}

/** The PostgreSQL run's global setup: a run id for template databases, and their removal at the end. */
export default function setup(project: TestProject): () => Promise<void> {
  const run = randomBytes(4).toString('hex');
  project.provide('qalaPostgresRun', run);
  return async () => {
    const admin = new pg.Client({ connectionString: process.env.QALA_TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres' });
    await admin.connect();
    try {
      const { rows } = await admin.query<{ datname: string }>('select datname from pg_database where datname like $1', [`qala_tpl_${run}_%`]);
      for (const { datname } of rows) await admin.query(`drop database if exists ${datname} with (force)`);
    } finally {
      await admin.end();
    }
  };
}
