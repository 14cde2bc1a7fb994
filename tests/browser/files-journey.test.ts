import { readFileSync } from 'node:fs';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { browserTestsCanRun, formatViolations, openVisitor, runAxe, saveScreenshot, signInAs, submitForm, useServerAndBrowser } from '../helpers/browser.ts';
import { exe, pdf, png } from '../helpers/files.ts';
import { DEMO_PASSWORD } from '../helpers/server.ts';

/**
 * Shared files in a real browser with JavaScript off, on a phone (360 px) and a desktop
 * (1280 px): a town attaches a file to a request (a renamed program is refused first,
 * with what was typed kept), the request shows it, and a member of another town
 * downloads it; a group's library and a town's photo page. Each page passes axe-core;
 * screenshots go to tests/.artifacts/ to be looked at.
 */
const canRun = browserTestsCanRun('tests/browser/files-journey.test.ts');

describe.runIf(canRun)('attaching and downloading files in a browser, without JavaScript', () => {
  const running = useServerAndBrowser();
  const contexts: BrowserContext[] = [];
  afterAll(async () => {
    await Promise.all(contexts.map((context) => context.close()));
  });

  async function member(email: string, width: number): Promise<{ page: Page; problems: () => string[] }> {
    const { page, watcher } = await openVisitor(running.browser, running.server.url, contexts, { width });
    await signInAs(page, email, DEMO_PASSWORD);
    return { page, problems: watcher.problems };
  }

  /** axe on the page's URL, opened again with the same cookies, JavaScript on and the CSP bypassed (axe is injected). */
  async function expectAccessible(page: Page, width: number): Promise<void> {
    const auditor = await running.browser.newContext({ bypassCSP: true, locale: 'en', viewport: { width, height: 900 } });
    try {
      await auditor.addCookies(await page.context().cookies());
      const copy = await auditor.newPage();
      await copy.goto(page.url());
      const violations = await runAxe(copy);
      expect(violations, `${page.url()}\n${formatViolations(violations)}`).toEqual([]);
    } finally {
      await auditor.close();
    }
  }

  const shot = (page: Page, name: string) => saveScreenshot(page, 'files', name);

  for (const width of [360, 1280]) {
    it(`at ${width} px: attach a file to a request, see it refused when it is a program, download it from another town`, async () => {
      const title = `Tender template for heat meters (${width})`;
      const asker = await member('temirtau-admin@example.org', width);
      let page = asker.page;
      await page.goto('/en/exchange/new/');
      await page.getByLabel('Title', { exact: true }).fill(title);
      await page.getByLabel('What your town needs, and why').fill('We are writing our first tender for heat meters. Has anyone a template we could adapt?');
      await page.getByLabel('Advice by message').check();
      await page.getByLabel('Planning and governance').check();
      await page.getByLabel('Russian').check();

      // A program renamed as a PDF: refused on the same form, everything typed kept.
      await page.getByLabel('Attach files (optional)').setInputFiles({ name: 'template.pdf', mimeType: 'application/pdf', buffer: exe() });
      expect(await submitForm(page, 'Publish the request')).toBe(400);
      await expect(page.locator('.error-summary').textContent()).resolves.toContain('This type of file is not accepted');
      await expect(page.locator('#field-attachments-error').textContent()).resolves.toContain('This type of file is not accepted');
      await expect(page.getByLabel('Title', { exact: true }).inputValue()).resolves.toBe(title);
      await expect(page.getByLabel('Planning and governance').isChecked()).resolves.toBe(true);
      await shot(page, `request-refused-${width}`);
      await expectAccessible(page, width);

      // The real template and a photo of the meter.
      await page.getByLabel('Attach files (optional)').setInputFiles([
        { name: 'Тендер шаблон.pdf', mimeType: 'application/pdf', buffer: pdf() },
        { name: 'meter.png', mimeType: 'image/png', buffer: await png(64, 48) },
      ]);
      expect(await submitForm(page, 'Publish the request')).toBe(303);
      await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe(title);
      const attachments = page.locator('.attachments').first();
      await expect(attachments.getByRole('link').allTextContents()).resolves.toEqual(['Тендер шаблон.pdf', 'meter.png']);
      const requestPath = new URL(page.url()).pathname;
      await shot(page, `request-with-files-${width}`);
      await expectAccessible(page, width);
      expect(asker.problems()).toEqual([]);

      // A member of another town opens the request and downloads the template.
      const reader = await member('ridder@example.org', width);
      page = reader.page;
      await page.goto(requestPath);
      const downloading = page.waitForEvent('download');
      await page.getByRole('link', { name: 'Тендер шаблон.pdf' }).click();
      const download = await downloading;
      expect(download.suggestedFilename()).toBe('Тендер шаблон.pdf');
      expect(readFileSync((await download.path())!).equals(pdf())).toBe(true);
      // Ridder may answer with a file too: the field is on the response form.
      await expect(page.locator('#respond').getByLabel('Attach files (optional)').count()).resolves.toBe(1);
      await shot(page, `request-as-reader-${width}`);
      expect(reader.problems()).toEqual([]);
    });

    it(`at ${width} px: a group's documents and a town's photo page are accessible`, async () => {
      const lead = await member('temirtau-admin@example.org', width);
      const page = lead.page;
      await page.goto('/en/groups/utilities-renewal/documents/');
      await page.getByLabel('Title', { exact: true }).fill(`Heat tariff model (${width})`);
      await page.getByLabel('File', { exact: true }).setInputFiles({ name: 'model.pdf', mimeType: 'application/pdf', buffer: pdf() });
      expect(await submitForm(page, 'Add the document')).toBe(303);
      await expect(page.getByRole('status').textContent()).resolves.toContain('The document was added.');
      await shot(page, `library-${width}`);
      await expectAccessible(page, width);

      await page.goto('/en/towns/temirtau/edit/');
      await page.getByLabel('Choose an image').setInputFiles({ name: 'emblem.png', mimeType: 'image/png', buffer: await png(120, 80) });
      expect(await submitForm(page, 'Save the photo')).toBe(200);
      await expect(page.getByRole('status').first().textContent()).resolves.toContain('The photo was saved.');
      await shot(page, `town-photo-${width}`);
      await expectAccessible(page, width);
      await page.goto('/en/towns/temirtau/');
      await expect(page.getByRole('img', { name: 'Temirtau: photo or emblem' }).count()).resolves.toBe(1);
      await shot(page, `town-profile-${width}`);
      expect(lead.problems()).toEqual([]);
    });
  }
});
