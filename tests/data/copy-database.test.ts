import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoData } from '../../db/seed/index.ts';
import { copyDatabase, CopyMismatchError, type CopyReport } from '~/server/db/copy.ts';
import { listRequests } from '~/server/exchange/request-list.ts';
import type { Database } from '~/server/db/schema.ts';
import { createTestDatabase, testEngine } from '../helpers/database.ts';

type TestDatabase = Awaited<ReturnType<typeof createTestDatabase>>;

let source: TestDatabase;
let target: TestDatabase;
let report: CopyReport;

beforeAll(async () => {
  source = await createTestDatabase();
  target = await createTestDatabase();
  await seedDemoData(source.db);
  report = await copyDatabase(source.db, target.db);
});

afterAll(async () => {
  await source?.cleanup();
  await target?.cleanup();
});

/** Every row of a table in a stable order, for comparing two databases. */
const rowsOf = (db: Kysely<Database>, table: string) =>
  sql<Record<string, unknown>>`select * from ${sql.table(table)}`.execute(db).then(({ rows }) =>
    rows.map((row) => JSON.stringify(row, (_key, value: unknown) => (typeof value === 'boolean' ? Number(value) : value))).sort(),
  );

describe('moving an association to another database', () => {
  it('copies every table with the same number of rows, the demo data included', () => {
    const byTable = new Map(report.tables.map((row) => [row.table, row]));
    for (const table of ['towns', 'users', 'help_requests', 'help_responses', 'groups', 'group_threads', 'member_cases', 'indicator_values']) {
      expect(byTable.get(table)?.sourceRows, table).toBeGreaterThan(0);
    }
    for (const row of report.tables) expect(row.targetRows, row.table).toBe(row.sourceRows);
  });

  it('copies rows exactly, ids and member text included', async () => {
    for (const table of ['users', 'towns', 'help_requests', 'help_responses', 'group_replies', 'member_cases', 'notifications']) {
      expect(await rowsOf(target.db, table), table).toEqual(await rowsOf(source.db, table));
    }
  });

  it('the target finds requests by their words: its own search index is built from the copied rows', async () => {
    const request = await source.db.selectFrom('help_requests').select(['id', 'title', 'town_id']).orderBy('id').executeTakeFirstOrThrow();
    const word = request.title.split(/\s+/).find((part) => part.length > 5)!;
    const viewer = { id: 'nobody', townId: request.town_id };
    const found = (await listRequests(target.db, viewer, { query: word })).items.map((item) => item.id);
    expect(found).toContain(request.id);
  });

  it('leaves the target ready for new rows: the next id follows the copied ones', async () => {
    const before = await target.db.selectFrom('towns').select((eb) => eb.fn.max('id').as('id')).executeTakeFirstOrThrow();
    const now = Math.floor(Date.now() / 1000);
    const inserted = await target.db
      .insertInto('towns')
      .values({ slug: 'new-town', name_kk: 'Жаңа', name_ru: 'Новый', name_en: 'New', region: 'abai', created_at: now, updated_at: now } as never)
      .returning('id')
      .executeTakeFirstOrThrow();
    expect(inserted.id).toBeGreaterThan(Number(before.id));
  });

  it('names the search index it leaves to the target, and reports progress table by table', async () => {
    if (testEngine() === 'sqlite') expect(report.skipped).toContain('help_requests_search');
    const other = await createTestDatabase();
    try {
      const last = new Map<string, { copiedRows: number; totalRows: number }>();
      await copyDatabase(source.db, other.db, { onProgress: ({ table, ...progress }) => last.set(table, progress) });
      const indicators = report.tables.find((row) => row.table === 'indicator_values')!;
      expect(last.get('indicator_values')).toEqual({ copiedRows: indicators.sourceRows, totalRows: indicators.sourceRows });
    } finally {
      await other.cleanup();
    }
  });

  it('refuses a target that already holds data, and writes nothing', async () => {
    const other = await createTestDatabase();
    try {
      await seedDemoData(other.db);
      const users = await rowsOf(other.db, 'users');
      await expect(copyDatabase(source.db, other.db)).rejects.toThrow(CopyMismatchError);
      expect(await rowsOf(other.db, 'users')).toEqual(users);
    } finally {
      await other.cleanup();
    }
  });
});
