import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoData } from '../../db/seed/index.ts';
import type { CurrentUser } from '~/server/auth/lucia.ts';
import { recordChange } from '~/server/cache/changes.ts';
import type { Database, Role } from '~/server/db/schema.ts';
import { fitsScript, givenNames, storedNames } from '~/server/towns/names.ts';
import { loadTownProfileEditing, saveTownProfile, townProfileHistory, type TownProfileInput } from '~/server/towns/profile.ts';
import { canEditTownProfile, canSeeTownProfileHistory, canSetEconomicPotential } from '~/server/towns/rules.ts';
import { findTownBySlug } from '~/server/towns/towns.ts';
import { createTestDatabase } from '../helpers/database.ts';
import { townProfileInput } from '../helpers/fixtures.ts';

/** Town profile editing on a real database (SQLite and PostgreSQL): rules, saving, history, names. */
let db: Kysely<Database>;
let cleanup: () => Promise<void>;
const NOW = 1_800_000_000;

beforeAll(async () => {
  ({ db, cleanup } = await createTestDatabase());
  await seedDemoData(db, NOW);
});
afterAll(() => cleanup());

const townId = async (slug: string) => (await db.selectFrom('towns').select('id').where('slug', '=', slug).executeTakeFirstOrThrow()).id;
async function account(email: string): Promise<CurrentUser> {
  const row = await db.selectFrom('users').leftJoin('towns', 'towns.id', 'users.town_id').select(['users.id', 'users.email', 'users.display_name', 'users.role', 'users.language', 'towns.id as town_id', 'towns.slug']).where('users.email', '=', email).executeTakeFirstOrThrow();
  return { id: row.id, email: row.email, displayName: row.display_name, role: row.role, language: row.language, disabled: false, town: row.town_id ? { id: row.town_id, slug: row.slug!, name: { kk: '', ru: '', en: '' } } : null };
}
const someone = (role: Role, town: number | null, disabled = false): CurrentUser => ({ id: 'x'.repeat(20), email: 'x@example.org', displayName: 'X', role, language: 'en', disabled, town: town === null ? null : { id: town, slug: 't', name: { kk: '', ru: '', en: '' } } });

/** The form's input for a town as it is now, to change one thing at a time. */
async function inputFor(slug: string): Promise<TownProfileInput> {
  return townProfileInput((await findTownBySlug(db, slug))!);
}

describe('who may edit a town profile (role × action)', () => {
  it('follows the table: own town admin and editors edit; only editors set the potential', () => {
    const own = 7;
    const cases: Array<[string, CurrentUser | null, boolean, boolean]> = [
      ['public', null, false, false],
      ['member of the town', someone('member', own), false, false],
      ['town admin of the town', someone('town_admin', own), true, false],
      ['town admin of another town', someone('town_admin', own + 1), false, false],
      ['disabled town admin of the town', someone('town_admin', own, true), false, false],
      ['editor', someone('editor', null), true, true],
      ['administrator', someone('admin', null), true, true],
    ];
    const actual = cases.map(([who, user]) => [who, canEditTownProfile(user, own), canSetEconomicPotential(user)]);
    expect(actual).toEqual(cases.map(([who, , edit, potential]) => [who, edit, potential]));
    expect(cases.map(([, user]) => canSeeTownProfileHistory(user, own))).toEqual(cases.map(([, , edit]) => edit));
  });
});

describe('saving a profile', () => {
  it('writes the changes, keeps who, when and what in the history, and shows them on the profile', async () => {
    const admin = await account('temirtau-admin@example.org');
    const input = await inputFor('temirtau');
    const changed = { ...input, population: 179_500, populationYear: 2024, address: 'Temirtau, Republic Avenue 1', phone: '+7 7213 44 00 00', descriptions: { ...input.descriptions, en: 'A steel town on the Nura.' } };
    const saved = await saveTownProfile(db, { townId: await townId('temirtau'), editor: admin, input: changed }, NOW + 10);
    expect(saved).toEqual({ ok: true, changed: 5 });
    const town = (await findTownBySlug(db, 'temirtau'))!;
    expect(town.population).toBe(179_500);
    expect(town.populationYear).toBe(2024);
    expect(town.contacts.address).toBe('Temirtau, Republic Avenue 1');
    expect(town.description.en).toBe('A steel town on the Nura.');
    const [entry] = await townProfileHistory(db, town.id);
    expect(entry).toMatchObject({ at: NOW + 10, actorName: 'Gulnara Akhmetova' });
    expect(entry!.changes.map((change) => change.field).sort()).toEqual(['contact_address', 'contact_phone', 'description_en', 'population', 'population_year']);
    expect(entry!.changes.find((change) => change.field === 'population_year')).toEqual({ field: 'population_year', before: null, after: 2024 });
  });

  it('records nothing for an edit that changes nothing', async () => {
    const editor = await account('editor@example.org');
    const id = await townId('ridder');
    const saved = await saveTownProfile(db, { townId: id, editor, input: await inputFor('ridder') }, NOW + 20);
    expect(saved).toEqual({ ok: true, changed: 0 });
    expect(await townProfileHistory(db, id)).toEqual([]);
  });

  it('lets an editor set the economic potential, and ignores a town administrator’s', async () => {
    const id = await townId('temirtau');
    const admin = await account('temirtau-admin@example.org');
    const was = (await findTownBySlug(db, 'temirtau'))!.potential;
    const other = was === 'low' ? 'high' : 'low';
    await saveTownProfile(db, { townId: id, editor: admin, input: { ...(await inputFor('temirtau')), potential: other } }, NOW + 30);
    expect((await findTownBySlug(db, 'temirtau'))!.potential).toBe(was);
    const editor = await account('editor@example.org');
    const saved = await saveTownProfile(db, { townId: id, editor, input: { ...(await inputFor('temirtau')), potential: other } }, NOW + 40);
    expect(saved).toEqual({ ok: true, changed: 1 });
    expect((await findTownBySlug(db, 'temirtau'))!.potential).toBe(other);
  });

  it('refuses another town’s administrator and a member, and stores nothing', async () => {
    const id = await townId('ridder');
    for (const email of ['temirtau-admin@example.org', 'ridder@example.org']) {
      const saved = await saveTownProfile(db, { townId: id, editor: await account(email), input: { ...(await inputFor('ridder')), population: 1 } }, NOW + 50);
      expect(saved).toEqual({ ok: false, reason: 'forbidden' });
    }
    expect((await findTownBySlug(db, 'ridder'))!.population).not.toBe(1);
    expect(await townProfileHistory(db, id)).toEqual([]);
  });

  it('shows the history to the town’s administrator and editors only', async () => {
    const own = await loadTownProfileEditing(db, 'temirtau', await account('temirtau-admin@example.org'));
    expect(own!.may).toEqual({ edit: true, potential: false, history: true });
    expect(own!.history.length).toBeGreaterThan(0);
    const member = await loadTownProfileEditing(db, 'temirtau', await account('temirtau@example.org'));
    expect(member!.may).toEqual({ edit: false, potential: false, history: false });
    expect(member!.history).toEqual([]);
    expect(await loadTownProfileEditing(db, 'atlantis', await account('editor@example.org'))).toBeUndefined();
  });
});

describe('names given and names in the wrong script', () => {
  it('judges a name by its script until the profile is edited', () => {
    expect(fitsScript('Байқоңыр', 'kk')).toBe(true);
    expect(fitsScript('Baikonur', 'ru')).toBe(false);
    expect(fitsScript('Baikonur', 'en')).toBe(true);
    expect(givenNames({ name_kk: 'Baikonur', name_ru: 'Baikonur', name_en: 'Baikonur', given_names: null })).toEqual({ kk: null, ru: null, en: 'Baikonur' });
    expect(givenNames({ name_kk: 'Baikonur', name_ru: 'Baikonur', name_en: 'Baikonur', given_names: 'kk,en' })).toEqual({ kk: 'Baikonur', ru: null, en: 'Baikonur' });
    expect(storedNames({ kk: null, ru: 'Байконур', en: 'Baikonur' })).toEqual({ kk: 'Байконур', ru: 'Байконур', en: 'Baikonur' });
    expect(storedNames({ kk: null, ru: null, en: null })).toBeUndefined();
  });

  it('a newly approved town shows only its English name until its administrator gives the others', async () => {
    // As an approval writes it: the row and the `towns` counter together (towns are kept in memory).
    await db.transaction().execute(async (trx) => {
      await trx.insertInto('towns').values({ slug: 'baikonur', name_kk: 'Baikonur', name_ru: 'Baikonur', name_en: 'Baikonur', region: 'ulytau', population: null, main_industry: null, founding_enterprise_kk: null, founding_enterprise_ru: null, founding_enterprise_en: null, economic_potential: null, created_at: NOW, updated_at: NOW }).execute();
      await recordChange(trx, 'towns');
    });
    const fresh = (await findTownBySlug(db, 'baikonur'))!;
    expect(fresh.givenNames).toEqual({ kk: null, ru: null, en: 'Baikonur' });
    const editor = await account('editor@example.org');
    const saved = await saveTownProfile(db, { townId: fresh.id, editor, input: { ...(await inputFor('baikonur')), names: { kk: 'Байқоңыр', ru: null, en: 'Baikonur' } } }, NOW + 60);
    expect(saved).toEqual({ ok: true, changed: 1 });
    const edited = (await findTownBySlug(db, 'baikonur'))!;
    expect(edited.givenNames).toEqual({ kk: 'Байқоңыр', ru: null, en: 'Baikonur' });
    // Lists and headings still have a name in Russian: the nearest given one, in Cyrillic.
    expect(edited.name.ru).toBe('Байқоңыр');
    const refused = await saveTownProfile(db, { townId: fresh.id, editor, input: { ...(await inputFor('baikonur')), names: { kk: null, ru: null, en: null } } }, NOW + 70);
    expect(refused).toEqual({ ok: false, reason: 'noName' });
  });
});
