import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { seedDemoData } from '../../db/seed/index.ts';
import type { CurrentUser } from '~/server/auth/lucia.ts';
import { changeSerials, keptUntilChanged, recordChange } from '~/server/cache/changes.ts';
import { unpublishCase } from '~/server/cases/review.ts';
import { createDatabase } from '~/server/db/connection.ts';
import type { Database } from '~/server/db/schema.ts';
import { publishedValuesForPeriods, publishTownValues } from '~/server/indicators/values.ts';
import { loadItems } from '~/server/knowledge/items.ts';
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
const NOW = 1_800_000_000;

beforeAll(async () => {
  let path: string;
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

describe('kept reads follow writes made by another instance', () => {
  it('a town profile edited through one handle shows in the other’s towns, names and options at once', async () => {
    expect((await listTowns(other)).find((town) => town.slug === 'satpayev')?.name.en).toBe('Satpayev');
    expect((await townChoices(other, 'en')).find((choice) => choice.value === 'satpayev')?.label).toBe('Satpayev');
    const town = (await findTownBySlug(db, 'satpayev'))!;
    const admin = await account('admin@example.org');
    const saved = await saveTownProfile(db, {
      townId: town.id,
      editor: admin,
      input: renamedTownInput(town, 'Satpayev City'),
    });
    expect(saved).toMatchObject({ ok: true });
    expect((await listTowns(other)).find((town) => town.slug === 'satpayev')?.name.en).toBe('Satpayev City');
    expect((await townChoices(other, 'en')).find((choice) => choice.value === 'satpayev')?.label).toBe('Satpayev City');
  });

  it('member cases: the same list while nothing changed; a case taken down through one handle leaves the other’s list at once', async () => {
    const first = await loadItems('cases', other);
    expect(first.length).toBeGreaterThan(0);
    expect(await loadItems('cases', other)).toBe(first);
    const taken = await db.selectFrom('member_cases').select(['id', 'slug']).where('published_content', 'is not', null).orderBy('id').executeTakeFirstOrThrow();
    expect(await unpublishCase(db, await account('editor@example.org'), { id: taken.id, reason: 'Out of date' }, NOW + 10)).toMatchObject({ ok: true });
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
});
