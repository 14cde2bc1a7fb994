import { scaleLinear } from 'd3-scale';
import { line, symbol, symbolCircle, symbolCross, symbolDiamond, symbolSquare, symbolStar, symbolTriangle, symbolWye } from 'd3-shape';

/** One line of a chart: a label and its points by year. */
export interface SeriesInput {
  key: string;
  label: string;
  points: ReadonlyArray<{ period: number; value: number }>;
}

/** A point placed on the chart. */
export interface PlacedPoint {
  period: number;
  value: number;
  x: number;
  y: number;
}

/** A series placed on the chart: its path, its points and the marker drawn at each. */
export interface PlacedSeries {
  key: string;
  label: string;
  /** SVG path data of the line through the points. */
  path: string;
  points: PlacedPoint[];
  /** SVG path data of the marker shape, centred on 0,0 (each series has its own shape). */
  marker: string;
  /** Dash pattern of the line, so lines differ without colour too ('' is solid). */
  dash: string;
  /** Colour index (0–7), for the stylesheet. */
  tone: number;
  /** Where the series' label is written: after its last point. */
  labelAt: { x: number; y: number } | undefined;
}

/** A chart's geometry: everything the SVG needs, no markup. */
export interface ChartGeometry {
  width: number;
  height: number;
  plot: { left: number; right: number; top: number; bottom: number };
  xTicks: Array<{ period: number; x: number }>;
  yTicks: Array<{ value: number; y: number }>;
  series: PlacedSeries[];
}

const SHAPES = [symbolCircle, symbolSquare, symbolTriangle, symbolDiamond, symbolCross, symbolStar, symbolWye, symbolCircle];
const DASHES = ['', '6 3', '2 3', '8 3 2 3', '', '6 3', '2 3', '8 3 2 3'];

/** The most lines one chart may show and still be told apart by marker shape. */
export const MAX_SERIES = SHAPES.length;

/**
 * Lays out a line chart over years with d3-scale and d3-shape: linear scales for year
 * and value (nice round ticks), one path per series, one marker per value. A missing
 * year breaks the line; markers stand only where there are values.
 */
export function layoutChart(
  input: readonly SeriesInput[],
  options: { width?: number; height?: number; labelSpace?: number; includeZero?: boolean } = {},
): ChartGeometry {
  const width = options.width ?? 640;
  const height = options.height ?? 280;
  const plot = { left: 76, right: width - (options.labelSpace ?? 24), top: 16, bottom: height - 36 };
  const all = input.flatMap((series) => series.points);
  const periods = all.map((point) => point.period);
  const values = all.map((point) => point.value);
  const first = periods.length ? Math.min(...periods) : new Date().getUTCFullYear() - 1;
  const last = periods.length ? Math.max(...periods) : first + 1;
  // One year alone would collapse the scale: give it a year either side.
  const xDomain: [number, number] = first === last ? [first - 1, last + 1] : [first, last];
  let low = values.length ? Math.min(...values) : 0;
  let high = values.length ? Math.max(...values) : 1;
  if (options.includeZero && low > 0) low = 0;
  if (low === high) [low, high] = [low - Math.max(1, Math.abs(low) * 0.1), high + Math.max(1, Math.abs(high) * 0.1)];

  const x = scaleLinear().domain(xDomain).range([plot.left, plot.right]);
  const y = scaleLinear().domain([low, high]).nice(5).range([plot.bottom, plot.top]);
  const round = (n: number) => Math.round(n * 10) / 10;
  // A missing year breaks the line (null), so a gap is never drawn as if it were data.
  const path = line<PlacedPoint | null>()
    .defined((point) => point !== null)
    .x((point) => point!.x)
    .y((point) => point!.y);
  const withGaps = (points: PlacedPoint[]) => points.flatMap((point, index) => (index > 0 && point.period - points[index - 1]!.period > 1 ? [null, point] : [point]));

  const yearSpan = xDomain[1] - xDomain[0];
  const xTicks = x
    .ticks(Math.min(yearSpan, 8))
    .filter((tick) => Number.isInteger(tick))
    .map((period) => ({ period, x: round(x(period)) }));
  const yTicks = y.ticks(5).map((value) => ({ value, y: round(y(value)) }));

  const series = input.map((item, index): PlacedSeries => {
    const points = [...item.points]
      .sort((a, b) => a.period - b.period)
      .map((point) => ({ period: point.period, value: point.value, x: round(x(point.period)), y: round(y(point.value)) }));
    const lastPoint = points.at(-1);
    return {
      key: item.key,
      label: item.label,
      path: points.length > 1 ? (path(withGaps(points)) ?? '') : '',
      points,
      marker: symbol(SHAPES[index % SHAPES.length]!, 56)() ?? '',
      dash: DASHES[index % DASHES.length]!,
      tone: index % SHAPES.length,
      labelAt: lastPoint ? { x: lastPoint.x + 8, y: lastPoint.y + 4 } : undefined,
    };
  });
  // Labels at the ends of lines that end close together are moved apart, top to bottom.
  let below = -Infinity;
  for (const item of series.filter((candidate) => candidate.labelAt).sort((a, b) => a.labelAt!.y - b.labelAt!.y)) {
    item.labelAt!.y = Math.max(item.labelAt!.y, below + 14);
    below = item.labelAt!.y;
  }
  return { width, height, plot, xTicks, yTicks, series };
}
