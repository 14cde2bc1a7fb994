import type { Language, Translate } from '~/i18n/index.ts';
import { escapeHtml } from '~/lib/html.ts';
import type { Indicator } from './catalogue.ts';
import type { ChartGeometry } from './chart.ts';
import { formatIndicatorValue, formatTick } from './format.ts';

/*
 * A line chart as one HTML string: the SVG and the table of its figures. A town profile
 * draws ten charts of about a hundred elements each; as Astro expressions every element
 * and attribute was a render step, and they cost most of the page's CPU (README: speed).
 * Every text and attribute value goes through `escapeHtml`; the numbers of the geometry
 * are numbers. The stylesheet is src/styles/chart.css (no scoped attributes here).
 */

/** What a chart shows and how. */
export interface ChartHtmlInput {
  /** Unique on the page: the ids of the title, description and table derive from it. */
  id: string;
  /** What the chart shows, e.g. "Unemployment rate, %, Ridder". */
  title: string;
  /** A sentence a screen reader reads instead of looking at the lines. */
  summary: string;
  geometry: ChartGeometry;
  /** The indicator shown: values and ticks get its decimals. */
  indicator: Pick<Indicator, 'decimals'>;
  /** Whether the figures table is shown to everyone (else to screen readers only). */
  tableVisible?: boolean;
  /** A wide chart (several labelled lines) may grow larger on a wide screen. */
  wide?: boolean;
}

/**
 * A line chart rendered on the server as SVG: readable without JavaScript, one marker
 * shape and dash pattern per line (not colour alone), labelled lines, and the same
 * figures as a table. The SVG is an image with a title and a description.
 */
export function chartHtml(input: ChartHtmlInput, lang: Language, t: Translate): string {
  const { id, title, summary, geometry, indicator, tableVisible = false, wide = false } = input;
  const { plot } = geometry;
  const periods = [...new Set(geometry.series.flatMap((series) => series.points.map((point) => point.period)))].sort((a, b) => a - b);
  const many = geometry.series.length > 1;
  const escapedId = escapeHtml(id);
  const escapedTitle = escapeHtml(title);

  let grid = '';
  for (const tick of geometry.yTicks) {
    grid += `<g><line x1="${plot.left}" x2="${plot.right}" y1="${tick.y}" y2="${tick.y}"></line><text x="${plot.left - 8}" y="${tick.y + 4}" text-anchor="end">${escapeHtml(formatTick(tick.value, indicator, lang))}</text></g>`;
  }
  for (const tick of geometry.xTicks) grid += `<text x="${tick.x}" y="${plot.bottom + 22}" text-anchor="middle">${tick.period}</text>`;
  grid += `<line class="chart__axis" x1="${plot.left}" x2="${plot.right}" y1="${plot.bottom}" y2="${plot.bottom}"></line>`;

  let lines = '';
  for (const series of geometry.series) {
    lines += `<g class="chart__series chart__series--${series.tone}" data-series="${escapeHtml(series.key)}">`;
    if (series.path) lines += `<path class="chart__line" d="${series.path}"${series.dash ? ` stroke-dasharray="${series.dash}"` : ''}></path>`;
    for (const point of series.points) {
      lines += `<path class="chart__point" d="${series.marker}" transform="translate(${point.x},${point.y})" data-period="${point.period}" data-value="${point.value}"></path>`;
    }
    if (many && series.labelAt) lines += `<text class="chart__label" x="${series.labelAt.x}" y="${series.labelAt.y}">${escapeHtml(series.label)}</text>`;
    lines += '</g>';
  }

  const missing = escapeHtml(t('dashboard.missing'));
  let rows = '';
  for (const period of periods) {
    rows += `<tr><th scope="row">${period}</th>`;
    for (const series of geometry.series) {
      const point = series.points.find((candidate) => candidate.period === period);
      rows += `<td>${point ? escapeHtml(formatIndicatorValue(point.value, indicator, lang)) : missing}</td>`;
    }
    rows += '</tr>';
  }
  const heads = geometry.series.map((series) => `<th scope="col">${escapeHtml(series.label)}</th>`).join('');
  const wrap = tableVisible ? `<div class="table-wrap" tabindex="0" role="region" aria-labelledby="${escapedId}-caption">` : '<div class="visually-hidden">';

  return (
    `<figure class="chart">` +
    `<svg class="chart__svg${wide ? ' chart__svg--wide' : ''}" viewBox="0 0 ${geometry.width} ${geometry.height}" width="${geometry.width}" height="${geometry.height}" role="img" aria-labelledby="${escapedId}-title ${escapedId}-desc" preserveAspectRatio="xMinYMin meet">` +
    `<title id="${escapedId}-title">${escapedTitle}</title>` +
    `<desc id="${escapedId}-desc">${escapeHtml(summary)}</desc>` +
    `<g class="chart__grid" aria-hidden="true">${grid}</g>` +
    lines +
    `</svg>` +
    wrap +
    `<table id="${escapedId}-table"><caption id="${escapedId}-caption">${escapedTitle}</caption>` +
    `<thead><tr><th scope="col">${escapeHtml(t('dashboard.year'))}</th>${heads}</tr></thead>` +
    `<tbody>${rows}</tbody></table></div>` +
    `</figure>`
  );
}
