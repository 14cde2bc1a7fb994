import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SEED_TOWNS } from '../../db/seed/towns.ts';
import { browserTestsCanRun, formatViolations, runAxe, useServerAndBrowser, userMenuSettled } from '../helpers/browser.ts';
import { itemPath } from '../helpers/content.ts';
import { expectedCards } from '../helpers/knowledge.ts';

/**
 * axe-core (WCAG 2.1 A and AA) on the knowledge centre's kinds of page, at a phone
 * width and a desktop width, with no sideways scrolling; and the list filters work
 * without JavaScript. axe is injected inline, so the axe contexts bypass the CSP.
 */
const canRun = browserTestsCanRun('tests/browser/knowledge-accessibility.test.ts');

const WIDTHS = [360, 1280] as const;

/** Opens a path; on prerendered pages waits for the header's user menu to be fetched in. */
async function open(page: Page, path: string, expectedStatus = 200): Promise<void> {
  const response = await page.goto(path);
  expect(response?.status(), `status of ${path}`).toBe(expectedStatus);
  await userMenuSettled(page);
}

interface Check {
  name: string;
  open: (page: Page) => Promise<void>;
}

const CHECKS: Check[] = [
  { name: '/en/knowledge/ (landing)', open: (page) => open(page, '/en/knowledge/') },
  { name: '/ru/cases/ (a list with filters)', open: (page) => open(page, '/ru/cases/') },
  { name: '/en/cases/ridder-heat-network/ (a case)', open: (page) => open(page, '/en/cases/ridder-heat-network/') },
  { name: '/kk/funding/ (funding list)', open: (page) => open(page, '/kk/funding/') },
  {
    name: '/en/search/?q=heating (the search page answered)',
    open: async (page) => {
      await open(page, '/en/search/?q=heating');
      await page.locator('#results-title').waitFor();
    },
  },
  {
    name: '/en/resources/?topic=<script> (400: filters that cannot be used)',
    open: async (page) => {
      await open(page, `/en/resources/?topic=${encodeURIComponent('<script>')}`, 400);
      await page.getByRole('alert').waitFor();
    },
  },
];

describe.runIf(canRun)('knowledge centre accessibility (axe, WCAG 2.1 A/AA)', () => {
  const running = useServerAndBrowser();

  describe.each(WIDTHS)('at %i px wide', (width) => {
    let context: BrowserContext;

    beforeAll(async () => {
      context = await running.browser.newContext({ baseURL: running.server.url, viewport: { width, height: 800 }, bypassCSP: true, locale: 'en' });
      context.setDefaultTimeout(10_000);
    });

    afterAll(async () => {
      await context?.close();
    });

    it.each(CHECKS)('$name', async (check) => {
      const page = await context.newPage();
      try {
        await check.open(page);
        const violations = await runAxe(page);
        expect(violations, `axe violations on ${check.name} at ${width}px:\n${formatViolations(violations)}`).toEqual([]);
        const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
        expect(scrollWidth, `horizontal scrolling on ${check.name} at ${width}px`).toBeLessThanOrEqual(width);
      } finally {
        await page.close();
      }
    });
  });

  describe('without JavaScript', () => {
    let context: BrowserContext;

    beforeAll(async () => {
      context = await running.browser.newContext({ baseURL: running.server.url, javaScriptEnabled: false, locale: 'en' });
      context.setDefaultTimeout(10_000);
    });

    afterAll(async () => {
      await context?.close();
    });

    it('the filter form on /en/cases/ puts the town in the URL and lists only that town\'s cases', async () => {
      const page = await context.newPage();
      try {
        await open(page, '/en/cases/');
        const town = SEED_TOWNS.find((candidate) => candidate.slug === 'ekibastuz')!;
        await page.getByLabel('Town', { exact: true }).selectOption({ value: town.slug });
        await Promise.all([
          page.waitForURL((url) => url.searchParams.has('town')),
          page.getByRole('button', { name: 'Show results' }).click(),
        ]);
        const url = new URL(page.url());
        expect(url.pathname).toBe('/en/cases/');
        expect(url.searchParams.get('town')).toBe(town.slug);
        const expected = expectedCards('cases', 'en', { town: town.slug }).map((card) => card.href);
        expect(expected.length).toBeGreaterThan(0);
        const listed = await page.locator('.item-card__title a').evaluateAll((links) => links.map((link) => link.getAttribute('href')));
        expect(listed.sort()).toEqual(expected.sort());
        expect(listed).toContain(itemPath('cases', 'ekibastuz-resident-survey', 'en'));
        // The choice is kept in the form.
        expect(await page.getByLabel('Town', { exact: true }).inputValue()).toBe(town.slug);
      } finally {
        await page.close();
      }
    });
  });
});
