import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { browserTestsCanRun, formatViolations, runAxe, saveScreenshot, signInAs, submitForm, useVisitors } from '../helpers/browser.ts';

/**
 * The association's pages in the editorial workspace, in a real browser with JavaScript
 * off: an editor on a phone corrects a sentence of the Kazakh privacy page ("Edit in
 * portal", save, publish) and a reader sees it at /kk/privacy/ at once. Then the pages
 * involved pass axe at 360 and 1280 px.
 */
const canRun = browserTestsCanRun('tests/browser/editorial-pages-journey.test.ts');

const WRONG = 'жарнама үшін бермейміз';
const RIGHT = 'жарнама үшін ешкімге бермейміз';

describe.runIf(canRun)("the association's pages in the editorial workspace", () => {
  const { visitor } = useVisitors();
  const pathOf = (page: Page) => new URL(page.url()).pathname;
  let itemPath = '';

  it('an editor corrects the Kazakh privacy page and publishes it; readers see it at once; without JavaScript', { timeout: 180_000 }, async () => {
    const reader = (await visitor({ width: 1280 })).page;
    await reader.goto('/kk/privacy/');
    await expect(reader.locator('article').textContent()).resolves.toContain(WRONG.split(' ')[0]);
    await expect(reader.locator('article').textContent()).resolves.not.toContain(RIGHT);

    const editor = (await visitor({ width: 360 })).page;
    await signInAs(editor, 'editor@example.org');
    await editor.goto('/kk/editor/content/');
    await saveScreenshot(editor, 'editorial-pages', 'workspace-360');
    expect(await submitForm(editor, 'Порталда өңдеу: «Құпиялылық»')).toBe(303);
    expect(pathOf(editor)).toMatch(/^\/kk\/editor\/content\/\d+\/$/);
    itemPath = pathOf(editor);
    await expect(editor.getByText('Бұл бет жарияланғанша оқырмандар оның файлын көреді.').count()).resolves.toBe(1);

    // The Kazakh text is there, prefilled from the file; the editor corrects the sentence.
    const body = editor.getByLabel('Мәтін (markdown)');
    const text = await body.inputValue();
    expect(text).toContain(WRONG);
    await body.fill(text.replace(WRONG, RIGHT));
    expect(await submitForm(editor, 'Алдын ала қарау')).toBe(200);
    await expect(editor.locator('.markdown-preview').first().textContent()).resolves.toContain(RIGHT);
    expect(await submitForm(editor, 'Сақтау')).toBe(303);
    // Saved, not yet published: readers still see the file.
    await reader.reload();
    await expect(reader.locator('article').textContent()).resolves.not.toContain(RIGHT);

    expect(await submitForm(editor, 'Қазір жариялау')).toBe(303);
    await expect(editor.getByRole('status').textContent()).resolves.toContain('Жарияланды');
    await saveScreenshot(editor, 'editorial-pages', 'published-editor-360');

    await reader.reload();
    await expect(reader.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Құпиялылық');
    await expect(reader.locator('article').textContent()).resolves.toContain(RIGHT);
    await saveScreenshot(reader, 'editorial-pages', 'privacy-kk-1280');
  });

  it('the workspace, the page item and the public page pass axe at 360 and 1280 px', { timeout: 300_000 }, async () => {
    for (const width of [360, 1280]) {
      const { page } = await visitor({ width, javaScript: true, bypassCSP: true });
      await signInAs(page, 'editor@example.org');
      for (const path of ['/kk/editor/content/', `${itemPath}?lang=kk`, `${itemPath}?lang=en`, `${itemPath}history/?lang=kk`, '/kk/privacy/', '/en/membership/']) {
        await page.goto(path);
        const violations = await runAxe(page);
        expect(violations, `${path} at ${width}px\n${formatViolations(violations)}`).toEqual([]);
        await saveScreenshot(page, 'editorial-pages', `${path.replace(/[^a-z0-9]+/g, '-')}-${width}`);
      }
    }
  });
});
