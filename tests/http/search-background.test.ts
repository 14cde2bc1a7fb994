import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertUser } from '~/server/accounts/users.ts';
import { migrateToLatest } from '~/server/db/migrate.ts';
import { createServerDatabase } from '../helpers/database.ts';
import { withServerDatabase } from '../helpers/server-database.ts';
import { startServer, type RunningServer } from '../helpers/server.ts';
import { request } from './support.ts';

/**
 * The built server on a database whose things were never indexed (made before search,
 * or an upgrade changed the indexing code): it listens at once, the search page answers
 * and says, in the reader's language, that indexing is under way, and the background
 * pass makes the things findable without a restart. On SQLite and PostgreSQL.
 */

const THREADS = 2_000;
const REPLIES_PER_THREAD = 12;
let database: Awaited<ReturnType<typeof createServerDatabase>>;
let server: RunningServer | undefined;

beforeAll(async () => {
  database = await createServerDatabase();
  await withServerDatabase(database.url, async (db) => {
    await migrateToLatest(db);
    const town = await db.insertInto('towns').values({ slug: 'temirtau', name_kk: 'Теміртау', name_ru: 'Темиртау', name_en: 'Temirtau', region: 'karaganda', population: 1, main_industry: null, founding_enterprise_kk: null, founding_enterprise_ru: null, founding_enterprise_en: null, economic_potential: null, created_at: 1, updated_at: 1 }).returning('id').executeTakeFirstOrThrow();
    const userId = await insertUser(db, { email: 'a@example.org', passwordHash: 'x', displayName: 'Aigerim', role: 'member', townId: town.id, language: 'ru' }, 1);
    const group = await db.insertInto('groups').values({ slug: 'heat', name_kk: 'Жылу', name_ru: 'Тепло', name_en: 'Heat', purpose_kk: '', purpose_ru: '', purpose_en: '', topics: '[]', type: 'forum', visibility: 'open', rhythm: 'monthly', description_public: 1, archived_at: null, created_by: null, created_at: 1, updated_at: 1 }).returning('id').executeTakeFirstOrThrow();
    for (let start = 0; start < THREADS; start += 200) {
      const threads = Array.from({ length: 200 }, (_, n) => ({ group_id: group.id, author_id: userId, title: `Heating network ${start + n}`, body: 'Replacing **pipes** and insulation, metering.', pinned: 0 as const, locked: 0 as const, hidden_at: null, hidden_by: null, hidden_reason: null, created_at: 1, last_activity_at: 1 }));
      const ids = await db.insertInto('group_threads').values(threads).returning('id').execute();
      const replies = ids.flatMap(({ id }) => Array.from({ length: REPLIES_PER_THREAD }, (_, k) => ({ thread_id: id, author_id: userId, body: `Answer ${k}: we replaced the pipes in ${2010 + k}.`, hidden_at: null, hidden_by: null, hidden_reason: null, created_at: 1 })));
      for (let from = 0; from < replies.length; from += 500) await db.insertInto('group_replies').values(replies.slice(from, from + 500)).execute();
    }
    // The town's public profile is the document to find: the visitor's search sees it.
  });
  server = await startServer({ databaseUrl: database.url, env: { DEMO_DATA: 'false' } });
}, 120_000);

afterAll(async () => {
  await server?.stop();
  await database?.remove();
});

const INDEXING = { en: 'Search is still indexing', ru: 'Поиск ещё индексирует материалы', kk: 'Іздеу әлі индекстелуде' } as const;

describe('a server on a database not yet indexed', () => {
  it('answers at once, says search is still indexing in the reader’s language, and finds everything when the pass ends', async () => {
    const first = await request(server!.url, '/en/search/?q=temirtau');
    expect(first.status).toBe(200);
    const firstPage = await first.text();
    expect(firstPage).toContain(INDEXING.en);
    expect(firstPage).toMatch(/results may be incomplete \(\d{1,2}% done\)/);
    for (const lang of ['ru', 'kk'] as const) {
      const page = await (await request(server!.url, `/${lang}/search/`)).text();
      // Either still indexing (said in the reader's language), or done already.
      if (page.includes('role="status"')) expect(page).toContain(INDEXING[lang]);
    }
    let page = firstPage;
    const deadline = Date.now() + 240_000;
    while (page.includes(INDEXING.en) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      page = await (await request(server!.url, '/en/search/?q=temirtau')).text();
    }
    expect(page).not.toContain(INDEXING.en);
    expect(page).toContain('/en/towns/temirtau/');
    const progress = await withServerDatabase(database.url, (db) => db.selectFrom('search_resync_progress').selectAll().execute());
    expect(progress).toEqual([]);
    const replies = await withServerDatabase(database.url, async (db) => Number((await db.selectFrom('search_documents').select((eb) => eb.fn.countAll<number>().as('n')).where('source', '=', 'replies').executeTakeFirstOrThrow()).n));
    expect(replies).toBe(THREADS * REPLIES_PER_THREAD);
  }, 300_000);
});
