import { describe, expect, it } from 'vitest';
import { layoutChart, MAX_SERIES } from '~/lib/indicators/chart.ts';
import { buildDashboard, latestPeriods, RANK_THRESHOLD, rankOf } from '~/server/indicators/panels.ts';
import type { IndicatorValue } from '~/server/indicators/values.ts';

const points = (pairs: Array<[number, number]>) => pairs.map(([period, value]) => ({ period, value }));

describe('chart layout', () => {
  it('places one point per value, inside the plot, oldest on the left', () => {
    const chart = layoutChart([{ key: 'ridder', label: 'Ridder', points: points([[2021, 4.8], [2019, 4.6], [2020, 4.7]]) }]);
    const [series] = chart.series;
    expect(series!.points.map((point) => point.period)).toEqual([2019, 2020, 2021]);
    for (const point of series!.points) {
      expect(point.x).toBeGreaterThanOrEqual(chart.plot.left);
      expect(point.x).toBeLessThanOrEqual(chart.plot.right);
      expect(point.y).toBeGreaterThanOrEqual(chart.plot.top);
      expect(point.y).toBeLessThanOrEqual(chart.plot.bottom);
    }
    // Higher values are higher up (smaller y).
    expect(series!.points[2]!.y).toBeLessThan(series!.points[0]!.y);
    expect(series!.path).toMatch(/^M[\d.]+,[\d.]+L/);
  });

  it('breaks the line at a missing year instead of drawing through it', () => {
    const chart = layoutChart([{ key: 'a', label: 'A', points: points([[2013, 5], [2014, 4.8], [2019, 4.6], [2020, 4.7]]) }]);
    expect(chart.series[0]!.points).toHaveLength(4);
    expect(chart.series[0]!.path.match(/M/g)).toHaveLength(2);
  });

  it('copes with a single value and with none', () => {
    const one = layoutChart([{ key: 'a', label: 'A', points: points([[2024, 10]]) }]);
    expect(one.series[0]!.points).toHaveLength(1);
    expect(one.series[0]!.path).toBe('');
    expect(Number.isFinite(one.series[0]!.points[0]!.y)).toBe(true);
    const none = layoutChart([{ key: 'a', label: 'A', points: [] }]);
    expect(none.series[0]!.points).toEqual([]);
  });

  it('gives every series its own marker shape, so lines differ without colour', () => {
    const input = Array.from({ length: MAX_SERIES }, (_, index) => ({ key: `t${index}`, label: `Town ${index}`, points: points([[2020, index], [2021, index + 1]]) }));
    const chart = layoutChart(input);
    const shapes = new Set(chart.series.slice(0, 7).map((series) => series.marker));
    expect(shapes.size).toBe(7);
    // The eighth shares the circle but not the dash of the first.
    expect(chart.series[7]!.dash).not.toBe(chart.series[0]!.dash);
  });

  it('keeps line labels apart when lines end close together', () => {
    const chart = layoutChart([
      { key: 'a', label: 'A', points: points([[2020, 10], [2021, 10]]) },
      { key: 'b', label: 'B', points: points([[2020, 10], [2021, 10.01]]) },
    ]);
    const [a, b] = chart.series.map((series) => series.labelAt!.y);
    expect(Math.abs(a! - b!)).toBeGreaterThanOrEqual(14);
  });
});

describe('ranks among peers', () => {
  it('counts better towns, respecting the direction, and shares places on ties', () => {
    expect(rankOf(5, [5, 4, 6, 5], 'higher')).toBe(2);
    expect(rankOf(5, [5, 4, 6, 5], 'lower')).toBe(2);
    expect(rankOf(4, [5, 4, 6], 'lower')).toBe(1);
    expect(rankOf(4, [5, 4, 6], 'higher')).toBe(3);
  });

  const value = (townId: number, indicator: string, period: number, amount: number, published = true): IndicatorValue => ({
    id: townId * 1000 + period,
    townId,
    indicator,
    period,
    value: amount,
    sourceNote: 'test',
    illustrative: false,
    publishedAt: published ? 1 : null,
    updatedAt: 1,
  });

  it('builds each panel: latest, change on the year before, and rank for the latest year', () => {
    const own = [value(1, 'unemployment-rate', 2013, 5.0), value(1, 'unemployment-rate', 2014, 4.8)];
    const peers = [value(2, 'unemployment-rate', 2014, 4.4), value(3, 'unemployment-rate', 2014, 5.4), value(4, 'unemployment-rate', 2013, 1.0), ...own];
    const panel = buildDashboard(1, own, peers).find((candidate) => candidate.indicator.id === 'unemployment-rate')!;
    expect(panel.latest?.value).toBe(4.8);
    expect(panel.change).toBeCloseTo(-0.2);
    expect(panel.improved).toBe(true);
    // Three towns published a 2014 figure: fewer than RANK_THRESHOLD, so no place is given.
    expect(panel.rank).toEqual({ position: undefined, of: 3, period: 2014 });
    const empty = buildDashboard(1, own, peers).find((candidate) => candidate.indicator.id === 'air-quality')!;
    expect(empty).toMatchObject({ latest: undefined, change: undefined, rank: undefined });
  });

  it('places a town among published figures only, once RANK_THRESHOLD towns published that year', () => {
    expect(RANK_THRESHOLD).toBe(5);
    const own = [value(1, 'unemployment-rate', 2014, 4.8)];
    const peers = [4.4, 5.4, 6.0, 7.1].map((amount, index) => value(index + 2, 'unemployment-rate', 2014, amount));
    const unpublishedPeer = value(9, 'unemployment-rate', 2014, 1.0, false);
    const panel = buildDashboard(1, own, [...peers, unpublishedPeer, ...own]).find((candidate) => candidate.indicator.id === 'unemployment-rate')!;
    // 4.4, 4.8, 5.4, 6.0, 7.1 (lower is better); the unpublished 1.0 is not a competitor.
    expect(panel.rank).toEqual({ position: 2, of: 5, period: 2014 });
    expect(latestPeriods(own)).toEqual([2014]);
  });

  it('places a town as rankOf does, with ties, either direction, and its own figure missing from the peers or different there', () => {
    const own = [value(1, 'average-wage', 2024, 300)];
    const others = [250, 300, 300, 310, 400, 100].map((amount, index) => value(index + 2, 'average-wage', 2024, amount));
    const rankWith = (peers: IndicatorValue[]) => buildDashboard(1, own, peers).find((candidate) => candidate.indicator.id === 'average-wage')!.rank;
    // Higher is better: 400 and 310 are better; the two other 300s share its place.
    expect(rankWith([...others, ...own])).toEqual({ position: rankOf(300, [300, ...others.map((peer) => peer.value)], 'higher'), of: 7, period: 2024 });
    expect(rankWith([...others, ...own])!.position).toBe(3);
    // The peers read before its figure was published (not there), or before it was corrected (another figure there).
    expect(rankWith(others)).toEqual({ position: 3, of: 7, period: 2024 });
    expect(rankWith([...others, value(1, 'average-wage', 2024, 999)])).toEqual({ position: 3, of: 7, period: 2024 });
    const lower = [value(1, 'unemployment-rate', 2024, 5)];
    const peers = [4, 5, 6, 3, 5].map((amount, index) => value(index + 2, 'unemployment-rate', 2024, amount));
    const panel = buildDashboard(1, lower, [...peers, ...lower]).find((candidate) => candidate.indicator.id === 'unemployment-rate')!;
    expect(panel.rank).toEqual({ position: rankOf(5, [5, 4, 5, 6, 3, 5], 'lower'), of: 6, period: 2024 });
    expect(panel.rank!.position).toBe(3);
  });

  it('never ranks an unpublished figure: the rank is for the latest published year, or there is none', () => {
    const draft = [value(1, 'unemployment-rate', 2015, 3.0, false)];
    const alone = buildDashboard(1, draft, []).find((candidate) => candidate.indicator.id === 'unemployment-rate')!;
    expect(alone.latest?.value).toBe(3.0);
    expect(alone.rank).toBeUndefined();
    expect(latestPeriods(draft)).toEqual([]);
    const own = [value(1, 'unemployment-rate', 2014, 4.8), ...draft];
    const peers = [4.4, 5.4, 6.0, 7.1].map((amount, index) => value(index + 2, 'unemployment-rate', 2014, amount));
    const panel = buildDashboard(1, own, [...peers, own[0]!]).find((candidate) => candidate.indicator.id === 'unemployment-rate')!;
    expect(panel.rank).toEqual({ position: 2, of: 5, period: 2014 });
  });
});
