import { INDICATORS } from '~/lib/indicators/catalogue.ts';

/*
 * "Towns like yours": how similar two member towns are. Pure and deterministic — the
 * same towns and figures always give the same peers in the same order.
 *
 * A candidate town scores points for what it shares with the town:
 *
 *   same main industry                                   40
 *   same population band                                 20
 *     (bands: under 20 000, 20–50 000, 50–100 000, 100–250 000, 250 000 and over)
 *   next population band (and no same band)               8
 *   same region                                          15
 *   similar shape of published indicators            15–20
 *
 * The shape of a town's indicators: for each catalogue indicator, the town's latest
 * published figure placed among every member town's latest published figure, as a
 * position from 0 (worst) to 1 (best), respecting whether higher or lower is better.
 * Two towns with at least 3 indicators in common are compared on those: closeness is
 * 1 minus the mean distance between their positions. Closeness of 0.75 or more scores
 * 20 × closeness; less scores nothing. So a town with few or no published figures
 * still gets peers, by its profile alone (industry, population, region).
 *
 * Each point-scoring match is also a reason shown beside the peer. The five towns with
 * the most points (more than zero) are its peers; ties go to the town closer in
 * population, then to the slug in alphabetical order.
 */

/** What similarity reads of a town. */
export interface SimilarityTown {
  id: number;
  slug: string;
  region: string;
  population: number | null;
  mainIndustry: string | null;
}

/** A town's latest published figure of one indicator. */
export interface LatestFigure {
  townId: number;
  indicator: string;
  value: number;
}

/** Why a peer was chosen; pages render each in the reader's language. */
export type PeerReason =
  | { kind: 'industry'; industry: string }
  | { kind: 'population'; band: PopulationBand }
  | { kind: 'populationNear' }
  | { kind: 'region'; region: string }
  | { kind: 'indicators'; count: number };

/** A population band: from `min` to below `max` (null: no upper bound). */
export interface PopulationBand {
  min: number;
  max: number | null;
}

/** A chosen peer: the town, its points and why. */
export interface ScoredPeer<T extends SimilarityTown> {
  town: T;
  score: number;
  reasons: PeerReason[];
}

/** How many peers a town gets. */
export const PEER_COUNT = 5;
/** The points of each kind of match (see the comment above). */
export const POINTS = { industry: 40, populationBand: 20, populationNear: 8, region: 15, indicators: 20 } as const;
/** The fewest indicators two towns must share for their shapes to be compared. */
export const MIN_SHARED_INDICATORS = 3;
/** The closeness from which a shape counts as similar. */
export const MIN_CLOSENESS = 0.75;

const BAND_EDGES = [0, 20_000, 50_000, 100_000, 250_000] as const;

/** The band a population falls in, by index into BAND_EDGES. */
function bandIndex(population: number): number {
  let index = 0;
  for (let i = 1; i < BAND_EDGES.length; i++) if (population >= BAND_EDGES[i]!) index = i;
  return index;
}

/** The band with this index. */
export function populationBand(index: number): PopulationBand {
  return { min: BAND_EDGES[index]!, max: BAND_EDGES[index + 1] ?? null };
}

/**
 * Each town's position (0 worst … 1 best) on each indicator among all towns with a
 * figure for it; ties share the mean of their positions. An indicator only one town
 * has tells nothing and is left out.
 */
export function indicatorPositions(figures: readonly LatestFigure[]): Map<number, Map<string, number>> {
  const positions = new Map<number, Map<string, number>>();
  const byIndicator = new Map<string, LatestFigure[]>();
  for (const figure of figures) {
    if (!byIndicator.has(figure.indicator)) byIndicator.set(figure.indicator, []);
    byIndicator.get(figure.indicator)!.push(figure);
  }
  for (const indicator of INDICATORS) {
    const own = byIndicator.get(indicator.id) ?? [];
    if (own.length < 2) continue;
    // Worst first, so a position grows with being better.
    const sign = indicator.direction === 'higher' ? 1 : -1;
    const sorted = [...own].sort((a, b) => sign * (a.value - b.value));
    // One pass over runs of equal figures: each run shares the mean of its places.
    for (let first = 0; first < sorted.length; ) {
      let last = first;
      while (last + 1 < sorted.length && sorted[last + 1]!.value === sorted[first]!.value) last += 1;
      const position = (first + last) / 2 / (sorted.length - 1);
      for (let i = first; i <= last; i++) {
        const townId = sorted[i]!.townId;
        if (!positions.has(townId)) positions.set(townId, new Map());
        positions.get(townId)!.set(indicator.id, position);
      }
      first = last + 1;
    }
  }
  return positions;
}

/** How alike two towns' indicator shapes are: closeness 0…1 over the indicators both have, or undefined below MIN_SHARED_INDICATORS. */
export function shapeCloseness(a: ReadonlyMap<string, number> | undefined, b: ReadonlyMap<string, number> | undefined): { closeness: number; shared: number } | undefined {
  return a && b ? arrayCloseness(asArray(a), asArray(b)) : undefined;
}

/** Each catalogue indicator's place in a town's positions array. */
const INDICATOR_INDEX = new Map(INDICATORS.map((indicator, index) => [indicator.id, index]));

/** A town's positions by catalogue order (NaN where it has none): compared without map lookups. */
function asArray(positions: ReadonlyMap<string, number>): Float64Array {
  const array = new Float64Array(INDICATORS.length).fill(Number.NaN);
  positions.forEach((position, indicator) => {
    const index = INDICATOR_INDEX.get(indicator);
    if (index !== undefined) array[index] = position;
  });
  return array;
}

/** Every town's positions as arrays, kept with the positions they came from (the same kept map while figures are unchanged). */
const arraysOfPositions = new WeakMap<ReadonlyMap<number, ReadonlyMap<string, number>>, Map<number, Float64Array>>();
function positionArrays(positions: ReadonlyMap<number, ReadonlyMap<string, number>>): Map<number, Float64Array> {
  let arrays = arraysOfPositions.get(positions);
  if (!arrays) {
    arrays = new Map();
    for (const [townId, own] of positions) arrays.set(townId, asArray(own));
    arraysOfPositions.set(positions, arrays);
  }
  return arrays;
}

/** `shapeCloseness` of two towns' position arrays: one pass, no allocation but the answer (it runs for a thousand candidates per profile). */
function arrayCloseness(a: Float64Array | undefined, b: Float64Array | undefined): { closeness: number; shared: number } | undefined {
  if (!a || !b) return undefined;
  let shared = 0;
  let sum = 0;
  for (let index = 0; index < a.length; index++) {
    const mine = a[index]!;
    const other = b[index]!;
    if (Number.isNaN(mine) || Number.isNaN(other)) continue;
    shared += 1;
    sum += Math.abs(mine - other);
  }
  if (shared < MIN_SHARED_INDICATORS) return undefined;
  return { closeness: 1 - sum / shared, shared };
}

/** The points and reasons of one candidate for one town. */
export function scorePeer(town: SimilarityTown, candidate: SimilarityTown, positions: ReadonlyMap<number, ReadonlyMap<string, number>>): { score: number; reasons: PeerReason[] } {
  const reasons: PeerReason[] = [];
  const arrays = positionArrays(positions);
  const score = pointsOf(town, candidate, arrays.get(town.id), arrays.get(candidate.id), reasons);
  return { score, reasons };
}

/**
 * The points of one candidate for one town, each match's reason pushed onto `reasons`
 * when given: similarTowns scores a thousand candidates without them and asks for the
 * reasons of its five peers only.
 */
function pointsOf(
  town: SimilarityTown,
  candidate: SimilarityTown,
  townPositions: Float64Array | undefined,
  candidatePositions: Float64Array | undefined,
  reasons?: PeerReason[],
): number {
  let score = 0;
  if (town.mainIndustry && candidate.mainIndustry === town.mainIndustry) {
    score += POINTS.industry;
    reasons?.push({ kind: 'industry', industry: town.mainIndustry });
  }
  if (town.population !== null && candidate.population !== null) {
    const mine = bandIndex(town.population);
    const theirs = bandIndex(candidate.population);
    if (mine === theirs) {
      score += POINTS.populationBand;
      reasons?.push({ kind: 'population', band: populationBand(mine) });
    } else if (Math.abs(mine - theirs) === 1) {
      score += POINTS.populationNear;
      reasons?.push({ kind: 'populationNear' });
    }
  }
  if (candidate.region === town.region) {
    score += POINTS.region;
    reasons?.push({ kind: 'region', region: town.region });
  }
  const shape = arrayCloseness(townPositions, candidatePositions);
  if (shape && shape.closeness >= MIN_CLOSENESS) {
    // Rounded to tenths so engines' float sums never reorder equal towns.
    score += Math.round(POINTS.indicators * shape.closeness * 10) / 10;
    reasons?.push({ kind: 'indicators', count: shape.shared });
  }
  return score;
}

/** How far apart two populations are (log scale); unknown counts as far. */
function populationDistance(a: number | null, b: number | null): number {
  return a === null || b === null ? Infinity : Math.abs(Math.log(a) - Math.log(b));
}

/**
 * What scoring reads of every candidate, as parallel arrays (codes for industry and
 * region, population bands, positions side by side), made once per list of towns and
 * positions and kept with them: a profile's first view scores a thousand candidates, and
 * reading them through objects and maps cost it more than the scoring itself.
 */
interface Candidates {
  /** Each text (industry, region) as a small number; the same text, the same number. */
  codes: Map<string, number>;
  industry: Int32Array;
  region: Int32Array;
  /** The population band's index, -1 when the population is unknown. */
  band: Int8Array;
  /** Every town's positions, INDICATORS.length per town (NaN where it has none). */
  positions: Float64Array;
  /** Whether the town has positions at all (else its shape is never compared). */
  placed: Uint8Array;
}

const candidatesOf = new WeakMap<readonly SimilarityTown[], WeakMap<ReadonlyMap<number, ReadonlyMap<string, number>>, Candidates>>();

function candidates(towns: readonly SimilarityTown[], positions: ReadonlyMap<number, ReadonlyMap<string, number>>): Candidates {
  let byPositions = candidatesOf.get(towns);
  if (!byPositions) candidatesOf.set(towns, (byPositions = new WeakMap()));
  let kept = byPositions.get(positions);
  if (kept) return kept;
  const arrays = positionArrays(positions);
  const count = towns.length;
  const width = INDICATORS.length;
  kept = { codes: new Map(), industry: new Int32Array(count), region: new Int32Array(count), band: new Int8Array(count), positions: new Float64Array(count * width), placed: new Uint8Array(count) };
  const code = (text: string | null) => {
    if (text === null) return -1;
    let known = kept!.codes.get(text);
    if (known === undefined) kept!.codes.set(text, (known = kept!.codes.size));
    return known;
  };
  towns.forEach((town, index) => {
    kept!.industry[index] = code(town.mainIndustry || null);
    kept!.region[index] = code(town.region);
    kept!.band[index] = town.population === null ? -1 : bandIndex(town.population);
    const own = arrays.get(town.id);
    if (own) {
      kept!.positions.set(own, index * width);
      kept!.placed[index] = 1;
    }
  });
  byPositions.set(positions, kept);
  return kept;
}

/** The PEER_COUNT towns most like `town` among `towns`, best first, each with its reasons (`positions` from indicatorPositions). */
export function similarTowns<T extends SimilarityTown>(town: SimilarityTown, towns: readonly T[], positions: ReadonlyMap<number, ReadonlyMap<string, number>>, count = PEER_COUNT): Array<ScoredPeer<T>> {
  // Every candidate is scored from the kept arrays (the same sums in the same order as
  // pointsOf, so the same points), and only the best `count` are kept, in order
  // (insertion into a short list); pointsOf then gives the five peers their reasons.
  if (count <= 0) return [];
  const arrays = positionArrays(positions);
  const own = arrays.get(town.id);
  const all = candidates(towns, positions);
  const width = INDICATORS.length;
  const industry = town.mainIndustry ? (all.codes.get(town.mainIndustry) ?? -2) : -3;
  const region = all.codes.get(town.region) ?? -2;
  const band = town.population === null ? -1 : bandIndex(town.population);
  const best: Array<{ town: T; score: number; distance: number }> = [];
  const before = (a: { town: T; score: number; distance: number }, b: { town: T; score: number; distance: number }) =>
    b.score - a.score || a.distance - b.distance || (a.town.slug < b.town.slug ? -1 : a.town.slug > b.town.slug ? 1 : 0);
  for (let index = 0; index < towns.length; index++) {
    const candidate = towns[index]!;
    if (candidate.id === town.id) continue;
    let score = 0;
    if (all.industry[index] === industry) score += POINTS.industry;
    const theirs = all.band[index]!;
    if (band !== -1 && theirs !== -1) {
      if (band === theirs) score += POINTS.populationBand;
      else if (Math.abs(band - theirs) === 1) score += POINTS.populationNear;
    }
    if (all.region[index] === region) score += POINTS.region;
    if (own && all.placed[index] === 1) {
      let shared = 0;
      let sum = 0;
      const offset = index * width;
      for (let indicator = 0; indicator < width; indicator++) {
        const mine = own[indicator]!;
        const other = all.positions[offset + indicator]!;
        if (Number.isNaN(mine) || Number.isNaN(other)) continue;
        shared += 1;
        sum += Math.abs(mine - other);
      }
      if (shared >= MIN_SHARED_INDICATORS) {
        const closeness = 1 - sum / shared;
        if (closeness >= MIN_CLOSENESS) score += Math.round(POINTS.indicators * closeness * 10) / 10;
      }
    }
    if (score <= 0) continue;
    const last = best[count - 1];
    if (best.length === count && last && last.score > score) continue;
    const entry = { town: candidate, score, distance: populationDistance(town.population, candidate.population) };
    if (best.length === count && before(entry, last!) >= 0) continue;
    let at = best.length;
    while (at > 0 && before(entry, best[at - 1]!) < 0) at -= 1;
    best.splice(at, 0, entry);
    if (best.length > count) best.pop();
  }
  return best.map((peer) => {
    const reasons: PeerReason[] = [];
    pointsOf(town, peer.town, own, arrays.get(peer.town.id), reasons);
    return { town: peer.town, score: peer.score, reasons };
  });
}

/** Figures by town, kept with the list (the same kept array for every profile while figures are unchanged). */
const byTownOfList = new WeakMap<readonly LatestFigure[], Map<number, LatestFigure[]>>();
function figuresByTown(figures: readonly LatestFigure[]): Map<number, LatestFigure[]> {
  let byTown = byTownOfList.get(figures);
  if (!byTown) {
    byTown = new Map();
    for (const figure of figures) {
      const list = byTown.get(figure.townId);
      if (list) list.push(figure);
      else byTown.set(figure.townId, [figure]);
    }
    byTownOfList.set(figures, byTown);
  }
  return byTown;
}

/**
 * The indicator a comparison of these towns shows best: the one most of them have
 * published, the catalogue's order breaking ties; undefined when none has any.
 */
export function bestSharedIndicator(townIds: readonly number[], figures: readonly LatestFigure[]): string | undefined {
  const byTown = figuresByTown(figures);
  const townsOf = new Map<string, Set<number>>();
  for (const townId of new Set(townIds)) {
    for (const figure of byTown.get(townId) ?? []) {
      let towns = townsOf.get(figure.indicator);
      if (!towns) townsOf.set(figure.indicator, (towns = new Set()));
      towns.add(figure.townId);
    }
  }
  let best: { id: string; towns: number } | undefined;
  for (const indicator of INDICATORS) {
    const towns = townsOf.get(indicator.id)?.size ?? 0;
    if (towns > 0 && (!best || towns > best.towns)) best = { id: indicator.id, towns };
  }
  return best?.id;
}
