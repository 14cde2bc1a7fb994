import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { browserTestsCanRun, formatViolations, runAxe, saveScreenshot, signInAs, useVisitors } from '../helpers/browser.ts';

/**
 * The member home and the people directory in a real browser with JavaScript off, at a
 * phone's width and a desktop's: a town administrator lands on her home after signing
 * in, goes to People, filters by topic (a plain GET form), opens a profile. Then axe-core
 * on each page. QALA_SCREENSHOTS=1 also saves screenshots in tests/.artifacts/screenshots/.
 */
const canRun = browserTestsCanRun('tests/browser/home-directory.test.ts');

describe.runIf(canRun)('member home and people directory in a browser', () => {
  const { visitor } = useVisitors();

  const shoot = (page: Page, name: string) => saveScreenshot(page, 'home-directory', name);

  for (const width of [360, 1280]) {
    it(`home → people → filter → profile, without JavaScript, at ${width} px`, async () => {
      const { page, watcher } = await visitor({ width });
      await signInAs(page, 'temirtau-admin@example.org');
      const main = page.getByRole('main');
      await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Hello, Gulnara Akhmetova');
      for (const section of ['Waiting for you', 'Your next meetings', 'New in your groups', 'Open requests matching your expertise', 'Unread notifications', 'Your account']) {
        await page.getByRole('heading', { level: 2, name: new RegExp(`^${section}`) }).waitFor();
      }
      // Her group's meeting, with her answer and the calendar file.
      const meetings = page.getByRole('region', { name: /^Your next meetings/ });
      await expect(meetings.getByRole('link', { name: /Add to my calendar \(\.ics\)/ }).getAttribute('href')).resolves.toMatch(/^\/en\/groups\/utilities-renewal\/meetings\/\d+\.ics$/);
      // The account's own links are still there.
      for (const link of ['Edit my profile', 'Change email address', "My town's accounts", 'People']) {
        await expect(main.getByRole('link', { name: link, exact: true }).count()).resolves.toBeGreaterThan(0);
      }
      await shoot(page, `home-${width}`);

      await main.getByRole('link', { name: 'People', exact: true }).click();
      await page.waitForURL((url) => url.pathname === '/en/members/');
      await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('People');
      await page.getByLabel('Area of expertise').selectOption('utilities-housing');
      await page.getByRole('button', { name: 'Show results' }).click();
      await page.waitForURL((url) => url.searchParams.get('topic') === 'utilities-housing');
      const people = page.locator('.person');
      expect(await people.count()).toBeGreaterThan(0);
      for (const text of await people.allTextContents()) expect(text).toContain('Utilities and housing');
      await shoot(page, `people-${width}`);

      await people.first().getByRole('link').first().click();
      await page.waitForURL((url) => /^\/en\/members\/[^/]+\/$/.test(url.pathname));
      await page.getByRole('heading', { level: 2, name: 'Requests answered' }).waitFor();
      await shoot(page, `profile-${width}`);
      expect(watcher.problems()).toEqual([]);
    });
  }

  it('has no WCAG 2.1 AA problems on the home, the directory (with a bad filter) and a profile', async () => {
    for (const width of [360, 1280]) {
      const { page } = await visitor({ javaScript: true, bypassCSP: true, width });
      await signInAs(page, 'temirtau@example.org');
      for (const path of ['/en/account/', '/en/members/?topic=nope&q=bek', '/ru/members/', '/kk/account/']) {
        await page.goto(path);
        const violations = await runAxe(page);
        expect(violations, `${path} at ${width} px\n${formatViolations(violations)}`).toEqual([]);
      }
      await page.goto('/en/members/');
      await page.locator('.person a').first().click();
      await page.waitForURL((url) => /^\/en\/members\/[^/]+\/$/.test(url.pathname));
      const violations = await runAxe(page);
      expect(violations, formatViolations(violations)).toEqual([]);
    }
  });
});
