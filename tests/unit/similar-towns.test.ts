import { describe, expect, it } from 'vitest';
import { INDICATORS } from '~/lib/indicators/catalogue.ts';
import { indicatorPositions, PEER_COUNT, scorePeer, similarTowns, type LatestFigure, type SimilarityTown } from '~/server/towns/similarity.ts';

/** A repeatable sequence of numbers in [0, 1). */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state / 2_147_483_648;
  };
}

/**
 * src/server/towns/similarity.ts: `similarTowns` scores candidates from kept arrays; it
 * must choose what scoring every candidate with `scorePeer` and sorting would, with the
 * same points, order and reasons.
 */
describe('similar towns', () => {
  const next = random(7);
  const pick = <T>(items: readonly T[]) => items[Math.floor(next() * items.length)]!;
  const towns: SimilarityTown[] = Array.from({ length: 300 }, (_, index) => ({
    id: index + 1,
    slug: `town-${String(index + 1).padStart(3, '0')}`,
    region: pick(['north', 'south', 'east', 'west']),
    population: next() < 0.1 ? null : Math.floor(5_000 + next() * 300_000),
    mainIndustry: pick(['mining', 'metals', 'energy', 'chemicals', null, '']),
  }));
  // Some towns publish nothing, some a few indicators, some all; values repeat, so ties happen.
  const figures: LatestFigure[] = towns.flatMap((town) =>
    next() < 0.15 ? [] : INDICATORS.filter(() => next() < 0.7).map((indicator) => ({ townId: town.id, indicator: indicator.id, value: Math.floor(next() * 20) })),
  );
  const positions = indicatorPositions(figures);

  const distance = (a: number | null, b: number | null) => (a === null || b === null ? Infinity : Math.abs(Math.log(a) - Math.log(b)));
  const byScoring = (town: SimilarityTown) =>
    towns
      .filter((candidate) => candidate.id !== town.id)
      .map((candidate) => ({ town: candidate, ...scorePeer(town, candidate, positions) }))
      .filter((peer) => peer.score > 0)
      .sort((a, b) => b.score - a.score || distance(town.population, a.town.population) - distance(town.population, b.town.population) || (a.town.slug < b.town.slug ? -1 : 1))
      .slice(0, PEER_COUNT);

  it('are the towns, points and reasons that scoring every candidate gives, for every town', () => {
    let withShape = 0;
    for (const town of towns) {
      const found = similarTowns(town, towns, positions);
      expect(found).toEqual(byScoring(town));
      withShape += found.filter((peer) => peer.reasons.some((reason) => reason.kind === 'indicators')).length;
    }
    // The shapes of indicators took part, not only industry, population and region.
    expect(withShape).toBeGreaterThan(100);
  });

  it('are the same for a town that is not in the list, and follow another list or other positions', () => {
    const outsider: SimilarityTown = { id: 9_999, slug: 'outsider', region: 'north', population: 40_000, mainIndustry: 'mining' };
    expect(similarTowns(outsider, towns, positions)).toEqual(byScoring(outsider));
    const fewer = towns.slice(0, 100);
    expect(similarTowns(towns[0]!, fewer, positions).every((peer) => fewer.includes(peer.town))).toBe(true);
    const none = indicatorPositions([]);
    expect(similarTowns(towns[0]!, towns, none).flatMap((peer) => peer.reasons).some((reason) => reason.kind === 'indicators')).toBe(false);
  });
});
