import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserTestsCanRun, formatViolations, runAxe, useServerAndBrowser, watchProblems, type ProblemWatcher } from '../helpers/browser.ts';

/**
 * A visitor's journey, at a phone width and a desktop width: the home page → the events
 * month → an event → its "Add to calendar" file; and the community rules. axe-core
 * (WCAG 2.1 A/AA) on each page, no sideways scrolling, no console or CSP problem, and
 * the month reachable by keyboard. axe is injected inline, so the contexts bypass the CSP.
 */
const canRun = browserTestsCanRun('tests/browser/home-events-journey.test.ts');
const WIDTHS = [360, 1280] as const;

describe.runIf(canRun)('home → events → event → .ics; rules', () => {
  const running = useServerAndBrowser();

  describe.each(WIDTHS)('at %i px wide', (width) => {
    let context: BrowserContext;
    let watcher: ProblemWatcher;
    let page: Page;

    beforeAll(async () => {
      context = await running.browser.newContext({ baseURL: running.server.url, viewport: { width, height: 800 }, bypassCSP: true, locale: 'en' });
      context.setDefaultTimeout(10_000);
      watcher = await watchProblems(context);
      page = await context.newPage();
    });
    afterAll(async () => {
      await context?.close();
    });

    async function expectAccessible(name: string): Promise<void> {
      const violations = await runAxe(page);
      expect(violations, `axe violations on ${name} at ${width}px:\n${formatViolations(violations)}`).toEqual([]);
      const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
      expect(scrollWidth, `horizontal scrolling on ${name} at ${width}px`).toBeLessThanOrEqual(width);
    }

    it('the home page shows what is coming and how to join', async () => {
      const response = await page.goto('/en/');
      expect(response?.status()).toBe(200);
      await expect(page.getByRole('heading', { name: 'Coming up' }).isVisible()).resolves.toBe(true);
      expect(await page.getByRole('link', { name: 'Join the association' }).getAttribute('href')).toBe('/en/membership/');
      await expectAccessible('/en/');
    });

    it('leads to the month, where each day says its date and events are links the keyboard reaches', async () => {
      await page.getByRole('link', { name: 'The calendar by month' }).click();
      await page.waitForURL((url) => url.pathname === '/en/events/' && url.searchParams.get('view') === 'month');
      await page.goto('/en/events/?view=month&month=2026-12');
      const visit = page.getByRole('link', { name: 'Study visit: diversifying a copper town — Zhezkazgan and Satpayev' }).first();
      await expect(visit.isVisible()).resolves.toBe(true);
      // On a phone the table is a list of the days that have something on, each with its full date shown.
      const fullDate = page.locator('.month__full', { hasText: 'Thursday, 17 December 2026' });
      expect(await fullDate.count()).toBe(1);
      // On a desktop it is there for screen readers only (a 1-pixel clip); the grid shows the day's number.
      const box = await fullDate.boundingBox();
      expect(box!.width > 50, `full date shown at ${width}px`).toBe(width === 360);
      await expectAccessible('/en/events/?view=month&month=2026-12');
      // Tab through the page until the event link has the focus.
      await page.locator('body').focus();
      let reached = false;
      for (let step = 0; step < 80 && !reached; step += 1) {
        await page.keyboard.press('Tab');
        reached = await page.evaluate(() => document.activeElement?.getAttribute('href') === '/en/events/diversification-study-visit-zhezkazgan/');
      }
      expect(reached, 'the event is reached with Tab').toBe(true);
      await Promise.all([page.waitForURL('**/en/events/diversification-study-visit-zhezkazgan/'), page.keyboard.press('Enter')]);
    });

    it('the event offers its .ics, which is a calendar file', async () => {
      await expectAccessible('/en/events/diversification-study-visit-zhezkazgan/');
      const link = page.getByRole('link', { name: 'Add to calendar (.ics)' });
      const href = await link.getAttribute('href');
      expect(href).toBe('/en/events/diversification-study-visit-zhezkazgan.ics');
      const file = await page.request.get(href!);
      expect(file.status()).toBe(200);
      expect(file.headers()['content-type']).toBe('text/calendar; charset=utf-8');
      expect(await file.text()).toMatch(/^BEGIN:VCALENDAR\r\n[\s\S]*UID:event-diversification-study-visit-zhezkazgan@/);
    });

    it('the community rules are one page with an anchor per rule', async () => {
      const response = await page.goto('/en/rules/#rule-personal-data');
      expect(response?.status()).toBe(200);
      await expect(page.getByRole('heading', { name: '2. No personal data of residents' }).isVisible()).resolves.toBe(true);
      await expectAccessible('/en/rules/');
      expect(watcher.problems()).toEqual([]);
    });
  });
});
