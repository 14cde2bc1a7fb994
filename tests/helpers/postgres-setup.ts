import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { createDatabase } from '~/server/db/connection.ts';
import { migrateToLatest } from '~/server/db/migrate.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The migrated database this run's test databases are copied from (tests/helpers/database.ts). */
    qalaPostgresTemplate: string;
  }
}

const SERVER_URL = process.env.QALA_TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';

async function asAdmin<T>(work: (admin: pg.Client) => Promise<T>): Promise<T> {
  const admin = new pg.Client({ connectionString: SERVER_URL });
  await admin.connect();
  try {
    return await work(admin);
  } finally {
    await admin.end();
  }
}

/**
 * The PostgreSQL runs' global setup: one migrated template database for the whole run
 * (copying it is cheaper than migrating each test database, and each file's server),
 * dropped at the end.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const name = `qala_tpl_${randomBytes(6).toString('hex')}`;
  await asAdmin((admin) => admin.query(`create database ${name}`));
  const drop = () => asAdmin((admin) => admin.query(`drop database if exists ${name} with (force)`)).then(() => undefined);
  try {
    const url = new URL(SERVER_URL);
    url.pathname = `/${name}`;
    const db = createDatabase(url.toString());
    try {
      await migrateToLatest(db);
    } finally {
      // No one may be connected to a template while databases are copied from it.
      await db.destroy();
    }
  } catch (error) {
    await drop();
    throw error;
  }
  project.provide('qalaPostgresTemplate', name);
  return drop;
}
