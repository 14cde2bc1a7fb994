import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase } from '~/server/db/connection.ts';
import { createPostgresTestDatabase, temporaryDirectory, testEngine } from '../helpers/database.ts';

const run = promisify(execFile);
const dir = temporaryDirectory('qala-writers-');
// Bundled inside the project so its imports resolve to the project's node_modules.
const writer = join(process.cwd(), 'node_modules', '.cache', 'qala-tests', 'counter-writer.mjs');
const ROUNDS = 60;

beforeAll(async () => {
  // The writer runs in its own Node processes, so it is bundled from TypeScript first.
  await build({ entryPoints: ['tests/fixtures/counter-writer.ts'], outfile: writer, bundle: true, platform: 'node', format: 'esm', packages: 'external', logLevel: 'error' });
});
afterAll(() => dir.remove());

async function raceTwoWriters(mode: 'immediate' | 'plain') {
  const path = join(dir.path, `${mode}.db`);
  const db = createDatabase(path);
  await sql`create table counter (id integer primary key, value integer not null)`.execute(db);
  await sql`insert into counter values (1, 0), (2, 0)`.execute(db); // 1: the counter; 2: writers ready
  const results = await Promise.all([1, 2].map(() => run(process.execPath, [writer, path, mode, String(ROUNDS)])));
  const failures = results.reduce((sum, { stdout }) => sum + (JSON.parse(stdout) as { failures: number }).failures, 0);
  const counter = (await sql<{ value: number }>`select value from counter where id = 1`.execute(db)).rows[0]!.value;
  await db.destroy();
  return { failures, counter };
}

// SQLite's locking between processes; the PostgreSQL run checks its own guarantee below.
describe.skipIf(testEngine() === 'postgres')('write transactions', () => {
  it('from two processes at once all succeed and lose no update (BEGIN IMMEDIATE)', async () => {
    expect(await raceTwoWriters('immediate')).toEqual({ failures: 0, counter: 2 * ROUNDS });
  });

  it('would fail with kysely’s plain BEGIN (the control for the test above)', async () => {
    const { failures, counter } = await raceTwoWriters('plain');
    expect(failures).toBeGreaterThan(0);
    expect(counter).toBe(2 * ROUNDS - failures);
  });
});

describe.skipIf(testEngine() !== 'postgres')('write transactions on PostgreSQL', () => {
  it('from two connection pools at once lose no read-then-write update (the advisory write lock)', async () => {
    const database = await createPostgresTestDatabase();
    const [first, second] = [createDatabase(database.url), createDatabase(database.url)];
    try {
      await sql`create table counter (id integer primary key, value integer not null)`.execute(first);
      await sql`insert into counter values (1, 0)`.execute(first);
      const writer = async (db: typeof first) => {
        for (let round = 0; round < ROUNDS; round++) {
          await db.transaction().execute(async (trx) => {
            const { value } = (await sql<{ value: number }>`select value from counter where id = 1`.execute(trx)).rows[0]!;
            await sql`update counter set value = ${value + 1} where id = 1`.execute(trx);
          });
        }
      };
      await Promise.all([writer(first), writer(first), writer(second), writer(second)]);
      expect((await sql<{ value: number }>`select value from counter where id = 1`.execute(first)).rows[0]!.value).toBe(4 * ROUNDS);
    } finally {
      await first.destroy();
      await second.destroy();
      await database.drop();
    }
  });
});
