import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoData } from '../../db/seed/index.ts';
import type { Database } from '~/server/db/schema.ts';
import { findPeerTowns, latestPublishedFigures } from '~/server/towns/peers.ts';
import { recordChange } from '~/server/cache/changes.ts';
import { indicatorPositions, MIN_CLOSENESS, POINTS, scorePeer, shapeCloseness, similarTowns, type SimilarityTown } from '~/server/towns/similarity.ts';
import { createTestDatabase } from '../helpers/database.ts';

/** "Towns like yours" on the demo database (SQLite and PostgreSQL), and the scoring itself. */
let db: Kysely<Database>;
let cleanup: () => Promise<void>;
const NOW = 1_800_000_000;

beforeAll(async () => {
  ({ db, cleanup } = await createTestDatabase());
  await seedDemoData(db, NOW);
});
afterAll(() => cleanup());

const slugs = (peers: Awaited<ReturnType<typeof findPeerTowns>>) => peers!.peers.map((peer) => peer.town.slug);

describe('peer towns of a demo town', () => {
  it('are five member towns, never the town itself, best first, each with its reasons', async () => {
    const peers = (await findPeerTowns(db, { slug: 'balkhash' }))!;
    expect(peers.peers).toHaveLength(5);
    expect(slugs(peers)).not.toContain('balkhash');
    const scores = peers.peers.map((peer) => peer.score);
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
    for (const peer of peers.peers) expect(peer.reasons.length).toBeGreaterThan(0);
    // Copper towns share Balkhash's industry, and that is said.
    const zhezkazgan = peers.peers.find((peer) => peer.town.slug === 'zhezkazgan');
    expect(zhezkazgan?.reasons).toContainEqual({ kind: 'industry', industry: 'copper' });
  });

  it('are the same every time, on either engine (deterministic)', async () => {
    const runs = await Promise.all([1, 2, 3].map(() => findPeerTowns(db, { slug: 'ridder' })));
    const first = runs[0]!;
    for (const run of runs) expect(run!.peers.map((peer) => [peer.town.slug, peer.score, peer.reasons])).toEqual(first.peers.map((peer) => [peer.town.slug, peer.score, peer.reasons]));
    expect((await findPeerTowns(db, { id: first.town.id }))!.peers.map((peer) => peer.town.slug)).toEqual(slugs(first));
  });

  it('uses published figures only', async () => {
    const figures = await latestPublishedFigures(db);
    const temirtau = (await db.selectFrom('towns').select('id').where('slug', '=', 'temirtau').executeTakeFirstOrThrow()).id;
    // Temirtau's 2025 unemployment rate is seeded unpublished; its latest published one is older.
    const unpublished = await db.selectFrom('indicator_values').select(['indicator', 'value']).where('town_id', '=', temirtau).where('published_at', 'is', null).execute();
    expect(unpublished.length).toBeGreaterThan(0);
    for (const row of unpublished) {
      const shown = figures.filter((figure) => figure.townId === temirtau && figure.indicator === row.indicator);
      expect(shown).toHaveLength(1);
    }
    expect(new Set(figures.map((figure) => `${figure.townId}/${figure.indicator}`)).size).toBe(figures.length);
  });

  it('a town with no published indicators still gets peers by its profile', async () => {
    await db.insertInto('towns').values({ slug: 'new-copper-town', name_kk: 'Жаңа қала', name_ru: 'Новый город', name_en: 'New Town', region: 'ulytau', population: 60_000, main_industry: 'copper', founding_enterprise_kk: null, founding_enterprise_ru: null, founding_enterprise_en: null, economic_potential: null, created_at: NOW, updated_at: NOW }).execute();
    // Written here directly, not through a writer of towns: say so, as every writer does.
    await recordChange(db, 'towns');
    const peers = (await findPeerTowns(db, { slug: 'new-copper-town' }))!;
    expect(peers.peers).toHaveLength(5);
    expect(peers.peers.every((peer) => peer.reasons.every((reason) => reason.kind !== 'indicators'))).toBe(true);
    expect(peers.peers[0]!.reasons.map((reason) => reason.kind)).toContain('industry');
    // Satpayev and Zhezkazgan: copper, in Ulytau, 50–100 000 residents; Satpayev is closer in size.
    expect(slugs(peers).slice(0, 2)).toEqual(['satpayev', 'zhezkazgan']);
  });

  it('are kept per town until towns or figures change, then computed again', async () => {
    const before = (await findPeerTowns(db, { slug: 'new-copper-town' }))!;
    expect(await findPeerTowns(db, { slug: 'new-copper-town' })).toBe(before);
    // Its region changes (a writer of towns moves the counter): the region reason goes with it.
    await db.updateTable('towns').set({ region: 'abai' }).where('slug', '=', 'new-copper-town').execute();
    await recordChange(db, 'towns');
    const moved = (await findPeerTowns(db, { slug: 'new-copper-town' }))!;
    expect(moved).not.toBe(before);
    expect(moved.peers.flatMap((peer) => peer.reasons).some((reason) => reason.kind === 'region' && reason.region === 'ulytau')).toBe(false);
    // Figures published for it (the indicators counter moves): shapes are compared from then on.
    const satpayev = (await db.selectFrom('towns').select('id').where('slug', '=', 'satpayev').executeTakeFirstOrThrow()).id;
    const own = (await db.selectFrom('towns').select('id').where('slug', '=', 'new-copper-town').executeTakeFirstOrThrow()).id;
    const copied = await db.selectFrom('indicator_values').selectAll().where('town_id', '=', satpayev).where('published_at', 'is not', null).execute();
    expect(copied.length).toBeGreaterThanOrEqual(3);
    await db.insertInto('indicator_values').values(copied.map(({ id: _id, ...row }) => ({ ...row, town_id: own }))).execute();
    await recordChange(db, 'indicators');
    const shaped = (await findPeerTowns(db, { slug: 'new-copper-town' }))!;
    expect(shaped.peers.find((peer) => peer.town.slug === 'satpayev')?.reasons.map((reason) => reason.kind)).toContain('indicators');
    await db.deleteFrom('indicator_values').where('town_id', '=', own).execute();
    await db.updateTable('towns').set({ region: 'ulytau' }).where('slug', '=', 'new-copper-town').execute();
    await recordChange(db, 'indicators');
    await recordChange(db, 'towns');
  });

  it('a town with nothing in common with any other gets none, and says so rather than inventing peers', async () => {
    await db.insertInto('towns').values({ slug: 'lonely', name_kk: 'Жалғыз', name_ru: 'Одинокий', name_en: 'Lonely', region: 'nowhere', population: null, main_industry: null, founding_enterprise_kk: null, founding_enterprise_ru: null, founding_enterprise_en: null, economic_potential: null, created_at: NOW, updated_at: NOW }).execute();
    await recordChange(db, 'towns');
    expect((await findPeerTowns(db, { slug: 'lonely' }))!.peers).toEqual([]);
    expect(await findPeerTowns(db, { slug: 'atlantis' })).toBeUndefined();
  });
});

describe('the scoring', () => {
  const town = (id: number, slug: string, region: string, population: number | null, mainIndustry: string | null): SimilarityTown => ({ id, slug, region, population, mainIndustry });

  it('gives the documented points for industry, population band, next band and region', () => {
    const positions = new Map();
    const a = town(1, 'a', 'karaganda', 30_000, 'coal');
    expect(scorePeer(a, town(2, 'b', 'karaganda', 45_000, 'coal'), positions)).toEqual({
      score: POINTS.industry + POINTS.populationBand + POINTS.region,
      reasons: [{ kind: 'industry', industry: 'coal' }, { kind: 'population', band: { min: 20_000, max: 50_000 } }, { kind: 'region', region: 'karaganda' }],
    });
    expect(scorePeer(a, town(3, 'c', 'pavlodar', 60_000, 'copper'), positions)).toEqual({ score: POINTS.populationNear, reasons: [{ kind: 'populationNear' }] });
    expect(scorePeer(a, town(4, 'd', 'pavlodar', 500_000, 'copper'), positions)).toEqual({ score: 0, reasons: [] });
  });

  it('compares indicator shapes over at least three shared indicators, respecting which direction is better', () => {
    const figures = [
      // Two towns alike (high wage, low unemployment, high satisfaction), one the opposite, three between.
      ...[[1, 500, 3, 80], [2, 480, 3.5, 75], [3, 200, 12, 30], [4, 300, 8, 50], [5, 320, 7, 55], [6, 350, 6, 60]].flatMap(([id, wage, unemployment, satisfaction]) => [
        { townId: id!, indicator: 'average-wage', value: wage! },
        { townId: id!, indicator: 'unemployment-rate', value: unemployment! },
        { townId: id!, indicator: 'resident-satisfaction', value: satisfaction! },
      ]),
    ];
    const positions = indicatorPositions(figures);
    expect(positions.get(1)!.get('unemployment-rate')).toBe(1);
    expect(positions.get(3)!.get('unemployment-rate')).toBe(0);
    const alike = shapeCloseness(positions.get(1), positions.get(2))!;
    expect(alike.shared).toBe(3);
    expect(alike.closeness).toBeGreaterThanOrEqual(MIN_CLOSENESS);
    expect(shapeCloseness(positions.get(1), positions.get(3))!.closeness).toBeLessThan(MIN_CLOSENESS);
    const towns = [1, 2, 3, 4, 5, 6].map((id) => town(id, `t${id}`, `r${id}`, null, null));
    const peers = similarTowns(towns[0]!, towns, indicatorPositions(figures));
    // Town 2 is one place below town 1 on every indicator (0.8 against 1.0); town 6 two places.
    expect(peers.map((peer) => peer.town.slug)).toEqual(['t2']);
    expect(peers[0]!.reasons).toEqual([{ kind: 'indicators', count: 3 }]);
    // Two shared indicators are too few to compare.
    expect(shapeCloseness(new Map([['a', 1], ['b', 1]]), new Map([['a', 1], ['b', 1]]))).toBeUndefined();
  });

  it('breaks ties by closeness in population, then by slug', () => {
    const me = town(1, 'me', 'r', 30_000, 'coal');
    const towns = [me, town(2, 'zeta', 'x', 31_000, 'coal'), town(3, 'alpha', 'x', 45_000, 'coal'), town(4, 'beta', 'x', 45_000, 'coal')];
    expect(similarTowns(me, towns, new Map()).map((peer) => peer.town.slug)).toEqual(['zeta', 'alpha', 'beta']);
  });
});
