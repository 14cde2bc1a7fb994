import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserTestsCanRun, formatViolations, runAxe, signInAs, useVisitors } from '../helpers/browser.ts';

/**
 * Town pages in a real browser: a town administrator enters a figure with JavaScript off
 * and sees the chart change, then publishes it for the public; and axe (WCAG 2.1 A/AA)
 * finds nothing on the directory, a profile, the compare page, the catalogue and the
 * data-entry page, at a phone width and a desktop width.
 */
const canRun = browserTestsCanRun('tests/browser/towns.test.ts');

describe.runIf(canRun)('towns in a browser', () => {
  const { visitor, newContext } = useVisitors();

  /** The markers of one indicator's chart on a profile page. */
  const points = (page: Page, indicator: string) => page.locator(`#indicator-${indicator} .chart__point`);

  it('a town administrator enters a figure without JavaScript, sees the chart change, and publishes it', async () => {
    const { page, watcher } = await visitor();
    await signInAs(page, 'temirtau-admin@example.org');

    await page.goto('/en/towns/temirtau/');
    const before = await points(page, 'resident-satisfaction').count();
    expect(before).toBe(6);
    await page.getByRole('link', { name: 'Enter indicator values' }).click();
    await page.waitForURL((url) => url.pathname === '/en/towns/temirtau/indicators/');

    // A mistake first: 140 % satisfaction comes back with a message and the typed values.
    await page.getByLabel('Indicator', { exact: true }).selectOption({ label: 'Resident satisfaction with quality of life (% of residents)' });
    await page.getByLabel('Year', { exact: true }).fill('2025');
    await page.getByLabel('Figure', { exact: true }).fill('140');
    await page.getByLabel('Source note', { exact: true }).fill('Residents survey, October 2025');
    await page.getByRole('button', { name: 'Add figure', exact: true }).click();
    await page.waitForLoadState();
    await expect(page.getByRole('alert').textContent()).resolves.toContain('outside the range allowed');
    await expect(page.getByLabel('Figure', { exact: true }).inputValue()).resolves.toBe('140');

    await page.getByLabel('Figure', { exact: true }).fill('61,5');
    await page.getByRole('button', { name: 'Add figure', exact: true }).click();
    await page.waitForLoadState();
    await expect(page.getByRole('status').first().textContent()).resolves.toContain('Added: Resident satisfaction with quality of life, 2025');

    // The chart now has the new point, marked as not yet published.
    await page.getByRole('link', { name: 'See the chart' }).click();
    await page.waitForURL((url) => url.pathname === '/en/towns/temirtau/');
    expect(await points(page, 'resident-satisfaction').count()).toBe(before + 1);
    await expect(page.locator('#indicator-resident-satisfaction .indicator__latest').textContent()).resolves.toContain('61.5');
    await expect(page.locator('#indicator-resident-satisfaction').textContent()).resolves.toContain('Not yet published (members only): 2025');
    const table = page.getByRole('table', { name: 'Resident satisfaction with quality of life (% of residents), Temirtau, by year' });
    await expect(table.getByRole('row', { name: /2025/ }).textContent()).resolves.toContain('61.5');

    // The public does not see it until the town publishes.
    const reader = (await visitor()).page;
    await reader.goto('/en/towns/temirtau/');
    expect(await points(reader, 'resident-satisfaction').count()).toBe(before);

    await page.goto('/en/towns/temirtau/indicators/');
    await page.getByRole('button', { name: /^Publish \d+ figures$/ }).click();
    await page.waitForLoadState();
    await expect(page.getByRole('status').first().textContent()).resolves.toMatch(/Published \d+ figures/);
    await expect(page.locator('table.history').textContent()).resolves.toContain('Gulnara Akhmetova');

    await reader.reload();
    expect(await points(reader, 'resident-satisfaction').count()).toBe(before + 1);
    expect(watcher.problems()).toEqual([]);
  });

  describe.each([360, 1280])('axe at %i px', (width) => {
    const pages: Array<[string, string, 'visitor' | 'town admin']> = [
      ['the directory', '/en/towns/', 'visitor'],
      ['the directory, filtered', '/ru/towns/?region=karaganda&sort=population', 'visitor'],
      ['a profile with its dashboard', '/en/towns/ridder/', 'visitor'],
      ['a profile in Kazakh', '/kk/towns/aksai/', 'visitor'],
      ['the compare page', '/en/towns/compare/?indicator=unemployment-rate&towns=ridder,kurchatov,zyryanovsk,serebryansk', 'visitor'],
      ['the indicator catalogue', '/en/indicators/', 'visitor'],
      ['a profile seen by its administrator', '/en/towns/temirtau/', 'town admin'],
      ['the data-entry page', '/en/towns/temirtau/indicators/', 'town admin'],
    ];
    const byRole = {} as Record<'visitor' | 'town admin', BrowserContext>;
    beforeAll(async () => {
      byRole.visitor = await newContext({ width, javaScript: true, bypassCSP: true });
      byRole['town admin'] = await newContext({ width, javaScript: true, bypassCSP: true });
      const page = await byRole['town admin'].newPage();
      await signInAs(page, 'temirtau-admin@example.org');
      await page.close();
    });
    afterAll(async () => {
      await Promise.all(Object.values(byRole).map((context) => context.close()));
    });

    it.each(pages)('%s (%s)', async (name, path, as) => {
      const page = await byRole[as].newPage();
      try {
        const response = await page.goto(path);
        expect(response?.status()).toBe(200);
        const violations = await runAxe(page);
        expect(violations, `axe on ${name} at ${width}px:\n${formatViolations(violations)}`).toEqual([]);
        const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
        expect(scrollWidth, `horizontal scrolling on ${name} at ${width}px`).toBeLessThanOrEqual(width);
      } finally {
        await page.close();
      }
    });

    it('the data-entry page with errors', async () => {
      const page = await byRole['town admin'].newPage();
      try {
        await page.goto('/en/towns/temirtau/indicators/');
        await page.getByLabel('Figure', { exact: true }).fill('abc');
        await page.getByRole('button', { name: 'Add figure', exact: true }).click();
        await page.waitForLoadState();
        expect(await page.locator('[aria-invalid="true"]').count()).toBeGreaterThan(0);
        const violations = await runAxe(page);
        expect(violations, formatViolations(violations)).toEqual([]);
      } finally {
        await page.close();
      }
    });
  });
});
