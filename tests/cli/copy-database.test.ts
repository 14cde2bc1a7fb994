import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoData } from '../../db/seed/index.ts';
import { createDatabase } from '~/server/db/connection.ts';
import { migrateToLatest } from '~/server/db/migrate.ts';
import type { Database } from '~/server/db/schema.ts';
import { createPostgresTestDatabase, postgresAvailableFor, temporaryDirectory } from '../helpers/database.ts';
import { signIn } from '../helpers/http.ts';
import { DEMO_PASSWORD, startServer } from '../helpers/server.ts';

const dir = temporaryDirectory('qala-copy-');
const demoFile = join(dir.path, 'demo.db');

/** Runs the built CLI the way an operator would. */
function qala(args: string[]) {
  const result = spawnSync(process.execPath, [join(process.cwd(), 'dist', 'qala.mjs'), ...args], {
    input: '',
    env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'warn' },
    encoding: 'utf8',
  });
  return { code: result.status, out: result.stdout, err: result.stderr };
}

/** The table the command prints: table name → [source rows, target rows]. */
function printedCounts(output: string): Map<string, [number, number]> {
  const counts = new Map<string, [number, number]>();
  for (const match of output.matchAll(/^ {2}([a-z_]+) +(\d+) +(\d+)$/gm)) counts.set(match[1]!, [Number(match[2]), Number(match[3])]);
  return counts;
}

/** Each named table's row count in the database at `location` (a file path or a postgres:// URL). */
async function countsIn(location: string, tables: string[]): Promise<Map<string, number>> {
  const db: Kysely<Database> = createDatabase(location);
  try {
    const counts = new Map<string, number>();
    for (const table of tables) {
      const { rows } = await sql<{ n: number }>`select count(*) as n from ${sql.table(table)}`.execute(db);
      counts.set(table, Number(rows[0]!.n));
    }
    return counts;
  } finally {
    await db.destroy();
  }
}

beforeAll(async () => {
  const db = createDatabase(demoFile);
  await migrateToLatest(db);
  await seedDemoData(db);
  await db.destroy();
});

afterAll(() => dir.remove());

describe('copy-database refuses what it cannot copy, and says why', () => {
  it('a bad --to or --from exits 2 naming the flag, with no stack trace and no password', () => {
    const badTo = qala(['copy-database', '--from', `file:${demoFile}`, '--to', 'mysql://root:hunter2@localhost/qala']);
    expect(badTo.code).toBe(2);
    expect(badTo.err).toContain('--to:');
    expect(badTo.err).not.toContain('hunter2');
    expect(badTo.err).not.toMatch(/\n\s+at /);
    const noHost = qala(['copy-database', '--from', `file:${demoFile}`, '--to', 'postgres:///qala']);
    expect(noHost.code).toBe(2);
    expect(noHost.err).toContain('--to: needs a host');
    const missingFile = qala(['copy-database', '--from', `file:${join(dir.path, 'absent.db')}`, '--to', `file:${join(dir.path, 'x.db')}`]);
    expect(missingFile.code).toBe(2);
    expect(missingFile.err).toContain('--from: there is no database file');
    const missingFlag = qala(['copy-database', '--from', `file:${demoFile}`]);
    expect(missingFlag.code).toBe(2);
    expect(missingFlag.err).toContain('--to');
  });

  it('an unreachable server exits 2 naming the flag, without the password', () => {
    const result = qala(['copy-database', '--from', `file:${demoFile}`, '--to', 'postgres://qala:hunter2@127.0.0.1:1/qala']);
    expect(result.code).toBe(2);
    expect(result.err).toContain('--to: cannot open the database at postgres://qala:***@127.0.0.1:1/qala');
    expect(result.err).not.toContain('hunter2');
  });

  it('a source not migrated as far as this Qala is refused, and no target is created', async () => {
    const behind = join(dir.path, 'behind.db');
    const db = createDatabase(behind);
    await migrateToLatest(db);
    await db.deleteFrom('kysely_migration' as never).where('name' as never, '=', '0007_member_cases' as never).execute();
    await db.destroy();
    const target = join(dir.path, 'never.db');
    const result = qala(['copy-database', '--from', `file:${behind}`, '--to', `file:${target}`]);
    expect(result.code).toBe(2);
    expect(result.err).toContain('0007_member_cases');
    expect(result.err).toContain('migrate');
    expect(existsSync(target)).toBe(false);
  });

  it('copies into a new SQLite file too, with the counts printed', () => {
    const result = qala(['copy-database', '--from', `file:${demoFile}`, '--to', `file:${join(dir.path, 'copy.db')}`]);
    expect(result.err).toBe('');
    expect(result.code).toBe(0);
    expect(printedCounts(result.out).get('towns')).toEqual([27, 27]);
  });
});

const postgres = await postgresAvailableFor('copy-database');

describe.skipIf(!postgres)('moving a SQLite association to PostgreSQL with copy-database', () => {
  let target: Awaited<ReturnType<typeof createPostgresTestDatabase>>;
  let first: ReturnType<typeof qala>;

  beforeAll(async () => {
    target = await createPostgresTestDatabase();
    first = qala(['copy-database', '--from', `file:${demoFile}`, '--to', target.url]);
  });

  afterAll(async () => {
    await target?.drop();
  });

  it('migrates the empty target, copies every table and prints counts that match both databases', async () => {
    expect(first.err).toBe('');
    expect(first.code).toBe(0);
    const printed = printedCounts(first.out);
    printed.delete('total');
    for (const table of ['towns', 'users', 'help_requests', 'help_responses', 'group_threads', 'member_cases', 'indicator_values']) {
      expect(printed.get(table)?.[0], table).toBeGreaterThan(0);
    }
    const tables = [...printed.keys()];
    const inSource = await countsIn(demoFile, tables);
    const inTarget = await countsIn(target.url, tables);
    for (const [table, [source, copied]] of printed) {
      expect([source, copied], table).toEqual([inSource.get(table), inSource.get(table)]);
      expect(inTarget.get(table), table).toBe(source);
    }
    expect(first.out).toMatch(/Skipped \(search indexes the target builds itself\): help_requests_search/);
  });

  it('the built server on the copy signs a demo member in and shows a copied request', async () => {
    const source = createDatabase(demoFile);
    const request = await source
      .selectFrom('help_requests')
      .select(['id', 'title'])
      .where('status', '!=', 'draft')
      .orderBy('id')
      .executeTakeFirstOrThrow()
      .finally(() => source.destroy());
    const server = await startServer({ databaseUrl: target.url, env: { DEMO_DATA: 'false' } });
    try {
      const cookie = await signIn(server.url, 'ridder@example.org', DEMO_PASSWORD);
      const page = await fetch(`${server.url}/en/exchange/${request.id}/`, { headers: { Cookie: cookie } });
      expect(page.status).toBe(200);
      expect(await page.text()).toContain(request.title.replace(/&/g, '&amp;').replace(/</g, '&lt;'));
    } finally {
      await server.stop();
    }
  });

  it('a second copy into the now non-empty target fails loudly and changes nothing', async () => {
    const tables = [...printedCounts(first.out).keys()].filter((table) => table !== 'total');
    const before = await countsIn(target.url, tables);
    const again = qala(['copy-database', '--from', `file:${demoFile}`, '--to', target.url]);
    expect(again.code).toBe(1);
    expect(again.err).toContain('--to: the target is not empty');
    expect(again.err).toContain('nothing was copied');
    expect(again.out).not.toContain('Copied');
    expect(await countsIn(target.url, tables)).toEqual(before);
  });
});
