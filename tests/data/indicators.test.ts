import type { Kysely } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { seedDemoData } from '../../db/seed/index.ts';
import { ILLUSTRATIVE_NOTE } from '../../db/seed/indicators.ts';
import type { CurrentUser } from '~/server/auth/lucia.ts';
import type { Database } from '~/server/db/schema.ts';
import { addValue, correctValue, publishedRows, publishedValuesForPeriods, publishedValuesForTowns, publishTownValues, townHistory, townValues, type IndicatorValue } from '~/server/indicators/values.ts';
import { loadTownDashboard } from '~/server/towns/dashboard.ts';
import { forOneView, readsFreshFromNow } from '~/server/cache/changes.ts';
import { createTestDatabase } from '../helpers/database.ts';

let db: Kysely<Database>;
let cleanup: () => Promise<void>;
beforeEach(async () => {
  ({ db, cleanup } = await createTestDatabase());
  await seedDemoData(db);
});
afterEach(() => cleanup());

const townId = async (slug: string) => (await db.selectFrom('towns').select('id').where('slug', '=', slug).executeTakeFirstOrThrow()).id;
const userId = async (email: string) => (await db.selectFrom('users').select('id').where('email', '=', email).executeTakeFirstOrThrow()).id;
const member = (id: string, townIdValue: number): CurrentUser => ({ id, email: 'm@example.org', displayName: 'M', role: 'member', language: 'en', disabled: false, town: { id: townIdValue, slug: 'temirtau', name: { kk: '', ru: '', en: '' } } });

describe('demo indicator values', () => {
  it('hold the source document’s figures as it gives them, not marked illustrative', async () => {
    const rows = await db
      .selectFrom('indicator_values as v')
      .innerJoin('towns as t', 't.id', 'v.town_id')
      .select(['t.slug', 'v.indicator', 'v.period', 'v.value', 'v.illustrative'])
      .where('v.illustrative', '=', 0)
      .orderBy('t.slug')
      .orderBy('v.indicator')
      .orderBy('v.period')
      .execute();
    const find = (slug: string, indicator: string, period: number) => rows.find((row) => row.slug === slug && row.indicator === indicator && row.period === period)?.value;
    expect(find('ridder', 'industrial-output', 2014)).toBe(51378);
    expect(find('serebryansk', 'unemployment-rate', 2013)).toBe(5.8);
    expect(find('kurchatov', 'small-enterprises', 2014)).toBe(34);
    expect(find('zyryanovsk', 'industrial-output', 2013)).toBe(6724);
    expect(find('aksai', 'average-wage', 2018)).toBe(448.8);
    expect(find('zhanaozen', 'average-wage', 2018)).toBe(435.4);
    expect(rows).toHaveLength(26);
  });

  it('label every other figure as an illustrative demo figure, in three languages', async () => {
    const illustrative = await db.selectFrom('indicator_values').select(['source_note']).where('illustrative', '=', 1).execute();
    expect(illustrative.length).toBeGreaterThan(27 * 10 * 6 - 1);
    for (const row of illustrative) expect(row.source_note).toContain(ILLUSTRATIVE_NOTE);
    expect(ILLUSTRATIVE_NOTE).toMatch(/Illustrative demo figure/);
    expect(ILLUSTRATIVE_NOTE).toMatch(/Демонстрационная/);
    expect(ILLUSTRATIVE_NOTE).toMatch(/Көрнекі/);
  });

  it('fill every seeded town’s description in three languages and its contacts', async () => {
    const towns = await db.selectFrom('towns').selectAll().execute();
    for (const town of towns) {
      expect([town.description_kk, town.description_ru, town.description_en].every(Boolean)).toBe(true);
      expect(town.description_en).toContain(town.name_en);
      expect(town.contact_email).toMatch(/@[a-z-]+\.example\.kz$/);
      expect(town.contact_website).toMatch(/^https:\/\//);
    }
  });
});

describe('entering, correcting and publishing', () => {
  it('keeps every change with who and when, and a correction keeps the old figure', async () => {
    const ridder = await townId('ridder');
    const editor = await userId('editor@example.org');
    const input = { townId: ridder, indicator: 'resident-satisfaction', period: 2025, value: 51, sourceNote: 'Survey 2025' };
    expect(await addValue(db, input, editor, 1000)).toMatchObject({ ok: true });
    expect(await correctValue(db, { ...input, value: 53.5, sourceNote: 'Survey 2025, weighted' }, editor, 2000)).toMatchObject({ ok: true });
    const history = await townHistory(db, ridder);
    expect(history.map(({ change, oldValue, newValue, oldSourceNote, sourceNote, actorName, at }) => ({ change, oldValue, newValue, oldSourceNote, sourceNote, actorName, at }))).toEqual([
      { change: 'corrected', oldValue: 51, newValue: 53.5, oldSourceNote: 'Survey 2025', sourceNote: 'Survey 2025, weighted', actorName: 'Daniyar Seitkali', at: 2000 },
      { change: 'added', oldValue: null, newValue: 51, oldSourceNote: null, sourceNote: 'Survey 2025', actorName: 'Daniyar Seitkali', at: 1000 },
    ]);
  });

  it('refuses a second figure for the same year, and a correction of a figure that does not exist, storing nothing', async () => {
    const ridder = await townId('ridder');
    const editor = await userId('editor@example.org');
    const before = await db.selectFrom('indicator_value_history').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(await addValue(db, { townId: ridder, indicator: 'unemployment-rate', period: 2014, value: 3, sourceNote: 'x' }, editor)).toEqual({ ok: false, reason: 'duplicate' });
    expect(await correctValue(db, { townId: ridder, indicator: 'unemployment-rate', period: 2001, value: 3, sourceNote: 'x' }, editor)).toEqual({ ok: false, reason: 'not_found' });
    const after = await db.selectFrom('indicator_value_history').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(after.n).toBe(before.n);
    const value = await db.selectFrom('indicator_values').select('value').where('town_id', '=', ridder).where('indicator', '=', 'unemployment-rate').where('period', '=', 2014).executeTakeFirstOrThrow();
    expect(value.value).toBe(4.8);
  });

  it('keeps new figures from the public until the town publishes them', async () => {
    const temirtau = await townId('temirtau');
    const admin = await userId('temirtau-admin@example.org');
    await addValue(db, { townId: temirtau, indicator: 'air-quality', period: 2025, value: 31.2, sourceNote: 'Kazhydromet' }, admin);
    const isNew = (value: { indicator: string; period: number }) => value.indicator === 'air-quality' && value.period === 2025;

    expect((await townValues(db, temirtau, { includeUnpublished: false })).some(isNew)).toBe(false);
    expect((await townValues(db, temirtau, { includeUnpublished: true })).some(isNew)).toBe(true);
    expect((await publishedRows(db, { townId: temirtau })).some(isNew)).toBe(false);
    expect((await publishedRows(db, { indicator: 'air-quality' })).some((row) => row.townSlug === 'temirtau' && row.period === 2025)).toBe(false);
    const publicPanel = (await loadTownDashboard(db, 'temirtau', null))!.panels.find((panel) => panel.indicator.id === 'air-quality')!;
    expect(publicPanel.latest?.period).toBe(2024);
    const memberPanel = (await loadTownDashboard(db, 'temirtau', member(admin, temirtau)))!.panels.find((panel) => panel.indicator.id === 'air-quality')!;
    expect(memberPanel.latest?.period).toBe(2025);

    // Seeded: two 2025 figures wait too; publishing makes all three public at once.
    expect(await publishTownValues(db, temirtau, admin, 5000)).toBe(3);
    expect((await publishedRows(db, { townId: temirtau })).some(isNew)).toBe(true);
    expect((await townHistory(db, temirtau)).filter((entry) => entry.change === 'published')).toHaveLength(3);
    expect(await publishTownValues(db, temirtau, admin)).toBe(0);
  });
});

describe('the dashboard', () => {
  it('loads a town’s dashboard for the public from kept reads, one read of the change counters a view, whatever the number of indicators; a member’s view reads its figures', async () => {
    let queries = 0;
    const counted = db.withPlugin({
      transformQuery: (args) => {
        queries += 1;
        return args.node;
      },
      transformResult: async (args) => args.result,
    });
    // Each view as a request: its arrival moves the bar of the shared counters read (src/node/server.ts).
    readsFreshFromNow();
    const dashboard = await loadTownDashboard(forOneView(counted), 'ridder', null);
    expect(dashboard?.panels).toHaveLength(10);
    expect(dashboard!.panels.every((panel) => panel.rank && panel.rank.of === 27)).toBe(true);
    // The counters, then what is kept until they move (src/server/cache/changes.ts): the towns
    // and every published value, from which the years ranked are taken too.
    expect(queries).toBe(3);
    queries = 0;
    readsFreshFromNow();
    expect((await loadTownDashboard(forOneView(counted), 'aksu', null))?.panels).toHaveLength(10);
    expect(queries).toBe(1);
    queries = 0;
    const ridder = await townId('ridder');
    readsFreshFromNow();
    const seen = await loadTownDashboard(forOneView(counted), 'ridder', member(await userId('temirtau@example.org'), await townId('temirtau')));
    expect(seen?.showsUnpublished).toBe(true);
    expect(seen?.panels.flatMap((panel) => panel.values)).toHaveLength((await townValues(db, ridder, { includeUnpublished: true })).length);
    expect(queries).toBe(2);
  });

  it('gives peers’ values and the compare page’s values from the kept published values as the table holds them, and follows a publication', async () => {
    const table = async (where: { periods?: number[]; indicator?: string; towns?: number[] }) => {
      let query = db.selectFrom('indicator_values').selectAll().where('published_at', 'is not', null);
      if (where.periods) query = query.where('period', 'in', where.periods);
      if (where.indicator) query = query.where('indicator', '=', where.indicator);
      if (where.towns) query = query.where('town_id', 'in', where.towns);
      const rows = await query.execute();
      return rows.map((row) => `${row.town_id}|${row.indicator}|${row.period}|${Number(row.value)}|${row.source_note}|${Number(row.illustrative)}|${row.published_at}`).sort();
    };
    const keys = (values: IndicatorValue[]) => values.map((value) => `${value.townId}|${value.indicator}|${value.period}|${value.value}|${value.sourceNote}|${Number(value.illustrative)}|${value.publishedAt}`).sort();
    const towns = [await townId('ridder'), await townId('temirtau'), await townId('aksu')];
    readsFreshFromNow();
    expect(keys(await publishedValuesForPeriods(forOneView(db), [2023, 2024, 2023]))).toEqual(await table({ periods: [2023, 2024] }));
    const compared = await publishedValuesForTowns(forOneView(db), 'unemployment-rate', [...towns, towns[0]!]);
    expect(keys(compared)).toEqual(await table({ indicator: 'unemployment-rate', towns }));
    expect(compared.map((value) => value.period)).toEqual([...compared.map((value) => value.period)].sort((a, b) => a - b));
    expect(await publishedValuesForTowns(forOneView(db), 'no-such-indicator', towns)).toEqual([]);
    expect(await publishedValuesForPeriods(forOneView(db), [])).toEqual([]);

    // Temirtau's two waiting 2025 figures (seeded), once published, are in both answers at the next view.
    const admin = await userId('temirtau-admin@example.org');
    expect(await publishTownValues(db, towns[1]!, admin)).toBeGreaterThan(0);
    readsFreshFromNow();
    const after = await publishedValuesForPeriods(forOneView(db), [2025]);
    expect(keys(after)).toEqual(await table({ periods: [2025] }));
    expect(after.some((value) => value.townId === towns[1])).toBe(true);
    const wages = await publishedValuesForTowns(forOneView(db), 'average-wage', [towns[1]!]);
    expect(keys(wages)).toEqual(await table({ indicator: 'average-wage', towns: [towns[1]!] }));
    expect(wages.at(-1)?.period).toBe(2025);
  });

  it('answers undefined for a town that does not exist', async () => {
    expect(await loadTownDashboard(db, 'atlantis', null)).toBeUndefined();
  });
});
