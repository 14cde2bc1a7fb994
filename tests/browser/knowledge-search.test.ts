import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserTestsCanRun, watchProblems, type ProblemWatcher, useServerAndBrowser } from '../helpers/browser.ts';
import { findItem } from '../helpers/content.ts';

/**
 * Search in a real browser: Pagefind's static index covers items in all three
 * languages, whichever language the search page is in; the CSP stays in force.
 * Without JavaScript the page offers the lists, which filter by words on the running.server.
 */
const canRun = browserTestsCanRun('tests/browser/knowledge-search.test.ts');

/** Words that occur in one item's text only (checked against content/ when this file was written). */
const RIDDER_RU = findItem('cases', 'ridder-heat-network').versions.ru!;
const ZHANATAS_KK = findItem('cases', 'zhanatas-peer-planning').versions.kk!;
const SARAN_RU = findItem('cases', 'saran-water-metering').versions.ru!;

describe.runIf(canRun)('search', () => {
  const running = useServerAndBrowser();

  describe('with JavaScript', () => {
    let context: BrowserContext;
    let watcher: ProblemWatcher;

    beforeAll(async () => {
      context = await running.browser.newContext({ baseURL: running.server.url });
      context.setDefaultTimeout(10_000);
      watcher = await watchProblems(context);
    });

    afterAll(async () => {
      await context?.close();
    });

    /** Searches on /<lang>/search/ and returns the results shown (pages, not their sections). */
    async function search(page: Page, lang: string, words: string, expectedTitle: string): Promise<Array<{ href: string; title: string }>> {
      const response = await page.goto(`/${lang}/search/`);
      expect(response?.status()).toBe(200);
      const input = page.locator('#search input.pagefind-ui__search-input');
      await input.waitFor();
      await input.fill(words);
      const links = page.locator('#search .pagefind-ui__result-link');
      await links.filter({ hasText: expectedTitle }).first().waitFor();
      const all = await links.evaluateAll((elements) => elements.map((link) => ({ href: link.getAttribute('href') ?? '', title: (link.textContent ?? '').trim() })));
      // Pagefind also lists matching sections of a page (href with #heading); keep the pages.
      return all.filter((result) => !result.href.includes('#'));
    }

    it('on /ru/search/ a Russian word finds the Russian item', async () => {
      expect(RIDDER_RU.body.toLowerCase()).toContain('теплопотери');
      const page = await context.newPage();
      try {
        const results = await search(page, 'ru', 'теплопотери', RIDDER_RU.data.title);
        // The Ridder case, linked to its Russian page, among a few results.
        expect(results).toContainEqual({ href: '/ru/cases/ridder-heat-network/', title: RIDDER_RU.data.title });
        expect(results.length).toBeLessThanOrEqual(3);
      } finally {
        await page.close();
      }
      expect(watcher.problems()).toEqual([]);
    });

    it('on /kk/search/ a Kazakh word finds the Kazakh item', async () => {
      expect(ZHANATAS_KK.body.toLowerCase()).toContain('фосфорит');
      const page = await context.newPage();
      try {
        const results = await search(page, 'kk', 'фосфорит', ZHANATAS_KK.data.title);
        expect(results).toContainEqual({ href: '/kk/cases/zhanatas-peer-planning/', title: ZHANATAS_KK.data.title });
      } finally {
        await page.close();
      }
      expect(watcher.problems()).toEqual([]);
    });

    it('from /en/search/ a Russian word still finds the Russian-only item', async () => {
      expect(findItem('cases', 'saran-water-metering').languages).toEqual(['ru']);
      const page = await context.newPage();
      try {
        const results = await search(page, 'en', 'утечек', SARAN_RU.data.title);
        expect(results).toContainEqual({ href: '/ru/cases/saran-water-metering/', title: SARAN_RU.data.title });
      } finally {
        await page.close();
      }
      expect(watcher.problems()).toEqual([]);
    });

    it('a word from a "not in this language" notice page finds no notice page', async () => {
      const page = await context.newPage();
      try {
        const results = await search(page, 'en', 'Сарань', SARAN_RU.data.title);
        // Only the Russian page: the English and Kazakh notices are not indexed.
        expect(results.filter((result) => result.href.includes('saran-water-metering'))).toEqual([
          { href: '/ru/cases/saran-water-metering/', title: SARAN_RU.data.title },
        ]);
      } finally {
        await page.close();
      }
      expect(watcher.problems()).toEqual([]);
    });
  });

  describe('without JavaScript', () => {
    let context: BrowserContext;

    beforeAll(async () => {
      context = await running.browser.newContext({ baseURL: running.server.url, javaScriptEnabled: false });
      context.setDefaultTimeout(10_000);
    });

    afterAll(async () => {
      await context?.close();
    });

    it('/en/search/ offers the list forms, and one goes to the list filtered by ?q=', async () => {
      const page = await context.newPage();
      try {
        expect((await page.goto('/en/search/'))?.status()).toBe(200);
        const forms = page.locator('.search__lists form');
        expect(await forms.count()).toBeGreaterThanOrEqual(1);
        // Either one form per list, or one form with a choice of list.
        const chooser = page.locator('.search__lists form select[name="section"]');
        let form = page.locator('.search__lists form[action="/en/cases/"]');
        if (await chooser.count()) {
          form = forms.filter({ has: page.locator('select[name="section"]') });
          await chooser.selectOption('cases');
        }
        await form.locator('input[name="q"]').fill('heating');
        await Promise.all([page.waitForURL((url) => url.pathname === '/en/cases/'), form.locator('button[type="submit"]').click()]);
        expect(new URL(page.url()).searchParams.get('q')).toBe('heating');
        const titles = await page.locator('.item-card__title a').allTextContents();
        expect(titles).toContain(findItem('cases', 'ridder-heat-network').versions.en!.data.title);
        expect(await page.locator('#filter-q').inputValue()).toBe('heating');
      } finally {
        await page.close();
      }
    });
  });
});
