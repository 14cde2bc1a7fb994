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
  /** The town's place among towns with a published value for the latest year (1 = best). */
  rank: { position: number; of: number; period: number } | undefined;
}

/**
 * Competition rank ("1, 2, 2, 4") of `value` among `values`, best first, so towns with the
 * same figure share a place. `values` includes the town's own.
 */
export function rankOf(value: number, values: readonly number[], direction: Indicator['direction']): number {
  const better = values.filter((other) => (direction === 'higher' ? other > value : other < value)).length;
  return better + 1;
}

/** The latest year of each indicator the town has a value for: the years peer ranks need. */
export function latestPeriods(values: readonly IndicatorValue[]): number[] {
  const latest = new Map<string, number>();
  for (const value of values) latest.set(value.indicator, Math.max(latest.get(value.indicator) ?? -Infinity, value.period));
  return [...new Set(latest.values())];
}

/**
 * The dashboard of one town: for every catalogue indicator, its series, latest value,
 * change on the previous year and rank among peers. Pure: the page loads the town's
 * values and the peers' values for the latest years (two queries) and passes them here.
 */
export function buildDashboard(townId: number, own: readonly IndicatorValue[], peers: readonly IndicatorValue[]): IndicatorPanel[] {
  return INDICATORS.map((indicator) => {
    const values = own.filter((value) => value.indicator === indicator.id).sort((a, b) => a.period - b.period);
    const latest = values.at(-1);
    const previous = values.at(-2);
    const change = latest && previous ? latest.value - previous.value : undefined;
    const improved = change === undefined || change === 0 ? undefined : (change > 0) === (indicator.direction === 'higher');
    let rank: IndicatorPanel['rank'];
    if (latest) {
      const others = peers.filter((peer) => peer.indicator === indicator.id && peer.period === latest.period && peer.townId !== townId);
      const all = [latest.value, ...others.map((peer) => peer.value)];
      rank = { position: rankOf(latest.value, all, indicator.direction), of: all.length, period: latest.period };
    }
    return { indicator, values, latest, previous, change, improved, rank };
  });
}
