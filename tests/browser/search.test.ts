import type { BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Language } from '~/i18n/languages.ts';
import { saveSearchDocuments, type SearchDocument } from '~/server/search/documents.ts';
import { browserTestsCanRun, formatViolations, runAxe, saveScreenshot, useServerAndBrowser, watchProblems } from '../helpers/browser.ts';
import { findItem } from '../helpers/content.ts';
import { withServerDatabase } from '../helpers/server-database.ts';

/**
 * The search page in a real browser, without JavaScript (a GET form is all it needs):
 * real kk, ru and en content found by words in other forms and with typos, results
 * opening in the reader's language, filters, and axe (WCAG 2.1 A/AA) at 360 and 1280 px
 * with no sideways scrolling. The documents are the real items' text, written here
 * through saveSearchDocuments as the content's search source does.
 */
const canRun = browserTestsCanRun('tests/browser/search.test.ts');

const ITEMS = [
  findItem('cases', 'ridder-heat-network'),
  findItem('cases', 'zhanatas-peer-planning'),
  findItem('cases', 'saran-water-metering'),
];

function documentsOf(item: (typeof ITEMS)[number]): SearchDocument[] {
  return (Object.entries(item.versions) as Array<[Language, NonNullable<(typeof item.versions)[Language]>]>).map(([lang, version]) => ({
    key: `test-content:cases/${item.slug}:${lang}`,
    source: 'test-content',
    section: 'cases',
    lang,
    path: `/cases/${item.slug}/`,
    title: version.data.title,
    summary: version.data.summary,
    body: version.body,
    audience: 'public',
    publishedAt: 1_800_000_000,
  }));
}

describe.runIf(canRun)('search in a browser', () => {
  const running = useServerAndBrowser();
  let context: BrowserContext;

  beforeAll(async () => {
    await withServerDatabase(running.server.databaseUrl, (db) => saveSearchDocuments(db, ITEMS.flatMap(documentsOf)));
    context = await running.browser.newContext({ baseURL: running.server.url, javaScriptEnabled: false, locale: 'en' });
    context.setDefaultTimeout(10_000);
  });

  afterAll(async () => {
    await context?.close();
  });

  /** Types the words into the search form on /<lang>/search/, sends it, and returns the results' links. */
  async function searchFor(lang: string, words: string, filters: { section?: string } = {}): Promise<Array<{ href: string; title: string; lang: string | null }>> {
    const page = await context.newPage();
    try {
      expect((await page.goto(`/${lang}/search/`))?.status()).toBe(200);
      await page.locator('#filter-q').fill(words);
      if (filters.section) await page.locator('#filter-section').selectOption(filters.section);
      await Promise.all([page.waitForURL((url) => url.searchParams.get('q') === words), page.locator('form[role="search"] button[type="submit"]').click()]);
      expect(await page.locator('#filter-q').inputValue()).toBe(words);
      return await page.locator('.search-result__title').evaluateAll((titles) =>
        titles.map((title) => ({ href: title.querySelector('a')?.getAttribute('href') ?? '', title: (title.textContent ?? '').trim(), lang: title.getAttribute('lang') })),
      );
    } finally {
      await page.close();
    }
  }

  it('a Russian word in another form finds the Russian case, opened in the reader\'s Russian', async () => {
    const ridder = findItem('cases', 'ridder-heat-network').versions.ru!;
    const results = await searchFor('ru', 'теплопотерь');
    expect(results).toContainEqual({ href: '/ru/cases/ridder-heat-network/', title: ridder.data.title, lang: null });
  });

  it('a Kazakh word finds the Kazakh case', async () => {
    const zhanatas = findItem('cases', 'zhanatas-peer-planning').versions.kk!;
    const results = await searchFor('kk', 'фосфорит');
    expect(results).toContainEqual({ href: '/kk/cases/zhanatas-peer-planning/', title: zhanatas.data.title, lang: null });
  });

  it('from the English page, a Russian word with a typo finds the Russian-only case, opened in English and marked Russian', async () => {
    const saran = findItem('cases', 'saran-water-metering').versions.ru!;
    const results = await searchFor('en', 'утечке');
    expect(results).toContainEqual({ href: '/en/cases/saran-water-metering/', title: saran.data.title, lang: 'ru' });
    const typo = await searchFor('en', 'Сарнаь');
    expect(typo.map((result) => result.href)).toContain('/en/cases/saran-water-metering/');
  });

  it('the section filter narrows the results', async () => {
    expect(await searchFor('en', 'heat', { section: 'cases' })).not.toEqual([]);
  });

  for (const width of [360, 1280]) {
    it(`axe finds nothing on the search page with results, with nothing found, and with bad input at ${width} px`, async () => {
      const axeContext = await running.browser.newContext({ baseURL: running.server.url, viewport: { width, height: 800 }, bypassCSP: true, locale: 'en' });
      const watcher = await watchProblems(axeContext);
      try {
        for (const [path, status] of [['/en/search/?q=heat', 200], ['/ru/search/?q=ыыыыыы', 200], ['/kk/search/?q=жылу&page=0', 400], ['/en/search/', 200]] as const) {
          const page = await axeContext.newPage();
          try {
            expect((await page.goto(path))?.status(), path).toBe(status);
            const violations = await runAxe(page);
            expect(violations, `axe on ${path} at ${width}px:\n${formatViolations(violations)}`).toEqual([]);
            expect(await page.evaluate(() => document.documentElement.scrollWidth), `sideways scrolling on ${path}`).toBeLessThanOrEqual(width);
            await saveScreenshot(page, 'search', `${width}-${path.replace(/[^a-z0-9]+/gi, '_')}`);
          } finally {
            await page.close();
          }
        }
        expect(watcher.problems().filter((problem) => !/status of 400/.test(problem))).toEqual([]);
      } finally {
        await axeContext.close();
      }
    });
  }
});
