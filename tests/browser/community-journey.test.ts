import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { browserTestsCanRun, formatViolations, runAxe, signInAs, submitForm, useVisitors } from '../helpers/browser.ts';

/**
 * Committees, membership, town profile editing and towns like yours in a real browser,
 * without JavaScript, at a phone width and a desktop width, with axe (WCAG 2.1 A/AA) on
 * every page met and no horizontal scrolling.
 */
const canRun = browserTestsCanRun('tests/browser/community-journey.test.ts');

describe.runIf(canRun)('committees, joining, profile editing and peers in a browser', () => {
  const { visitor } = useVisitors();

  /** No horizontal scrolling (Playwright reads the layout even with the page's JavaScript off; axe needs it on, below). */
  async function expectNoScrolling(page: Page, what: string, width: number) {
    const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(scrollWidth, `horizontal scrolling on ${what} at ${width}px`).toBeLessThanOrEqual(width);
  }
  async function expectAccessible(page: Page, what: string, width: number) {
    const violations = await runAxe(page);
    expect(violations, `axe on ${what} at ${width}px:\n${formatViolations(violations)}`).toEqual([]);
    const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(scrollWidth, `horizontal scrolling on ${what} at ${width}px`).toBeLessThanOrEqual(width);
  }

  it.each([360, 1280])('a visitor reads the committees, then the membership page, and reaches the application form, without JavaScript (%i px)', async (width) => {
    const { page, watcher } = await visitor({ width });
    await page.goto('/en/committees/');
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Committees and forums');
    await expect(page.getByRole('heading', { level: 3, name: 'Utilities renewal' }).isVisible()).resolves.toBe(true);
    await expectNoScrolling(page, 'the committees page', width);
    await page.getByRole('link', { name: 'How to become a member' }).click();
    await page.waitForURL((url) => url.pathname === '/en/membership/');
    await expectNoScrolling(page, 'the membership page', width);
    await page.getByRole('link', { name: 'Apply for membership' }).first().click();
    await page.waitForURL((url) => url.pathname === '/en/membership/apply/');
    await expect(page.getByRole('heading', { level: 1 }).isVisible()).resolves.toBe(true);
    expect(watcher.problems()).toEqual([]);
  });

  it.each([360, 1280])('a town administrator edits the profile, corrects a mistake, sees the history, then compares with towns like theirs, without JavaScript (%i px)', async (width) => {
    const { page, watcher } = await visitor({ width });
    await signInAs(page, 'temirtau-admin@example.org');
    await page.goto('/en/towns/temirtau/');
    await page.getByRole('link', { name: 'Edit the town\'s profile' }).click();
    await page.waitForURL((url) => url.pathname === '/en/towns/temirtau/edit/');
    await expectNoScrolling(page, 'the profile edit page', width);

    // A mistake first: it comes back with a message beside the field and what was typed.
    const address = `Republic Avenue ${width}, Temirtau`;
    await page.getByLabel('Address', { exact: true }).fill(address);
    await page.getByLabel('Telephone', { exact: true }).fill('ask at the akimat');
    expect(await submitForm(page, 'Save the profile')).toBe(400);
    await expect(page.getByRole('alert').textContent()).resolves.toContain('Telephone: Write a telephone number');
    await expect(page.getByLabel('Telephone', { exact: true }).inputValue()).resolves.toBe('ask at the akimat');
    await expect(page.getByLabel('Address', { exact: true }).inputValue()).resolves.toBe(address);
    await expectNoScrolling(page, 'the profile edit page with an error', width);

    await page.getByLabel('Telephone', { exact: true }).fill('+7 7213 44 00 00');
    expect(await submitForm(page, 'Save the profile')).toBe(200);
    await expect(page.getByRole('status').textContent()).resolves.toContain('The profile is saved');
    await expect(page.locator('table.history').textContent()).resolves.toContain(address);

    await page.getByRole('link', { name: 'See the town\'s page' }).click();
    await page.waitForURL((url) => url.pathname === '/en/towns/temirtau/');
    await expect(page.locator('.town-facts').textContent()).resolves.toContain(address);
    const peers = page.locator('.peer-towns');
    await expect(peers.getByRole('heading', { name: 'Towns like Temirtau' }).isVisible()).resolves.toBe(true);
    expect(await peers.locator('ol > li').count()).toBe(5);
    await expectNoScrolling(page, 'the town profile with its peers', width);
    await peers.getByRole('link', { name: 'Compare Temirtau with these towns' }).click();
    await page.waitForURL((url) => url.pathname === '/en/towns/compare/');
    expect(new URL(page.url()).searchParams.get('towns')?.split(',')).toHaveLength(6);
    expect(watcher.problems()).toEqual([]);
  });

  it.each([360, 1280])('axe finds nothing on the committees, membership, profile-edit (also with an error) and profile pages (%i px)', async (width) => {
    const reader = await visitor({ javaScript: true, bypassCSP: true, width });
    for (const path of ['/en/committees/', '/kk/committees/', '/en/membership/', '/ru/membership/', '/en/towns/balkhash/']) {
      await reader.page.goto(path);
      await expectAccessible(reader.page, path, width);
    }
    const admin = await visitor({ javaScript: true, bypassCSP: true, width });
    await signInAs(admin.page, 'temirtau-admin@example.org');
    await admin.page.goto('/en/towns/temirtau/edit/');
    await expectAccessible(admin.page, 'the profile edit page', width);
    await admin.page.getByLabel('Email', { exact: true }).fill('not an address');
    expect(await submitForm(admin.page, 'Save the profile')).toBe(400);
    await expectAccessible(admin.page, 'the profile edit page with an error', width);
    expect([...reader.watcher.problems(), ...admin.watcher.problems()]).toEqual([]);
  });
});
