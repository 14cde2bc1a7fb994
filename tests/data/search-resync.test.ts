import type { Kysely } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { insertUser } from '~/server/accounts/users.ts';
import { createDatabase } from '~/server/db/connection.ts';
import type { Database } from '~/server/db/schema.ts';
import { beginResync, indexingProgress, resyncStep, resyncUntilDone } from '~/server/search/resync.ts';
import { saveSearchDocuments } from '~/server/search/documents.ts';
import { search } from '~/server/search/query.ts';
import { syncThread, threadsSource } from '~/server/search/sources/groups.ts';
import { DATABASE_SOURCES } from '~/server/search/sources/index.ts';
import { inTransaction } from '~/server/search/sources/text.ts';
import { createTestDatabase } from '../helpers/database.ts';

/**
 * Search's full pass over the database in the background (src/server/search/resync.ts),
 * on SQLite and PostgreSQL: a page per short transaction, resumed where it stopped, done
 * once by processes stepping together, and never writing older data over a member's
 * change made while it runs.
 */

const THREADS = 40;
let db: Kysely<Database>;
let path: string;
let cleanup: () => Promise<void>;
let groupId: number;
let threadIds: number[];

beforeEach(async () => {
  ({ db, path, cleanup } = await createTestDatabase());
  const town = await db.insertInto('towns').values({ slug: 'temirtau', name_kk: 'Теміртау', name_ru: 'Темиртау', name_en: 'Temirtau', region: 'karaganda', population: 1, main_industry: null, founding_enterprise_kk: null, founding_enterprise_ru: null, founding_enterprise_en: null, economic_potential: null, created_at: 1, updated_at: 1 }).returning('id').executeTakeFirstOrThrow();
  const userId = await insertUser(db, { email: 'a@example.org', passwordHash: 'x', displayName: 'Aigerim', role: 'member', townId: town.id, language: 'ru' }, 1);
  groupId = (await db.insertInto('groups').values({ slug: 'heat', name_kk: 'Жылу', name_ru: 'Тепло', name_en: 'Heat', purpose_kk: '', purpose_ru: '', purpose_en: '', topics: '[]', type: 'forum', visibility: 'open', rhythm: 'monthly', description_public: 1, archived_at: null, created_by: null, created_at: 1, updated_at: 1 }).returning('id').executeTakeFirstOrThrow()).id;
  // Written straight into the tables, as a database from before search holds them: no documents yet.
  const threads = Array.from({ length: THREADS }, (_, n) => ({ group_id: groupId, author_id: userId, title: `Boiler house ${n}`, body: `Replacing the boilers, variant ${n}`, pinned: 0 as const, locked: 0 as const, hidden_at: null, hidden_by: null, hidden_reason: null, created_at: 1, last_activity_at: 1 }));
  threadIds = (await db.insertInto('group_threads').values(threads).returning('id').execute()).map((row) => row.id);
  await db.insertInto('group_replies').values(threadIds.map((id) => ({ thread_id: id, author_id: userId, body: `Insulation of pipes for thread ${id}`, hidden_at: null, hidden_by: null, hidden_reason: null, created_at: 1 }))).execute();
});

afterEach(async () => {
  await cleanup();
});

/** Documents the database's things stand behind: 3 per town and group, one per thread, reply and profile. */
const EXPECTED = 3 + 3 + THREADS + THREADS + 1;

const documentCount = async () => Number((await db.selectFrom('search_documents').select((eb) => eb.fn.countAll<number>().as('n')).where('source', 'not in', ['content', 'indicators']).executeTakeFirstOrThrow()).n);
const titleOf = async (threadId: number) => (await db.selectFrom('search_documents').select('title').where('key', 'like', `threads:${threadId}:%`).executeTakeFirst())?.title;
const sum = (counts: Record<string, number>) => Object.values(counts).reduce((total, count) => total + count, 0);
const reader = { audiences: ['public' as const, 'signed_in' as const, 'members' as const], everyGroup: true };

/** Steps until the pass has started on `source` (at least one of its pages written). */
async function stepInto(source: string, limit: number): Promise<number> {
  let written = 0;
  for (;;) {
    const step = await resyncStep(db, limit);
    if (!step) throw new Error(`the pass ended before ${source}`);
    written += step.written;
    if (step.source === source) return written;
  }
}

describe('the background pass over the database', () => {
  it('goes a page at a time, says how far it is, and ends with everything findable', async () => {
    expect(await indexingProgress(db)).toBe(0);
    expect((await search(db, { text: 'boiler', reader, page: 1 })).total).toBe(0);
    expect(await beginResync(db)).toBe(true);
    const written = await stepInto('replies', 10);
    const progress = await indexingProgress(db);
    expect(progress).toBeGreaterThan(0);
    expect(progress).toBeLessThan(100);
    // Part of the threads are findable already.
    const partial = (await search(db, { text: 'boiler', reader, page: 1 })).total;
    expect(partial).toBeGreaterThan(0);
    expect(written + sum(await resyncUntilDone(db, { limit: 10 }))).toBe(EXPECTED);
    expect(await indexingProgress(db)).toBeNull();
    // Each thread, and its reply (titled after it).
    expect((await search(db, { text: 'boiler', reader, page: 1 })).total).toBe(2 * THREADS);
    // The vocabulary the pass learnt page by page (each word offered once) forgives typos everywhere.
    expect((await search(db, { text: 'boilre', reader, page: 1 })).total).toBe(2 * THREADS);
    expect((await search(db, { text: 'insulaton', reader, page: 1 })).total).toBe(THREADS);
    expect(await db.selectFrom('search_resync_progress').selectAll().execute()).toEqual([]);
    // Current now: the next start finds nothing to do.
    expect(await beginResync(db)).toBe(false);
    expect(await resyncUntilDone(db)).toEqual({});
  });

  it('resumes where it stopped: a new process does not write again the pages done before', async () => {
    await beginResync(db);
    const before = await stepInto('threads', 7);
    const cursor = (await db.selectFrom('search_resync_progress').select('cursor').where('source', '=', 'threads').executeTakeFirstOrThrow()).cursor;
    expect(cursor).toBe(String(threadIds[6]));
    // "Restart": another handle on the same database, as a new process would open.
    const restarted = createDatabase(path);
    try {
      const after = await resyncUntilDone(restarted, { limit: 7 });
      expect(after.towns).toBeUndefined();
      expect(before + sum(after)).toBe(EXPECTED);
    } finally {
      await restarted.destroy();
    }
    expect(await documentCount()).toBe(EXPECTED);
  });

  it('is done once when two processes run it together', async () => {
    const other = createDatabase(path);
    try {
      const [first, second] = await Promise.all([resyncUntilDone(db, { limit: 5 }), resyncUntilDone(other, { limit: 5 })]);
      // Every page was written by one of them: together, each document once.
      expect(sum(first) + sum(second)).toBe(EXPECTED);
    } finally {
      await other.destroy();
    }
    expect(await documentCount()).toBe(EXPECTED);
    expect(await indexingProgress(db)).toBeNull();
  });

  it('keeps what members write while it runs, and sweeps what nothing stands behind', async () => {
    await db.insertInto('search_documents').values({ key: 'threads:999999:en', source: 'threads', section: 'threads', lang: 'en', path: '/groups/heat/threads/999999/', title: 'Ghost', summary: '', body: '', topics: '', audience: `group:${groupId}`, published_at: null, updated_at: 1 }).execute();
    // Written the very second the pass begins, under a key the thread no longer makes (its text is English now).
    const stale = threadIds[5]!;
    await saveSearchDocuments(db, [{ key: `threads:${stale}:kk`, source: 'threads', section: 'threads', lang: 'kk', path: '/groups/heat/', title: 'Stale', audience: `group:${groupId}` }]);
    await beginResync(db);
    await stepInto('threads', 10);
    // A member renames a thread the pass has written, and one it has not reached; an editor hides a third.
    const [early, late, hidden] = [threadIds[2]!, threadIds[30]!, threadIds[35]!];
    await inTransaction(db, async (trx) => {
      await trx.updateTable('group_threads').set({ title: 'Renamed after the pass read it' }).where('id', '=', early).execute();
      await syncThread(trx, early);
    });
    await inTransaction(db, async (trx) => {
      await trx.updateTable('group_threads').set({ title: 'Renamed before the pass reached it' }).where('id', '=', late).execute();
      await syncThread(trx, late);
    });
    await inTransaction(db, async (trx) => {
      await trx.updateTable('group_threads').set({ hidden_at: 1, hidden_reason: 'spam' }).where('id', '=', hidden).execute();
      await syncThread(trx, hidden);
    });
    await resyncUntilDone(db, { limit: 10 });
    expect(await titleOf(early)).toBe('Renamed after the pass read it');
    expect(await titleOf(late)).toBe('Renamed before the pass reached it');
    expect(await titleOf(hidden)).toBeUndefined();
    expect(await titleOf(999999)).toBeUndefined();
    expect(await db.selectFrom('search_documents').select('key').where('key', '=', `threads:${stale}:kk`).execute()).toEqual([]);
    // The hidden thread and its reply are gone from the index as well.
    expect(await documentCount()).toBe(EXPECTED - 2);
    expect((await search(db, { text: 'renamed', reader, page: 1 })).total).toBe(4);
  });

  it('never writes what a page read over a member’s change committed before the page wrote', async () => {
    await beginResync(db);
    await stepInto('threads', 10);
    const target = threadIds[15]!;
    // The next page of threads pauses between reading its threads and writing their
    // documents; meanwhile a member renames one of them on another connection. The member's
    // write waits for the page (write transactions take turns on both engines),
    // so it lands after the page and wins.
    const member = createDatabase(path);
    const page = threadsSource.page;
    let renamed: Promise<void> | undefined;
    threadsSource.page = async (trx, cursor, limit) => {
      const read = await page(trx, cursor, limit);
      renamed = inTransaction(member, async (trx) => {
        await trx.updateTable('group_threads').set({ title: 'Renamed while the page was writing' }).where('id', '=', target).execute();
        await syncThread(trx, target);
      });
      // Long enough for the member's write to commit, were it not held back (well under SQLite's lock wait).
      await Promise.race([renamed, new Promise((resolve) => setTimeout(resolve, 2_000))]);
      return read;
    };
    try {
      const step = await resyncStep(db, 10);
      expect(step?.source).toBe('threads');
      await renamed;
    } finally {
      threadsSource.page = page;
      await member.destroy();
    }
    expect(await titleOf(target)).toBe('Renamed while the page was writing');
    await resyncUntilDone(db, { limit: 10 });
    expect(await titleOf(target)).toBe('Renamed while the page was writing');
  });

  it('names every database source once, each with the document sources it sweeps', () => {
    const swept = Object.values(DATABASE_SOURCES).flatMap((source) => source.documentSources);
    expect(new Set(swept).size).toBe(swept.length);
    expect(swept.sort()).toEqual(['dialogue', 'groups', 'indicator-values', 'meetings', 'member-cases', 'members', 'positions', 'replies', 'requests', 'responses', 'threads', 'towns']);
  });
});
