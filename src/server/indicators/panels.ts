import { INDICATORS, type Indicator } from '~/lib/indicators/catalogue.ts';
import type { IndicatorValue } from './values.ts';

/** What the dashboard shows for one indicator of one town. */
export interface IndicatorPanel {
  indicator: Indicator;
  /** The town's values, oldest first. */
  values: IndicatorValue[];
  latest: IndicatorValue | undefined;
  previous: IndicatorValue | undefined;
  /** Latest minus previous, when both exist. */
  change: number | undefined;
  /** Whether the change is good news, given the indicator's direction (undefined when flat or unknown). */
  improved: boolean | undefined;
  /**
   * The town's place (1 = best) among the towns that published a value for the year of
   * its latest published value: `of` towns published; `position` only when at least
   * RANK_THRESHOLD did (a place among two says little). Undefined when the town has
   * published nothing for this indicator: an unpublished figure is never ranked.
   */
  rank: { position: number | undefined; of: number; period: number } | undefined;
}

/** How many towns must publish a figure for the same year before a town's place among them is shown. */
export const RANK_THRESHOLD = 5;

/**
 * Competition rank ("1, 2, 2, 4") of `value` among `values`, best first, so towns with the
 * same figure share a place. `values` includes the town's own.
 */
export function rankOf(value: number, values: readonly number[], direction: Indicator['direction']): number {
  const better = values.filter((other) => (direction === 'higher' ? other > value : other < value)).length;
  return better + 1;
}

/** The published figures of one indicator and year, ready for ranking. */
interface RankedGroup {
  /** Every town's figure, ascending. */
  ascending: Float64Array;
  /** Each town's figure, by town id. */
  byTown: Map<number, number>;
}

/**
 * Peers' published figures by indicator and year (`indicator|period`), sorted, kept with
 * the list: it is the same kept array for every profile while figures are unchanged
 * (src/server/indicators/values.ts). A town's place is then two binary searches, where
 * counting through every town's figure (10,000 a year at national scale) cost every
 * profile view.
 */
const peersGrouped = new WeakMap<readonly IndicatorValue[], Map<string, RankedGroup>>();
function peersByIndicatorAndPeriod(peers: readonly IndicatorValue[]): Map<string, RankedGroup> {
  let grouped = peersGrouped.get(peers);
  if (!grouped) {
    const lists = new Map<string, IndicatorValue[]>();
    for (const peer of peers) {
      if (peer.publishedAt === null) continue;
      const key = `${peer.indicator}|${peer.period}`;
      const list = lists.get(key);
      if (list) list.push(peer);
      else lists.set(key, [peer]);
    }
    grouped = new Map();
    for (const [key, list] of lists) {
      grouped.set(key, { ascending: Float64Array.from(list, (peer) => peer.value).sort(), byTown: new Map(list.map((peer) => [peer.townId, peer.value])) });
    }
    peersGrouped.set(peers, grouped);
  }
  return grouped;
}

/** How many of `ascending` are below `value` (`strictlyAbove`: above it). */
function countBeyond(ascending: Float64Array, value: number, strictlyAbove: boolean): number {
  let low = 0;
  let high = ascending.length;
  // The first index whose figure is above `value` (or at least `value` when counting below).
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (strictlyAbove ? ascending[middle]! <= value : ascending[middle]! < value) low = middle + 1;
    else high = middle;
  }
  return strictlyAbove ? ascending.length - low : low;
}

/**
 * The town's place among the towns that published a figure for the same indicator and
 * year: `rankOf` over its figure and the others' (its own kept figure left out).
 */
function placeAmong(group: RankedGroup | undefined, townId: number, own: number, direction: Indicator['direction']): { better: number; of: number } {
  if (!group) return { better: 0, of: 1 };
  const higher = direction === 'higher';
  let better = countBeyond(group.ascending, own, higher);
  let of = group.ascending.length + 1;
  const kept = group.byTown.get(townId);
  if (kept !== undefined) {
    of -= 1;
    if (higher ? kept > own : kept < own) better -= 1;
  }
  return { better, of };
}

/** The latest year of each indicator the town has published a value for: the years peer ranks need. */
export function latestPeriods(values: readonly IndicatorValue[]): number[] {
  const latest = new Map<string, number>();
  for (const value of values) {
    if (value.publishedAt === null) continue;
    latest.set(value.indicator, Math.max(latest.get(value.indicator) ?? -Infinity, value.period));
  }
  return [...new Set(latest.values())];
}

/**
 * The dashboard of one town: for every catalogue indicator, its series, latest value,
 * change on the previous year and rank among peers. Pure: the page loads the town's
 * values and the peers' published values for the latest years (two queries) and passes
 * them here. Ranks use published values only, the town's own included, whatever the
 * viewer sees.
 */
export function buildDashboard(townId: number, own: readonly IndicatorValue[], peers: readonly IndicatorValue[]): IndicatorPanel[] {
  const peersOf = peersByIndicatorAndPeriod(peers);
  return INDICATORS.map((indicator) => {
    const values = own.filter((value) => value.indicator === indicator.id).sort((a, b) => a.period - b.period);
    const latest = values.at(-1);
    const previous = values.at(-2);
    const change = latest && previous ? latest.value - previous.value : undefined;
    const improved = change === undefined || change === 0 ? undefined : (change > 0) === (indicator.direction === 'higher');
    let rank: IndicatorPanel['rank'];
    const latestPublished = values.filter((value) => value.publishedAt !== null).at(-1);
    if (latestPublished) {
      const { better, of } = placeAmong(peersOf.get(`${indicator.id}|${latestPublished.period}`), townId, latestPublished.value, indicator.direction);
      rank = { position: of >= RANK_THRESHOLD ? better + 1 : undefined, of, period: latestPublished.period };
    }
    return { indicator, values, latest, previous, change, improved, rank };
  });
}
