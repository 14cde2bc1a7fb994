import { Migrator, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrations } from '../../db/migrations/index.ts';
import { seedDemoData } from '../../db/seed/index.ts';
import type { CurrentUser } from '~/server/auth/lucia.ts';
import { migrateToLatest } from '~/server/db/migrate.ts';
import type { Database } from '~/server/db/schema.ts';
import { createRequest, updateRequest, type RequestInput } from '~/server/exchange/requests.ts';
import { listRequests } from '~/server/exchange/request-list.ts';
import { follow, markReadAfterView, markReadOnView, threadMarks } from '~/server/groups/following.ts';
import { createThread, findThread, postReply } from '~/server/groups/threads.ts';
import { saveTownProfile } from '~/server/towns/profile.ts';
import { recordChange } from '~/server/cache/changes.ts';
import { findTownBySlug, listTowns, townChoices, townIdsBySlug, townNames, townsInOrder } from '~/server/towns/towns.ts';
import { textOrder } from '~/lib/format.ts';
import { createEmptyTestDatabase, createTestDatabase } from '../helpers/database.ts';
import { renamedTownInput } from '../helpers/fixtures.ts';

/** What issue 14 changed for speed, on a real database (SQLite and PostgreSQL). */
let db: Kysely<Database>;
let cleanup: () => Promise<void>;
const NOW = 1_800_000_000;

beforeAll(async () => {
  ({ db, cleanup } = await createTestDatabase());
  await seedDemoData(db, NOW);
});
afterAll(() => cleanup());

async function account(email: string): Promise<CurrentUser> {
  const row = await db.selectFrom('users').leftJoin('towns', 'towns.id', 'users.town_id').select(['users.id', 'users.email', 'users.display_name', 'users.role', 'users.language', 'towns.id as town_id', 'towns.slug']).where('users.email', '=', email).executeTakeFirstOrThrow();
  return { id: row.id, email: row.email, displayName: row.display_name, role: row.role, language: row.language, disabled: false, town: row.town_id ? { id: row.town_id, slug: row.slug!, name: { kk: '', ru: '', en: '' } } : null };
}

const request = (overrides: Partial<RequestInput> = {}): RequestInput => ({
  title: 'District heating network renewal',
  body: 'Our **network** is 60 years old. See [the report](https://example.org/r) & <script>alert(1)</script>the plan.',
  helpForms: ['advice'],
  topics: ['utilities-housing'],
  languages: ['ru'],
  urgency: 'normal',
  deadline: null,
  ...overrides,
});

describe('a request’s excerpt is stored when it is written', () => {
  it('is plain text on create and follows an edit; the list reads it', async () => {
    const admin = await account('temirtau-admin@example.org');
    const id = await createRequest(db, { townId: admin.town!.id, authorId: admin.id, input: request(), publish: true }, NOW);
    const stored = async () => (await db.selectFrom('help_requests').select('excerpt').where('id', '=', id).executeTakeFirstOrThrow()).excerpt;
    expect(await stored()).toBe('Our network is 60 years old. See the report & the plan.');

    await updateRequest(db, id, { actorId: admin.id, input: request({ body: `# Changed\n\n${'word '.repeat(100)}` }), publish: true }, NOW + 10);
    const excerpt = await stored();
    expect(excerpt.startsWith('Changed word word')).toBe(true);
    expect(excerpt.length).toBeLessThanOrEqual(220);
    expect(excerpt.endsWith('…')).toBe(true);

    const { items } = await listRequests(db, { id: admin.id, townId: admin.town!.id }, {});
    expect(items.find((item) => item.id === id)?.excerpt).toBe(excerpt);
  });

  it('is filled in by migration 0015 for requests written before it', async () => {
    const empty = await createEmptyTestDatabase();
    try {
      const migrator = new Migrator({ db: empty.db, provider: { getMigrations: async () => migrations } });
      const before = await migrator.migrateTo('0014_search_documents');
      expect(before.error).toBeUndefined();
      const old = empty.db as Kysely<any>;
      const town = await old.insertInto('towns').values({ slug: 'old-town', name_kk: 'Ескі', name_ru: 'Старый', name_en: 'Old', region: 'karaganda', created_at: 1, updated_at: 1 }).returning('id').executeTakeFirstOrThrow();
      await old.insertInto('users').values({ id: 'old-author-0000000001', email: 'old@example.org', password_hash: 'x', display_name: 'Old', role: 'member', town_id: town.id, language: 'ru', created_at: 1, updated_at: 1 }).execute();
      const bodies = ['**Bold** and _emphasis_', '', `${'long '.repeat(80)}end`];
      for (const [index, body] of bodies.entries()) {
        await old
          .insertInto('help_requests')
          .values({ town_id: town.id, author_id: 'old-author-0000000001', title: `Old ${index}`, body, help_forms: '[]', topics: '[]', languages: '[]', urgency: 'normal', status: 'open', published_at: 1, created_at: 1, updated_at: 1 })
          .execute();
      }
      await migrateToLatest(empty.db);
      const rows = await empty.db.selectFrom('help_requests').select(['title', 'excerpt']).orderBy('id').execute();
      expect(rows.map((row) => row.excerpt.slice(0, 20))).toEqual(['Bold and emphasis', '', 'long long long long ']);
      expect(rows[2]!.excerpt.length).toBe(220);
    } finally {
      await empty.cleanup();
    }
  });
});

describe('member towns are kept in process', () => {
  it('shows a renamed town at once in this process (lists, names, options)', async () => {
    const admin = await account('temirtau-admin@example.org');
    // Read first, so the towns are kept.
    expect((await listTowns(db)).find((town) => town.slug === 'temirtau')?.name.en).toBe('Temirtau');
    expect((await townChoices(db, 'en')).find((choice) => choice.value === 'temirtau')?.label).toBe('Temirtau');
    const town = (await findTownBySlug(db, 'temirtau'))!;
    const input = renamedTownInput(town, 'Temirtau-on-Nura');
    expect(await saveTownProfile(db, { townId: town.id, editor: admin, input })).toMatchObject({ ok: true });
    expect((await listTowns(db)).find((town) => town.slug === 'temirtau')?.name.en).toBe('Temirtau-on-Nura');
    expect((await townNames(db)).find((town) => town.slug === 'temirtau')?.name.en).toBe('Temirtau-on-Nura');
    expect((await townChoices(db, 'en')).find((choice) => choice.value === 'temirtau')?.label).toBe('Temirtau-on-Nura');
  });

  it('reads towns again only once their change counter moved', async () => {
    const before = await listTowns(db);
    await (db as Kysely<any>).insertInto('towns').values({ slug: 'zz-new-town', name_kk: 'Жаңа', name_ru: 'Новый', name_en: 'New', region: 'karaganda', created_at: 1, updated_at: 1 }).execute();
    expect((await listTowns(db)).length).toBe(before.length);
    expect((await townIdsBySlug(db)).has('zz-new-town')).toBe(false);
    await recordChange(db, 'towns');
    expect((await listTowns(db)).length).toBe(before.length + 1);
    expect((await townIdsBySlug(db)).has('zz-new-town')).toBe(true);
    expect((await townChoices(db, 'ru')).some((choice) => choice.value === 'zz-new-town')).toBe(true);
  });

  it("keeps every town in each language's order, the same array until towns change", async () => {
    for (const lang of ['kk', 'ru', 'en'] as const) {
      const ordered = await townsInOrder(db, lang);
      const names = ordered.map((town) => town.name[lang]);
      expect(names).toEqual([...names].sort(textOrder(lang)));
      expect(ordered.length).toBe((await listTowns(db)).length);
      expect(await townsInOrder(db, lang)).toBe(ordered);
      expect((await townChoices(db, lang)).map((choice) => choice.value)).toEqual(ordered.map((town) => town.slug));
    }
    const before = await townsInOrder(db, 'en');
    await recordChange(db, 'towns');
    expect(await townsInOrder(db, 'en')).not.toBe(before);
  });

  it('gives each caller its own array, so sorting one does not reorder another’s', async () => {
    const first = await listTowns(db);
    first.reverse();
    expect((await listTowns(db))[0]!.slug).not.toBe(first[0]!.slug);
  });
});

describe('reading a thread', () => {
  it('writes the read mark only when the thread has activity the member has not read', async () => {
    const member = await account('temirtau-admin@example.org');
    const group = await db.selectFrom('groups').select('id').where('visibility', '=', 'open').orderBy('id').executeTakeFirstOrThrow();
    await db.insertInto('group_members').values({ group_id: group.id, user_id: member.id, role: 'member', joined_at: NOW }).onConflict((conflict) => conflict.doNothing()).execute();
    const threadId = await createThread(db, { groupId: group.id, authorId: (await account('editor@example.org')).id, title: 'Read me', body: 'Body' }, NOW);
    const thread = async () => (await findThread(db, group.id, threadId))!;
    const mark = async () => (await db.selectFrom('group_thread_reads').select('read_at').where('thread_id', '=', threadId).where('user_id', '=', member.id).executeTakeFirst())?.read_at;

    expect(await markReadOnView(db, await thread(), member.id, NOW + 10)).toBe(true);
    expect(Number(await mark())).toBe(NOW + 10);
    // Nothing new: no write, the mark stays.
    expect(await markReadOnView(db, await thread(), member.id, NOW + 20)).toBe(false);
    expect(await markReadOnView(db, await thread(), member.id, NOW + 30)).toBe(false);
    expect(Number(await mark())).toBe(NOW + 10);
    // A reply after the mark: the next view moves it.
    const reply = await postReply(db, { groupId: group.id, threadId, authorId: (await account('editor@example.org')).id, body: 'New' }, NOW + 40);
    expect(reply.ok).toBe(true);
    expect(await markReadOnView(db, await thread(), member.id, NOW + 50)).toBe(true);
    expect(Number(await mark())).toBe(NOW + 50);
    expect(await markReadOnView(db, await thread(), member.id, NOW + 60)).toBe(false);

    // The thread page's way: the follow and the mark in one read, then the write only when new.
    expect(await threadMarks(db, threadId, member.id)).toEqual({ following: false, readAt: NOW + 50 });
    await follow(db, threadId, member.id, true);
    const marks = await threadMarks(db, threadId, member.id);
    expect(marks).toEqual({ following: true, readAt: NOW + 50 });
    expect(await markReadAfterView(db, await thread(), member.id, marks.readAt, NOW + 70)).toBe(false);
    await postReply(db, { groupId: group.id, threadId, authorId: (await account('editor@example.org')).id, body: 'Newer' }, NOW + 80);
    expect(await markReadAfterView(db, await thread(), member.id, marks.readAt, NOW + 90)).toBe(true);
    expect(Number(await mark())).toBe(NOW + 90);
    expect(await threadMarks(db, threadId, (await account('editor@example.org')).id)).toMatchObject({ readAt: expect.any(Number) });
    expect(await threadMarks(db, threadId, (await account('ridder@example.org')).id)).toEqual({ following: false, readAt: null });
  });
});
