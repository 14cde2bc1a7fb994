import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { browserTestsCanRun, formatViolations, runAxe, saveScreenshot, signInAs, submitForm, useVisitors } from '../helpers/browser.ts';

/**
 * Positions in a real browser, with JavaScript off (every step a plain form post): a
 * town administrator on a phone finds the open consultation from the header, changes the
 * town's stance and comments on a section; an editor on a wide screen drafts a position,
 * opens its consultation, publishes a revision and adopts it; a visitor reads the
 * adopted page. Then axe checks every positions page at 360 and 1280 px in kk, ru and en.
 */
const canRun = browserTestsCanRun('tests/browser/positions-journey.test.ts');
const OPEN = 'utilities-renewal-transfer';

describe.runIf(canRun)('positions in a browser', () => {
  const { visitor } = useVisitors();
  const pathOf = (page: Page) => new URL(page.url()).pathname;

  it('a town administrator on a phone changes the town\'s stance and comments, without JavaScript', async () => {
    const { page, watcher } = await visitor({ width: 360 });
    await signInAs(page, 'temirtau-admin@example.org');
    // The member home lists the open consultation and the town's stance.
    await expect(page.locator('section[aria-labelledby="home-positions"]').textContent()).resolves.toContain('recorded: Support');
    // On a phone the navigation is behind the menu button (a <details>, no script).
    await page.locator('.site-menu__toggle').click();
    await page.locator('.main-nav').getByRole('link', { name: 'Positions', exact: true }).click();
    expect(pathOf(page)).toBe('/en/positions/');
    await page.getByRole('link', { name: /Обновление коммунальных сетей/ }).click();
    expect(pathOf(page)).toBe(`/en/positions/${OPEN}/`);
    await saveScreenshot(page, 'positions', 'consultation-town-admin-360');
    await page.getByLabel('Support with changes', { exact: true }).check();
    await page.getByLabel('Reason (optional)', { exact: true }).fill('Add a line for small towns.');
    expect(await submitForm(page, "Change the town's stance")).toBe(303);
    await expect(page.getByRole('status').textContent()).resolves.toBe("Your town's stance is changed.");
    await expect(page.getByLabel('Support with changes', { exact: true }).isChecked()).resolves.toBe(true);

    // An empty comment is refused with a message; a real one is added under its section.
    const comment = page.getByLabel('Your comment on “Что мы предлагаем”', { exact: true });
    await comment.fill('   ');
    expect(await submitForm(page, 'Add comment')).toBe(400);
    await page.getByLabel('Your comment on “Что мы предлагаем”', { exact: true }).fill('Temirtau can share its five-year plan.');
    await page.locator('form:has(textarea#field-comment-2)').getByRole('button', { name: 'Add comment' }).click();
    await page.waitForLoadState();
    await expect(page.getByRole('status').textContent()).resolves.toBe('Your comment is added.');
    await expect(page.locator('#section-2 ~ .position-comments').textContent()).resolves.toContain('Temirtau can share its five-year plan.');
    expect(watcher.problems()).toEqual([]);
  }, 60_000);

  it('an editor drafts, opens, revises and adopts a position; the public reads it, without JavaScript', async () => {
    const { page, watcher } = await visitor({ width: 1280 });
    await signInAs(page, 'editor@example.org');
    await page.getByRole('link', { name: 'Positions: editors\' area', exact: true }).click();
    await page.getByRole('link', { name: 'Draft a new position', exact: true }).click();
    await page.getByLabel('Language of the text', { exact: true }).selectOption('en');
    await page.getByLabel('Title', { exact: true }).fill('Let towns keep their land tax');
    await page.getByLabel('Summary', { exact: true }).fill('Towns should keep the land tax they collect.');
    await page.getByLabel('Municipal finance', { exact: true }).check();
    await page.getByLabel('Heading of section 1', { exact: true }).fill('Why');
    await page.getByLabel('Text of section 1', { exact: true }).fill('Towns maintain the land.');
    await page.getByLabel('Heading of section 2', { exact: true }).fill('What we ask');
    // Section 2 without its text: refused, and what was typed stays.
    expect(await submitForm(page, 'Save the draft')).toBe(400);
    await expect(page.locator('.error-summary').textContent()).resolves.toContain('Write the text of this section.');
    await expect(page.getByLabel('Title', { exact: true }).inputValue()).resolves.toBe('Let towns keep their land tax');
    await expect(page.getByLabel('Municipal finance', { exact: true }).isChecked()).resolves.toBe(true);
    await page.getByLabel('Text of section 2', { exact: true }).fill('Keep **all** land tax locally.');
    expect(await submitForm(page, 'Save the draft')).toBe(303);
    expect(pathOf(page)).toMatch(/^\/en\/editor\/positions\/\d+\/$/);
    const managePath = pathOf(page);

    await page.getByLabel('Consultation closes on', { exact: true }).fill('2099-03-31');
    expect(await submitForm(page, 'Open for consultation')).toBe(303);
    await expect(page.getByRole('status').textContent()).resolves.toContain('The consultation is open');

    await page.getByLabel('Text of section 2', { exact: true }).fill('Keep **all** land tax locally, from 2028.');
    await page.getByLabel('What changed', { exact: true }).fill('A date added.');
    expect(await submitForm(page, 'Publish the revised version')).toBe(303);
    await expect(page.getByRole('status').textContent()).resolves.toBe('The revised version is published.');
    await saveScreenshot(page, 'positions', 'editor-manage-1280');
    expect(await submitForm(page, 'Adopt version 2')).toBe(303);
    await expect(page.getByRole('status').textContent()).resolves.toBe('The position is adopted.');
    expect(pathOf(page)).toBe(managePath);
    expect(watcher.problems()).toEqual([]);

    const reader = await visitor({ width: 360 });
    await reader.page.goto('/ru/positions/');
    await reader.page.getByRole('link', { name: 'Let towns keep their land tax' }).click();
    expect(pathOf(reader.page)).toBe('/ru/positions/let-towns-keep-their-land-tax/');
    await expect(reader.page.locator('.summary-list').textContent()).resolves.toContain('Городов: 0');
    await reader.page.getByRole('link', { name: 'версия 2', exact: true }).click();
    await expect(reader.page.locator('.position-diff ins').first().textContent()).resolves.toContain('2028');
    await saveScreenshot(reader.page, 'positions', 'version-diff-ru-360');
    expect(reader.watcher.problems()).toEqual([]);
  }, 60_000);

  for (const width of [360, 1280]) {
    for (const lang of ['kk', 'ru', 'en'] as const) {
      it(`axe finds nothing on the positions pages in ${lang} at ${width} px`, async () => {
        const { page } = await visitor({ width, bypassCSP: true, javaScript: true });
        const check = async (path: string, shot?: string) => {
          await page.goto(path);
          expect(formatViolations(await runAxe(page)), path).toBe('');
          if (shot) await saveScreenshot(page, 'positions', `${shot}-${lang}-${width}`);
        };
        await check(`/${lang}/positions/`, 'list');
        await check(`/${lang}/positions/open-data-monotowns/`, 'adopted');
        await check(`/${lang}/positions/${OPEN}/`, 'consultation-visitor');
        await check(`/${lang}/positions/${OPEN}/versions/2/`);
        await signInAs(page, 'temirtau-admin@example.org');
        await check(`/${lang}/positions/${OPEN}/`, 'consultation-admin');
        await check(`/${lang}/account/`);
        await page.context().clearCookies();
        await signInAs(page, 'editor@example.org');
        await check(`/${lang}/editor/positions/`);
        await page.goto(`/${lang}/editor/positions/`);
        await page.locator('table a').first().click();
        await page.waitForLoadState();
        expect(formatViolations(await runAxe(page))).toBe('');
        await saveScreenshot(page, 'positions', `editor-${lang}-${width}`);
        await check(`/${lang}/editor/positions/new/`);
        // The form with its errors (a title, to get past the browser's own check; no summary, no section).
        await page.locator('#field-title').fill('x');
        await page.locator('form[action*="positions.create"] button[type="submit"]').click();
        await page.waitForLoadState();
        await page.locator('.error-summary').waitFor();
        expect(formatViolations(await runAxe(page))).toBe('');
      }, 90_000);
    }
  }
});
