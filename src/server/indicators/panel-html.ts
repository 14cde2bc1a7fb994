import type { Language, Translate } from '~/i18n/index.ts';
import { BoundedCache } from '~/lib/bounded-cache.ts';
import { escapeHtml } from '~/lib/html.ts';
import { chartHtml } from '~/lib/indicators/chart-html.ts';
import { layoutChart } from '~/lib/indicators/chart.ts';
import { formatIndicatorValue } from '~/lib/indicators/format.ts';
import { RANK_THRESHOLD, type IndicatorPanel } from './panels.ts';

/*
 * A town dashboard's indicator panels (figures, change, rank, chart, sources) as HTML
 * strings. Rendered as Astro components they were most of a town profile's CPU (ten
 * charts of about a hundred elements, each element and attribute a render step). A
 * panel's HTML is a pure function of the language and of what the key below names
 * (the town's name and slug, the indicator, the town's figures as the viewer sees them,
 * and its rank), so it is kept by that key, least recently used dropped first: a new,
 * corrected or published figure, a rank moved by another town or a renamed town is a
 * new key, seen at the next view in every process, and no change counter is needed.
 * The stylesheet is src/styles/chart.css (no scoped attributes on these elements).
 */

/** At most this many characters of panels (keys included) per process, about 10–20 MB. */
const KEPT_CHARACTERS = 8_000_000;
const kept = new BoundedCache<string, string>(KEPT_CHARACTERS, (key, html) => key.length + html.length);

/** Everything a panel's HTML depends on besides the dictionaries and the catalogue (which come with a release). */
function panelKey(panel: IndicatorPanel, townName: string, townSlug: string, lang: Language): string {
  let key = `${lang}\u0000${townSlug}\u0000${townName}\u0000${panel.indicator.id}`;
  const { rank } = panel;
  key += rank ? `\u0000${rank.position ?? ''}/${rank.of}/${rank.period}` : '\u0000-';
  for (const value of panel.values) {
    key += `\u0000${value.period}:${value.value}:${value.illustrative ? 1 : 0}${value.publishedAt === null ? 'u' : 'p'}:${value.sourceNote}`;
  }
  return key;
}

/** The indicator panels of a town's dashboard, in their order, as one HTML string. */
export function indicatorPanelsHtml(panels: readonly IndicatorPanel[], townName: string, townSlug: string, lang: Language, t: Translate): string {
  let html = '';
  for (const panel of panels) html += kept.get(panelKey(panel, townName, townSlug, lang), () => flat(indicatorPanelHtml(panel, townName, townSlug, lang, t)));
  return html;
}

/**
 * The same text, flattened: a panel is joined from a few hundred pieces, which V8 keeps as
 * a tree of them for as long as the string lives, here as long as it is kept (every piece
 * moved to the old generation and marked at each full collection, and the tree walked
 * again by every page that sends it). Reading a string as a number flattens it in place
 * into one piece (the `flatstr` package's trick); the pieces are then young garbage.
 */
function flat(text: string): string {
  Number(text);
  return text;
}

/** One indicator of a town's dashboard: latest value, change, rank among peers, chart and sources. */
export function indicatorPanelHtml(panel: IndicatorPanel, townName: string, townSlug: string, lang: Language, t: Translate): string {
  const { indicator, values, latest, previous, change, improved, rank } = panel;
  const name = indicator[lang];
  const unit = indicator.unit[lang];
  const format = (value: number) => formatIndicatorValue(value, indicator, lang);
  const id = `indicator-${indicator.id}`;
  const unitHtml = escapeHtml(unit);
  const head =
    `<section class="indicator" aria-labelledby="${id}-heading" id="${id}">` +
    `<h3 id="${id}-heading">${escapeHtml(name)} <span class="indicator__unit">(${unitHtml})</span></h3>` +
    `<p class="indicator__definition">${escapeHtml(indicator.definition[lang])}</p>`;
  if (!latest) return `${head}<p>${escapeHtml(t('dashboard.noValues'))}</p></section>`;

  const first = values[0]!;
  const summary = t('dashboard.chartSummary', { indicator: name, town: townName, first: first.period, last: latest.period, from: format(first.value), to: format(latest.value), unit, count: values.length });
  const illustrative = values.filter((value) => value.illustrative).map((value) => value.period);
  const unpublished = values.filter((value) => value.publishedAt === null).map((value) => value.period);
  const sources = [...new Set(values.filter((value) => !value.illustrative).map((value) => value.sourceNote))];

  let changeHtml: string;
  if (change === undefined) changeHtml = escapeHtml(t('dashboard.noPrevious'));
  else {
    const trend = improved === true ? ' indicator__trend--better' : improved === false ? ' indicator__trend--worse' : '';
    const word = improved === undefined ? t('dashboard.unchanged') : improved ? t('dashboard.better') : t('dashboard.worse');
    changeHtml = `${escapeHtml(formatIndicatorValue(change, indicator, lang, { signed: true }))} <span class="indicator__trend${trend}">${escapeHtml(word)}</span>`;
  }
  let rankHtml = '';
  if (rank) {
    const dd =
      rank.position !== undefined
        ? `<dd>${escapeHtml(t('dashboard.rankValue', { position: rank.position, of: rank.of }))} <span class="hint">(${escapeHtml(indicator.direction === 'higher' ? t('dashboard.higherBetter') : t('dashboard.lowerBetter'))})</span>` +
          ` <span class="indicator__rank-note">${escapeHtml(t('details.rank.among', { period: rank.period, threshold: RANK_THRESHOLD }))}</span></dd>`
        : `<dd class="indicator__rank-note">${escapeHtml(t('details.rank.tooFew', { count: rank.of, period: rank.period, threshold: RANK_THRESHOLD }))}</dd>`;
    rankHtml = `<div><dt>${escapeHtml(t('dashboard.rank', { period: rank.period }))}</dt>${dd}</div>`;
  }
  const geometry = layoutChart([{ key: townSlug, label: townName, points: values }], { width: 480, height: 250 });

  return (
    head +
    `<dl class="indicator__facts">` +
    `<div><dt>${escapeHtml(t('dashboard.latest', { period: latest.period }))}</dt><dd class="indicator__latest" data-value="${latest.value}">${escapeHtml(format(latest.value))} <span class="indicator__unit">${unitHtml}</span></dd></div>` +
    `<div><dt>${escapeHtml(previous ? t('dashboard.changeSince', { period: previous.period }) : t('dashboard.change'))}</dt><dd>${changeHtml}</dd></div>` +
    rankHtml +
    `</dl>` +
    (unpublished.length > 0 ? `<p class="badge badge--note">${escapeHtml(t('dashboard.unpublished', { periods: unpublished.join(', ') }))}</p>` : '') +
    (illustrative.length > 0
      ? `<p class="indicator__illustrative"><span class="badge badge--note">${escapeHtml(t('dashboard.illustrativeBadge'))}</span> ${escapeHtml(t('dashboard.illustrativeYears', { periods: illustrative.join(', ') }))}</p>`
      : '') +
    chartHtml({ id, title: t('dashboard.chartTitle', { indicator: name, unit, town: townName }), summary, geometry, indicator }, lang, t) +
    (sources.length > 0 ? `<p class="source">${escapeHtml(t('dashboard.source'))}: ${escapeHtml(sources.join('; '))}</p>` : '') +
    `</section>`
  );
}
