import pg from 'pg';

/** The PostgreSQL server tests create their databases on. */
export const TEST_POSTGRES_URL = process.env.QALA_TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';

/**
 * vitest.config.ts checks the server once per run and leaves its answer here (empty when it
 * answered), so test files ask again only when run outside that configuration.
 */
export const CHECKED_VARIABLE = 'QALA_TEST_POSTGRES_CHECKED';

/** Why the test PostgreSQL server cannot be used, or undefined when it answers. */
export async function postgresProblem(): Promise<string | undefined> {
  const checked = process.env[CHECKED_VARIABLE];
  if (checked !== undefined) return checked || undefined;
  const client = new pg.Client({ connectionString: TEST_POSTGRES_URL, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('select 1');
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message || error.name : String(error);
  } finally {
    await client.end().catch(() => undefined);
  }
}
