import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import { CHECKED_VARIABLE, postgresProblem, TEST_POSTGRES_URL } from './tests/helpers/postgres-probe.ts';

/**
 * tests/data and tests/http run twice: on SQLite (data:sqlite, http:sqlite) and on
 * PostgreSQL (data:postgres, http:postgres), the server given by QALA_TEST_DATABASE_URL
 * or a local one. Each PostgreSQL test database is created fresh and dropped
 * (tests/helpers/database.ts; an HTTP test's server gets its own, tests/helpers/server.ts).
 * Without a reachable server the PostgreSQL runs are left out with a notice, except with
 * CI=true, where that fails the run. Unit, CLI and browser tests run once (other).
 */
// vitest evaluates this file again for each project that extends it: check the server
// once per run and remember the answer in the environment, so the notice prints once.
const CHECKED = CHECKED_VARIABLE;
const firstLoad = process.env[CHECKED] === undefined;
if (firstLoad) process.env[CHECKED] = (await postgresProblem()) ?? '';
const problem = process.env[CHECKED] || undefined;
if (problem !== undefined && firstLoad) {
  const where = TEST_POSTGRES_URL.replace(/^([a-z]+:\/\/[^:/@]*):[^@/]*@/i, '$1:***@');
  if (process.env.CI === 'true') throw new Error(`PostgreSQL at ${where} is not reachable (${problem}); CI runs the data and HTTP tests on PostgreSQL too.`);
  console.warn(`\nNotice: PostgreSQL at ${where} is not reachable (${problem}): the data:postgres and http:postgres tests are skipped. Set QALA_TEST_DATABASE_URL or start the local server.\n`);
}

/**
 * Every project gets the run's shared place (tests/helpers/run-setup.ts) for the databases
 * test databases are copied from: the migrated SQLite file (tests/helpers/database.ts) and
 * the demo-seeded database servers start on (tests/helpers/seeded-database.ts).
 */
const RUN_SETUP = 'tests/helpers/run-setup.ts';

/** The projects `<name>:sqlite` and, when PostgreSQL answers, `<name>:postgres`, both running `include`. */
function onBothEngines(name: string, include: string, setup: string[] = []) {
  const sqlite = { extends: true as const, test: { name: `${name}:sqlite`, include: [include], globalSetup: setup, env: { QALA_TEST_ENGINE: 'sqlite' } } };
  if (problem !== undefined) return [sqlite];
  const postgres = {
    extends: true as const,
    test: { name: `${name}:postgres`, include: [include], globalSetup: ['tests/helpers/postgres-setup.ts', ...setup], env: { QALA_TEST_ENGINE: 'postgres', QALA_TEST_DATABASE_URL: TEST_POSTGRES_URL } },
  };
  return [sqlite, postgres];
}

export default defineConfig({
  // The `~/` alias of tsconfig.json, for the source files the tests import.
  resolve: { alias: { '~': fileURLToPath(new URL('./src', import.meta.url)) } },
  test: {
    exclude: ['tests/bench/**', 'node_modules/**'],
    // HTTP and browser tests each start the built server; argon2 hashing is slow on purpose.
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Two cores: two test files at a time keeps servers and chromium from starving each other.
    maxWorkers: 2,
    env: { ASTRO_TELEMETRY_DISABLED: '1' },
    projects: [
      ...onBothEngines('data', 'tests/data/**/*.test.ts', [RUN_SETUP]),
      ...onBothEngines('http', 'tests/http/**/*.test.ts', [RUN_SETUP]),
      { extends: true as const, test: { name: 'other', include: ['tests/**/*.test.ts'], globalSetup: [RUN_SETUP], exclude: ['tests/data/**', 'tests/http/**', 'tests/bench/**', 'node_modules/**'] } },
    ],
  },
});
