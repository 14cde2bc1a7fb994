import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { migrations } from '../../db/migrations/index.ts';
import { createDatabase } from '~/server/db/connection.ts';
import { migrateDown, migrateToLatest } from '~/server/db/migrate.ts';
import { createEmptyTestDatabase, testEngine } from '../helpers/database.ts';

const cleanups: Array<() => void | Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

async function emptyDatabase() {
  const { db, cleanup } = await createEmptyTestDatabase();
  cleanups.push(cleanup);
  return db;
}

type Db = Awaited<ReturnType<typeof emptyDatabase>>;

async function tableNames(db: Db): Promise<string[]> {
  const rows =
    testEngine() === 'postgres'
      ? await sql<{ name: string }>`select table_name as name from information_schema.tables where table_schema = 'public' and table_name not like 'kysely_%' order by table_name`.execute(db)
      : await sql<{ name: string }>`select name from sqlite_master where type = 'table' and name not like 'sqlite_%' and name not like 'kysely_%' order by name`.execute(db);
  return rows.rows.map((row) => row.name);
}

// SQLite's FTS5 search is a virtual table with four shadow tables; PostgreSQL searches
// through an index on help_requests instead (migration 0004).
// help_requests_search_terms: the FTS5 index's vocabulary (an fts5vocab table, 0029).
const SEARCH_TABLES = ['help_requests_search', 'help_requests_search_config', 'help_requests_search_data', 'help_requests_search_docsize', 'help_requests_search_idx', 'help_requests_search_terms'];

describe('migrations', () => {
  it('build the whole schema on an empty database', async () => {
    const db = await emptyDatabase();
    const applied = await migrateToLatest(db);
    expect(applied).toEqual(Object.keys(migrations));
    const expected = [
      'audit_log',
      'changes',
      'dialogue_events',
      'dialogue_follows',
      'dialogue_posts',
      'dialogue_topic_partners',
      'dialogue_topic_towns',
      'dialogue_topics',
      'editorial_files',
      'editorial_history',
      'editorial_items',
      'editorial_published',
      'editorial_published_files',
      'editorial_revisions',
      'editorial_texts',
      'email_attempts',
      'email_outbox',
      'file_blobs',
      'files',
      'group_documents',
      'group_join_requests',
      'group_meeting_answers',
      'group_meetings',
      'group_members',
      'group_replies',
      'group_resources',
      'group_thread_follows',
      'group_thread_reads',
      'group_threads',
      'group_visits',
      'groups',
      'help_match_index',
      'help_request_events',
      'help_request_invitations',
      'help_request_suggestions',
      'help_request_topics',
      'help_requests',
      'help_requests_search',
      'help_requests_search_config',
      'help_requests_search_data',
      'help_requests_search_docsize',
      'help_requests_search_idx',
      'help_requests_search_terms',
      'help_responses',
      'indicator_value_history',
      'indicator_values',
      'member_case_events',
      'member_cases',
      'membership_applications',
      'notification_preferences',
      'notifications',
      'page_feedback',
      'partners',
      'position_comments',
      'position_stances',
      'position_versions',
      'positions',
      'rate_limits',
      'scheduled_jobs',
      'search_documents',
      'search_entries',
      'search_index',
      'search_index_config',
      'search_index_content',
      'search_index_data',
      'search_index_docsize',
      'search_index_idx',
      'search_resync_progress',
      'search_spellings',
      'search_syncs',
      'search_vectors',
      'search_words',
      'sessions',
      'tokens',
      'topic_watches',
      'town_profile_changes',
      'towns',
      'users',
    ];
    // Search's own index (0019) is an FTS5 table on SQLite, a tsvector table on PostgreSQL.
    const sqliteOnly = (table: string) => SEARCH_TABLES.includes(table) || table === 'search_entries' || table.startsWith('search_index');
    expect(await tableNames(db)).toEqual(testEngine() === 'postgres' ? expected.filter((table) => !sqliteOnly(table)) : expected.filter((table) => table !== 'search_vectors'));
  });

  it('apply nothing the second time', async () => {
    const db = await emptyDatabase();
    await migrateToLatest(db);
    expect(await migrateToLatest(db)).toEqual([]);
  });

  it('can be reverted and applied again', async () => {
    const db = await emptyDatabase();
    await migrateToLatest(db);
    for (let step = 0; step < Object.keys(migrations).length; step++) await migrateDown(db);
    expect(await tableNames(db)).toEqual([]);
    await migrateToLatest(db);
    expect(await tableNames(db)).toContain('users');
  });

  it('list every migration file in db/migrations/index.ts, in file order', () => {
    const files = readdirSync(join(process.cwd(), 'db', 'migrations'))
      .filter((file) => /^\d{4}_.+\.ts$/.test(file))
      .map((file) => file.replace(/\.ts$/, ''))
      .sort();
    expect(Object.keys(migrations)).toEqual(files);
  });

  // Pragmas are SQLite's own; PostgreSQL has foreign keys always and no journal to set.
  it.skipIf(testEngine() === 'postgres')('open the database with WAL, foreign keys, a short busy timeout and synchronous=NORMAL', async () => {
    const db = await emptyDatabase();
    const pragma = async (name: string) => Object.values((await sql.raw(`pragma ${name}`).execute(db)).rows[0] as object)[0];
    expect(await pragma('journal_mode')).toBe('wal');
    expect(await pragma('foreign_keys')).toBe(1);
    // SQLite's own wait blocks the process: a few milliseconds only, the driver waits
    // the rest without blocking (tests/http/database-lock.test.ts).
    expect(Number(await pragma('busy_timeout'))).toBeGreaterThan(0);
    expect(Number(await pragma('busy_timeout'))).toBeLessThanOrEqual(10);
    expect(await pragma('synchronous')).toBe(1);
  });

  // SQLite gives kysely no migration lock; Qala's adapter makes its lock row one
  // (src/server/db/migration-lock.ts), so instances starting together migrate once.
  it.skipIf(testEngine() === 'postgres')('two handles on one new SQLite file migrate together: one applies, the other waits and finds nothing left', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'qala-migrate-'));
    const location = { engine: 'sqlite' as const, path: join(dir, 'qala.db') };
    const [first, second] = [createDatabase(location), createDatabase(location)];
    try {
      const applied = await Promise.all([migrateToLatest(first), migrateToLatest(second)]);
      expect(applied.map((names) => names.length).sort((a, b) => a - b)).toEqual([0, Object.keys(migrations).length]);
      expect(await migrateToLatest(first)).toEqual([]);
    } finally {
      await Promise.all([first.destroy(), second.destroy()]);
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('enforce roles and the town reference in the schema itself', async () => {
    const db = await emptyDatabase();
    await migrateToLatest(db);
    const user = { id: 'u1', email: 'a@example.org', password_hash: 'x', display_name: 'A', language: 'en' as const, created_at: 1, updated_at: 1 };
    await expect(db.insertInto('users').values({ ...user, role: 'superuser' as never, town_id: null }).execute()).rejects.toThrow(/CHECK/i);
    await expect(db.insertInto('users').values({ ...user, role: 'member', town_id: 999 }).execute()).rejects.toThrow(/FOREIGN KEY/i);
  });
});
