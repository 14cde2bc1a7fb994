import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { seedDemoData } from '../../db/seed/index.ts';
import type { CurrentUser } from '~/server/auth/lucia.ts';
import { disableAccount, setDisabled } from '~/server/accounts/administration.ts';
import type { Auth } from '~/server/auth/lucia.ts';
import { changeSerials, forOneView, keptPerKeyUntilChanged, keptUntilChanged, readsFreshFromNow, recordChange, sharedSerials, SHARED_READ_MS } from '~/server/cache/changes.ts';
import { migrateToLatest } from '~/server/db/migrate.ts';
import { markRead, unreadThreadCounts } from '~/server/groups/following.ts';
import { createGroup, groupTowns, listMyGroups, listPublicGroupsPage } from '~/server/groups/groups.ts';
import { joinGroup, leaveGroup } from '~/server/groups/members.ts';
import { createThread, postReply, setThreadHidden } from '~/server/groups/threads.ts';
import { unpublishCase } from '~/server/cases/review.ts';
import { createDatabase } from '~/server/db/connection.ts';
import type { Database } from '~/server/db/schema.ts';
import { correctValue, publishedTownValues, publishedValuesForPeriods, publishTownValues, townValues } from '~/server/indicators/values.ts';
import { loadItems, townCaseCards } from '~/server/knowledge/items.ts';
import { saveTownProfile } from '~/server/towns/profile.ts';
import { findTownBySlug, listTowns, townChoices } from '~/server/towns/towns.ts';
import { createTestDatabase } from '../helpers/database.ts';
import { renamedTownInput } from '../helpers/fixtures.ts';

// Content files are the build's; here there are none, so only member cases are listed.
vi.mock('astro:content', () => ({ getCollection: async () => [] }));

/**
 * src/server/cache/changes.ts: what one process keeps in memory follows a change made
 * through another database handle (another instance or worker) at its next read.
 */
let db: Kysely<Database>;
let other: Kysely<Database>;
let cleanup: () => Promise<void>;
let path: string;
const NOW = 1_800_000_000;

beforeAll(async () => {
  ({ db, path, cleanup } = await createTestDatabase());
  await seedDemoData(db, NOW);
  other = createDatabase(path);
});
afterAll(async () => {
  await other.destroy();
  await cleanup();
});

async function account(email: string): Promise<CurrentUser> {
  const row = await db.selectFrom('users').leftJoin('towns', 'towns.id', 'users.town_id').select(['users.id', 'users.email', 'users.display_name', 'users.role', 'users.language', 'towns.id as town_id', 'towns.slug']).where('users.email', '=', email).executeTakeFirstOrThrow();
  return { id: row.id, email: row.email, displayName: row.display_name, role: row.role, language: row.language, disabled: false, town: row.town_id ? { id: row.town_id, slug: row.slug!, name: { kk: '', ru: '', en: '' } } : null };
}

describe('change counters', () => {
  it('count each area apart, from 0, and a bump through one handle is read through the other at once', async () => {
    const before = await changeSerials(other);
    await recordChange(db, 'indicators');
    await recordChange(db, 'indicators');
    const after = await changeSerials(other);
    expect(after.indicators).toBe(before.indicators + 2);
    expect(after.editorial).toBe(before.editorial);
  });

  it('roll back with the writer’s transaction', async () => {
    const before = await changeSerials(other);
    await expect(
      db.transaction().execute(async (trx) => {
        await recordChange(trx, 'towns');
        throw new Error('the write failed');
      }),
    ).rejects.toThrow('the write failed');
    expect((await changeSerials(other)).towns).toBe(before.towns);
  });

  it('keep a read (the same object) until its area changes anywhere, and only its area', async () => {
    let loads = 0;
    const kept = keptUntilChanged(['cases'], async () => ({ load: ++loads }));
    const first = await kept.get(other);
    expect(await kept.get(other)).toBe(first);
    await recordChange(db, 'editorial');
    expect(await kept.get(other)).toBe(first);
    await recordChange(db, 'cases');
    const second = await kept.get(other);
    expect(second).not.toBe(first);
    expect(second.load).toBe(2);
  });

  it('keep values per key, reading only the keys not kept, until their area changes', async () => {
    const asked: number[][] = [];
    const kept = keptPerKeyUntilChanged<number, string>(['threads'], async (_db, keys) => {
      asked.push([...keys]);
      return new Map(keys.map((key) => [key, `value ${key} read ${asked.length}`]));
    });
    expect((await kept.get(other, [1, 2])).get(2)).toBe('value 2 read 1');
    expect((await kept.get(other, [2, 3])).get(2)).toBe('value 2 read 1');
    expect(asked).toEqual([[1, 2], [3]]);
    await recordChange(db, 'threads');
    expect((await kept.get(other, [2])).get(2)).toBe('value 2 read 3');
    expect(asked.at(-1)).toEqual([2]);
  });

  it('a view’s handle reads the counters once for all its kept reads, shares what is kept with its database, and a new view sees a change', async () => {
    let loads = 0;
    const towns = keptUntilChanged(['towns'], async () => ({ load: ++loads }));
    const cases = keptUntilChanged(['cases'], async () => ({ load: ++loads }));
    const kept = await towns.get(other);
    const queries: string[] = [];
    // A handle on the same file that notes each query's tables.
    const counting = createDatabase(path).withPlugin({
      transformQuery: (args) => {
        queries.push(JSON.stringify(args.node));
        return args.node;
      },
      transformResult: async (args) => args.result,
    });
    try {
      const first = forOneView(counting);
      await towns.get(first);
      await cases.get(first);
      await cases.get(first);
      expect(queries.filter((query) => query.includes('"name":"changes"'))).toHaveLength(1);
      // Kept per database, not per view: a view of `other` finds what `other` kept.
      const view = forOneView(other);
      expect(await towns.get(view)).toBe(kept);
      // A change committed after a view read the counters shows at the next view, not in that one.
      await recordChange(db, 'towns');
      expect(await towns.get(view)).toBe(kept);
      const next = await towns.get(forOneView(other));
      expect(next).not.toBe(kept);
      expect(await towns.get(other)).toBe(next);
      // Queries other than kept reads go through the view's handle as through its database.
      expect(await forOneView(counting).selectFrom('towns').select('slug').where('slug', '=', 'satpayev').executeTakeFirst()).toEqual({ slug: 'satpayev' });
    } finally {
      await counting.destroy();
    }
  });

  it('do not keep a failed read', async () => {
    let calls = 0;
    const kept = keptUntilChanged(['towns'], async () => {
      calls += 1;
      if (calls === 1) throw new Error('busy');
      return calls;
    });
    await expect(kept.get(other)).rejects.toThrow('busy');
    expect(await kept.get(other)).toBe(2);
  });
});

describe('one read of the counters serves a request’s kept reads', () => {
  const bump = (area: string) => sql`UPDATE changes SET serial = serial + 1 WHERE area = ${area}`;

  it('is shared until a request arrives, this process commits, or it is SHARED_READ_MS old', async () => {
    await recordChange(db, 'towns');
    const first = sharedSerials(other);
    expect(sharedSerials(other)).toBe(first);
    // A kept read in the same request takes the same counters.
    const kept = keptUntilChanged(['towns'], async () => ({}));
    const value = await kept.get(other);
    expect(await kept.get(other)).toBe(value);
    expect(sharedSerials(other)).toBe(first);

    // A request arrives: it must see every change committed before it.
    readsFreshFromNow();
    const second = sharedSerials(other);
    expect(second).not.toBe(first);

    // This process commits a transaction: what it changed shows at once.
    await db.transaction().execute((trx) => recordChange(trx, 'towns'));
    const third = sharedSerials(other);
    expect(third).not.toBe(second);
    expect((await third).towns).toBe((await second).towns + 1);
    expect(await kept.get(other)).not.toBe(value);

    // A bump outside a transaction is committed at once, too.
    await recordChange(db, 'towns');
    const fourth = sharedSerials(other);
    expect(fourth).not.toBe(third);
    expect((await fourth).towns).toBe((await third).towns + 1);
  });

  it('sees another process’s change at the next request, and outside requests once the shared read is SHARED_READ_MS old', async () => {
    const before = await sharedSerials(other);
    // Another process: a write this one's drivers never hear of.
    await bump('cases').execute(db);
    expect((await sharedSerials(other)).cases).toBe(before.cases);
    readsFreshFromNow();
    expect((await sharedSerials(other)).cases).toBe(before.cases + 1);
    await bump('cases').execute(db);
    await new Promise((resolve) => setTimeout(resolve, SHARED_READ_MS + 20));
    expect((await sharedSerials(other)).cases).toBe(before.cases + 2);
  });

  it('does not keep a failed read', async () => {
    readsFreshFromNow();
    const broken = createDatabase(':memory:');
    await expect(sharedSerials(broken)).rejects.toThrow();
    await migrateToLatest(broken);
    expect(await sharedSerials(broken)).toMatchObject({ towns: 0 });
    await broken.destroy();
  });
});

describe('kept reads follow writes made by another instance', () => {
  it('a town profile edited through one handle shows in the other’s towns, names and options at once', async () => {
    expect((await listTowns(other)).find((town) => town.slug === 'satpayev')?.name.en).toBe('Satpayev');
    expect((await townChoices(other, 'en')).find((choice) => choice.value === 'satpayev')?.label).toBe('Satpayev');
    const town = (await findTownBySlug(db, 'satpayev'))!;
    const admin = await account('admin@example.org');
    const saved = await saveTownProfile(db, {
      townId: town.id,
      editor: admin,
      input: { ...renamedTownInput(town, 'Satpayev City'), descriptions: { ...town.description, en: 'A mining town, renamed.' } },
    });
    expect(saved).toMatchObject({ ok: true });
    expect((await listTowns(other)).find((town) => town.slug === 'satpayev')?.name.en).toBe('Satpayev City');
    expect((await townChoices(other, 'en')).find((choice) => choice.value === 'satpayev')?.label).toBe('Satpayev City');
    // A profile comes from the kept towns: the edit shows in the other's at once, description included.
    const profile = (await findTownBySlug(forOneView(other), 'satpayev'))!;
    expect(profile.name.en).toBe('Satpayev City');
    expect(profile.description.en).toBe('A mining town, renamed.');
  });

  it('member cases: the same list while nothing changed; a case taken down through one handle leaves the other’s list at once', async () => {
    const first = await loadItems('cases', other);
    expect(first.length).toBeGreaterThan(0);
    expect(await loadItems('cases', other)).toBe(first);
    const taken = await db
      .selectFrom('member_cases')
      .innerJoin('towns', 'towns.id', 'member_cases.town_id')
      .select(['member_cases.id', 'member_cases.slug', 'towns.slug as town'])
      .where('published_content', 'is not', null)
      .orderBy('member_cases.id')
      .executeTakeFirstOrThrow();
    // The town profile's cases come from the same kept list, by town.
    const townCases = async () => (await townCaseCards(forOneView(other), taken.town, 'en')).map((card) => card.href);
    const listedBefore = await townCases();
    expect(listedBefore.some((href) => href.includes(taken.slug!))).toBe(true);
    expect(listedBefore).toEqual((await townCaseCards(other, taken.town, 'en')).map((card) => card.href));
    expect(await townCaseCards(other, 'no-such-town', 'en')).toEqual([]);
    expect(await unpublishCase(db, await account('editor@example.org'), { id: taken.id, reason: 'Out of date' }, NOW + 10)).toMatchObject({ ok: true });
    expect(await townCases()).toEqual(listedBefore.filter((href) => !href.includes(taken.slug!)));
    const after = await loadItems('cases', other);
    expect(after).not.toBe(first);
    expect(after.map((item) => item.slug)).not.toContain(taken.slug);
    expect(after).toHaveLength(first.length - 1);
  });

  it('published figures: a publication through one handle is in the other’s kept peer values at once', async () => {
    const pending = await db.selectFrom('indicator_values').select(['town_id', 'period']).where('published_at', 'is', null).orderBy('id').executeTakeFirstOrThrow();
    const count = async () => (await publishedValuesForPeriods(other, [pending.period])).filter((value) => value.townId === pending.town_id).length;
    const before = await count();
    const admin = await account('admin@example.org');
    expect(await publishTownValues(db, pending.town_id, admin.id, NOW + 20)).toBeGreaterThan(0);
    expect(await count()).toBeGreaterThan(before);
  });

  it('a town’s published values: those the table gives, kept, and a publication or a correction through one handle shows in the other’s at once', async () => {
    const byId = (values: ReadonlyArray<{ id: number }>) => [...values].sort((a, b) => a.id - b.id);
    const towns = await db.selectFrom('indicator_values').select('town_id').distinct().execute();
    expect(towns.length).toBeGreaterThan(3);
    for (const { town_id } of towns) {
      expect(byId(await publishedTownValues(other, town_id))).toEqual(byId(await townValues(db, town_id, { includeUnpublished: false })));
    }
    expect(await publishedTownValues(other, 999_999)).toEqual([]);
    const admin = await account('admin@example.org');
    const pending = await db.selectFrom('indicator_values').select(['town_id', 'id']).where('published_at', 'is', null).orderBy('id').executeTakeFirst();
    if (pending) {
      expect((await publishedTownValues(other, pending.town_id)).map((value) => value.id)).not.toContain(pending.id);
      expect(await publishTownValues(db, pending.town_id, admin.id, NOW + 30)).toBeGreaterThan(0);
      expect((await publishedTownValues(other, pending.town_id)).map((value) => value.id)).toContain(pending.id);
    }
    const published = (await townValues(db, towns[0]!.town_id, { includeUnpublished: false }))[0]!;
    expect(await correctValue(db, { townId: published.townId, indicator: published.indicator, period: published.period, value: published.value + 1.5, sourceNote: 'Corrected by the statistics office' }, admin.id, NOW + 40)).toMatchObject({ ok: true });
    const corrected = (await publishedTownValues(other, published.townId)).find((value) => value.id === published.id)!;
    expect(corrected).toMatchObject({ value: published.value + 1.5, sourceNote: 'Corrected by the statistics office', illustrative: false, updatedAt: NOW + 40 });
  });

  const NO_SESSIONS = { invalidateUserSessions: async () => {} } as unknown as Auth;
  const newGroup = async (slug: string) => {
    const editor = await account('editor@example.org');
    const name = { kk: slug, ru: slug, en: slug };
    const created = await createGroup(db, { slug, name, purpose: name, topics: [], type: 'forum', visibility: 'open', rhythm: 'monthly', descriptionPublic: true }, editor.id, NOW);
    if (!created.ok) throw new Error('slug taken');
    return created.id;
  };
  const listed = async (id: number) => {
    // Named to come first in the list, so on its first page.
    const found = (await listPublicGroupsPage(other, 'en', 1)).groups.find((group) => group.id === id)!;
    return { count: found.memberCount, towns: found.towns.map((town) => town.en) };
  };

  it('group lists: a join, a leave, a disabled account through one handle show in the other’s member towns at once; each member’s list is their own', async () => {
    const id = await newGroup('aaa-kept-member-towns');
    const [ridder, temirtau, rudny] = await Promise.all([account('ridder@example.org'), account('temirtau@example.org'), account('rudny@example.org')]);
    expect(await listed(id)).toEqual({ count: 0, towns: [] });
    await joinGroup(db, id, temirtau.id, NOW);
    expect(await listed(id)).toEqual({ count: 1, towns: ['Temirtau'] });
    await joinGroup(db, id, ridder.id, NOW);
    // In the reader's alphabetical order.
    expect(await listed(id)).toEqual({ count: 2, towns: ['Ridder', 'Temirtau'] });
    expect(await groupTowns(other, id, 'ru')).toEqual(['Риддер', 'Темиртау']);
    expect((await listMyGroups(other, ridder.id, 'en')).find((group) => group.id === id)).toMatchObject({ role: 'member', towns: [{ en: 'Ridder' }, { en: 'Temirtau' }] });
    expect((await listMyGroups(other, rudny.id, 'en')).some((group) => group.id === id)).toBe(false);
    await leaveGroup(db, id, ridder.id);
    expect(await listed(id)).toEqual({ count: 1, towns: ['Temirtau'] });
    expect((await listMyGroups(other, ridder.id, 'en')).some((group) => group.id === id)).toBe(false);
    const editor = await account('editor@example.org');
    await disableAccount(db, NO_SESSIONS, { actorId: editor.id, userId: temirtau.id, clientAddress: '127.0.0.1' });
    expect(await listed(id)).toEqual({ count: 0, towns: [] });
    await setDisabled(db, NO_SESSIONS, { actor: await account('admin@example.org'), userId: temirtau.id, disabled: false, clientAddress: '127.0.0.1' });
    expect(await listed(id)).toEqual({ count: 1, towns: ['Temirtau'] });
  });

  it('unread counts: a new thread, a reply and a hidden thread through one handle count in the other’s groups list at once, per member', async () => {
    const id = await newGroup('aab-kept-thread-counts');
    const [ridder, rudny] = await Promise.all([account('ridder@example.org'), account('rudny@example.org')]);
    await joinGroup(db, id, ridder.id, NOW);
    await joinGroup(db, id, rudny.id, NOW);
    const unread = async (userId: string) => (await unreadThreadCounts(other, [id], userId)).get(id);
    expect(await unread(rudny.id)).toBe(0);
    const thread = await createThread(db, { groupId: id, authorId: ridder.id, title: 'Tariffs', body: 'First' }, NOW + 1);
    expect(await unread(rudny.id)).toBe(1);
    // The author has read their own thread.
    expect(await unread(ridder.id)).toBe(0);
    await markRead(db, thread, rudny.id, NOW + 2);
    expect(await unread(rudny.id)).toBe(0);
    await postReply(db, { groupId: id, threadId: thread, authorId: ridder.id, body: 'A reply' }, NOW + 3);
    expect(await unread(rudny.id)).toBe(1);
    const editor = await account('editor@example.org');
    expect(await setThreadHidden(db, id, thread, { by: editor.id, reason: 'Off topic' }, NOW + 4)).toEqual({ ok: true });
    expect(await unread(rudny.id)).toBe(0);
    expect(await setThreadHidden(db, id, thread, null, NOW + 5)).toEqual({ ok: true });
    expect(await unread(rudny.id)).toBe(1);
  });
});
