import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createTranslator, type Language } from '~/i18n/index.ts';
import { findIndicator } from '~/lib/indicators/catalogue.ts';
import { chartHtml } from '~/lib/indicators/chart-html.ts';
import { layoutChart } from '~/lib/indicators/chart.ts';
import { indicatorPanelHtml, indicatorPanelsHtml } from '~/server/indicators/panel-html.ts';
import type { IndicatorPanel } from '~/server/indicators/panels.ts';
import { buildDashboard } from '~/server/indicators/panels.ts';
import type { IndicatorValue } from '~/server/indicators/values.ts';

/**
 * Indicator charts and dashboard panels as HTML strings (src/lib/indicators/chart-html.ts,
 * src/server/indicators/panel-html.ts): the same markup the Astro components drew before
 * (tests/fixtures/indicator-panels-2a14983.json), every text escaped once, and a kept
 * panel never shown for figures that changed.
 */

interface FixturePanel {
  indicator: string;
  values: Array<Pick<IndicatorValue, 'period' | 'value' | 'sourceNote' | 'illustrative' | 'publishedAt'>>;
  rank: IndicatorPanel['rank'];
}
const fixture = JSON.parse(readFileSync(new URL('../fixtures/indicator-panels-2a14983.json', import.meta.url), 'utf8')) as {
  town: { slug: string; name: Record<Language, string> };
  panels: Array<{ lang: Language; panel: FixturePanel; html: string }>;
  compare: { series: Array<{ key: string; label: string; points: Array<{ period: number; value: number }> }>; title: string; summary: string; html: string };
};

/** A panel as buildDashboard makes it, from the fixture's figures. */
function panelOf(input: FixturePanel): IndicatorPanel {
  const values = input.values.map((value, index) => ({ ...value, id: index + 1, townId: 1, indicator: input.indicator, updatedAt: 0 }));
  const [built] = buildDashboard(1, values, []).filter((panel) => panel.indicator.id === input.indicator);
  return { ...built!, rank: input.rank };
}

/**
 * Markup without the whitespace at the edges of elements' content, which Astro's
 * templates left and the strings do not (it changes nothing on screen); the space
 * between a text and a following tag is kept.
 */
function normalised(html: string): string {
  return html
    .replace(/\s+/g, ' ')
    .replace(/>\s+</g, '><')
    .replace(/(<[a-z][^>]*>) /g, '$1')
    .replace(/ (<\/[a-z0-9]+>)/g, '$1');
}

const hostile = `Kara<script>alert("x")</script> & 'Co'`;

describe('the same markup as the Astro components drew', () => {
  it.each(fixture.panels.map((entry) => [entry.lang, entry.panel.indicator, entry] as const))('a %s panel: %s', (_lang, _indicator, entry) => {
    const html = indicatorPanelHtml(panelOf(entry.panel), fixture.town.name[entry.lang], fixture.town.slug, entry.lang, createTranslator(entry.lang));
    expect(normalised(html)).toBe(normalised(entry.html));
  });

  it('the comparison chart: several labelled lines and a visible table', () => {
    const indicator = findIndicator('unemployment-rate')!;
    const geometry = layoutChart(fixture.compare.series, { width: 720, height: 360, labelSpace: 130 });
    const html = chartHtml({ id: 'compare', title: fixture.compare.title, summary: fixture.compare.summary, geometry, indicator, tableVisible: true, wide: true }, 'en', createTranslator('en'));
    expect(normalised(html)).toBe(normalised(fixture.compare.html));
  });
});

describe('escaping', () => {
  const indicator = findIndicator('unemployment-rate')!;
  const geometry = layoutChart(
    [
      { key: `a"b`, label: hostile, points: [{ period: 2023, value: 4.5 }, { period: 2024, value: 4.2 }] },
      { key: 'b', label: 'B & <b>', points: [{ period: 2024, value: 5 }] },
    ],
    { width: 720, height: 360, labelSpace: 130 },
  );
  const html = chartHtml({ id: 'x', title: `${hostile} "title"`, summary: `<desc> & ${hostile}`, geometry, indicator, tableVisible: true }, 'en', createTranslator('en'));

  it('escapes names, titles and descriptions in text and in attributes', () => {
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('<b>');
    expect(html).toContain('Kara&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;Co&#39;');
    expect(html).toContain('<title id="x-title">Kara&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;Co&#39; &quot;title&quot;</title>');
    expect(html).toContain('<desc id="x-desc">&lt;desc&gt; &amp; Kara&lt;script&gt;');
    expect(html).toContain('data-series="a&quot;b"');
    expect(html).toContain('<th scope="col">B &amp; &lt;b&gt;</th>');
    // The title, the caption, the description, the line's label and the table's column.
    expect(html.match(/Kara&lt;script&gt;/g)).toHaveLength(5);
  });

  it('escapes a town name everywhere a panel writes it', () => {
    const values: IndicatorValue[] = [2023, 2024].map((period, index) => ({
      id: index + 1,
      townId: 1,
      indicator: 'unemployment-rate',
      period,
      value: 4 + index,
      sourceNote: `Stat <office> & "co"`,
      illustrative: false,
      publishedAt: 1,
      updatedAt: 1,
    }));
    const [panel] = buildDashboard(1, values, []).filter((candidate) => candidate.indicator.id === 'unemployment-rate');
    const panelHtml = indicatorPanelHtml(panel!, hostile, 'kara', 'ru', createTranslator('ru'));
    expect(panelHtml).not.toContain('<script>');
    expect(panelHtml).not.toContain('<office>');
    expect(panelHtml).toContain('Stat &lt;office&gt; &amp; &quot;co&quot;');
    expect(panelHtml).toContain('Kara&lt;script&gt;');
  });
});

describe('kept panels', () => {
  const values = (latest: number, published: boolean): IndicatorValue[] =>
    [2022, 2023, 2024].map((period, index) => ({
      id: index + 1,
      townId: 7,
      indicator: 'average-wage',
      period,
      value: period === 2024 ? latest : 300_000 + index,
      sourceNote: 'Bureau of statistics',
      illustrative: false,
      publishedAt: period === 2024 && !published ? null : 1,
      updatedAt: 1,
    }));
  const t = createTranslator('en');

  it('shows a changed figure, a published one and another language at once', () => {
    const first = indicatorPanelsHtml(buildDashboard(7, values(351_000, true), []), 'Kentau', 'kentau', 'en', t);
    expect(first).toContain('data-value="351000"');
    expect(indicatorPanelsHtml(buildDashboard(7, values(351_000, true), []), 'Kentau', 'kentau', 'en', t)).toBe(first);
    const corrected = indicatorPanelsHtml(buildDashboard(7, values(352_500, true), []), 'Kentau', 'kentau', 'en', t);
    expect(corrected).toContain('data-value="352500"');
    expect(corrected).not.toContain('data-value="351000"');
    const unpublished = indicatorPanelsHtml(buildDashboard(7, values(351_000, false), []), 'Kentau', 'kentau', 'en', t);
    expect(unpublished).toContain(t('dashboard.unpublished', { periods: '2024' }));
    expect(first).not.toContain(t('dashboard.unpublished', { periods: '2024' }));
    const russian = indicatorPanelsHtml(buildDashboard(7, values(351_000, true), []), 'Кентау', 'kentau', 'ru', createTranslator('ru'));
    expect(russian).toContain('Кентау');
    expect(russian).not.toBe(first);
  });
});
