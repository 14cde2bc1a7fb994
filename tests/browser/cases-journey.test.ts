import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { browserTestsCanRun, formatViolations, runAxe, submitForm, signInAs, useVisitors } from '../helpers/browser.ts';

/**
 * Practice sharing in a real browser. With JavaScript off (every step a plain form
 * post): a member writes and previews a case, saves and submits it; an editor asks for
 * changes; the member resubmits; the editor approves; the public reads it in the cases
 * list. Then the forms and a published member case pass axe, and search finds the new
 * case without a rebuild.
 */
const canRun = browserTestsCanRun('tests/browser/cases-journey.test.ts');

const TITLE = 'Temirtau: thermoregulators in school boiler rooms';
/** A word found nowhere else on the site, to search for. */
const RARE_WORD = 'thermoregulators';

describe.runIf(canRun)('practice sharing in a browser', () => {
  const { visitor } = useVisitors();
  const pathOf = (page: Page) => new URL(page.url()).pathname;

  it('submit → changes requested → resubmit → approve → public, without JavaScript', async () => {
    // 1. A Temirtau member writes a case by its labels and previews it.
    const member = await visitor();
    const page = member.page;
    await signInAs(page, 'temirtau@example.org');
    await page.getByRole('link', { name: "My town's cases" }).click();
    await page.getByRole('link', { name: 'Write a new case' }).click();
    expect(pathOf(page)).toBe('/en/account/cases/new/');
    await page.getByLabel('Title', { exact: true }).fill(TITLE);
    await page.getByLabel('Summary', { exact: true }).fill('Temirtau fitted automatic regulators in the boiler rooms of its schools and cut heat use by a quarter.');
    await page.getByLabel('Utilities and housing', { exact: true }).check();
    await page.getByLabel('Period', { exact: true }).fill('2023–2025');
    await page.getByLabel('Funding', { exact: true }).fill('Town education budget');
    await page.getByLabel('Contact person', { exact: true }).fill('Dana Akhmetova');
    await page.getByLabel('Their position', { exact: true }).fill('Education department, Temirtau akimat');
    await page.getByLabel('Context', { exact: true }).fill('Temirtau has 30 schools, most heated from their own old boiler rooms.');
    await page.getByLabel('Challenge', { exact: true }).fill('Classrooms were too hot in autumn and too cold in January.');
    await page.getByLabel('Approach', { exact: true }).fill(`The town fitted **${RARE_WORD}** that follow the outdoor temperature.`);
    await page.getByLabel('Obstacles', { exact: true }).fill('Caretakers had to learn the new controls.');
    await page.getByLabel('Results', { exact: true }).fill('Heat use fell by a quarter.');
    // "Next steps" is left empty for now: the preview and the draft do not need it.
    expect(await submitForm(page, 'Preview')).toBe(200);
    const preview = page.locator('.case-preview');
    await expect(preview.getByRole('heading', { level: 3 }).textContent()).resolves.toBe(TITLE);
    await expect(preview.locator('strong').first().textContent()).resolves.toBe(RARE_WORD);
    await expect(page.getByLabel('Approach', { exact: true }).inputValue()).resolves.toContain(RARE_WORD);

    // 2. Sending it incomplete is refused with a message; the text stays.
    expect(await submitForm(page, 'Send to the editors')).toBe(400);
    await expect(page.getByRole('alert').first().textContent()).resolves.toContain('There is a problem');
    await expect(page.getByLabel('Context', { exact: true }).inputValue()).resolves.toContain('30 schools');

    // 3. Saved as a draft, then completed and sent.
    expect(await submitForm(page, 'Save draft')).toBe(303);
    expect(pathOf(page)).toMatch(/^\/en\/account\/cases\/\d+\/$/);
    await expect(page.getByRole('status').textContent()).resolves.toBe('The draft is saved.');
    const draftPath = pathOf(page);
    await page.getByLabel('Next steps', { exact: true }).fill('Kindergartens next.');
    expect(await submitForm(page, 'Send to the editors')).toBe(303);
    await expect(page.getByRole('status').textContent()).resolves.toContain('The case is with the editors.');
    expect(member.watcher.problems()).toEqual([]);

    // 4. The editor finds it in the queue and asks for changes.
    const editor = await visitor();
    await signInAs(editor.page, 'editor@example.org');
    await editor.page.goto('/en/editor/cases/');
    await editor.page.getByRole('link', { name: TITLE, exact: true }).click();
    await editor.page.getByLabel('What should the town change?', { exact: true }).fill('Please add how many schools took part.');
    expect(await submitForm(editor.page, 'Send back for changes')).toBe(303);
    await expect(editor.page.getByRole('status').textContent()).resolves.toBe('The case is sent back with your requested changes.');

    // 5. The member reads the comment, edits and sends it again.
    await page.goto(draftPath);
    await expect(page.getByRole('main').textContent()).resolves.toContain('Please add how many schools took part.');
    await page.getByLabel('Results', { exact: true }).fill('All 30 schools took part. Heat use fell by a quarter.');
    expect(await submitForm(page, 'Send to the editors')).toBe(303);

    // 6. The editor approves it.
    await editor.page.reload();
    expect(await submitForm(editor.page, 'Approve and publish')).toBe(303);
    await expect(editor.page.getByRole('status').textContent()).resolves.toBe('The case is approved and published.');
    expect(editor.watcher.problems()).toEqual([]);

    // 7. The public finds it in the town's cases and reads it.
    const reader = await visitor();
    await reader.page.goto('/en/cases/?town=temirtau');
    await reader.page.getByRole('link', { name: TITLE, exact: true }).click();
    await expect(reader.page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe(TITLE);
    await expect(reader.page.getByRole('main').textContent()).resolves.toContain('Submitted by Temirtau, a member town.');
    await expect(reader.page.getByRole('main').textContent()).resolves.toContain('All 30 schools took part.');
    expect(reader.watcher.problems()).toEqual([]);

    // 8. Search finds it at once: the approval wrote its search documents (needs the
    // search sources of issue 16, branch i16-sources).
    const searcher = await visitor();
    await searcher.page.goto(`/en/search/?q=${encodeURIComponent(RARE_WORD)}`);
    const result = searcher.page.locator('.search-result__title a', { hasText: TITLE }).first();
    await result.waitFor();
    expect(await result.getAttribute('href')).toBe(new URL(reader.page.url()).pathname);
    expect(searcher.watcher.problems()).toEqual([]);
  }, 90_000);

  it('with JavaScript, the preview follows the typing (nothing saved, nothing unsafe)', async () => {
    const { page, watcher } = await visitor({ javaScript: true });
    await signInAs(page, 'ridder@example.org');
    await page.goto('/en/account/cases/new/');
    await page.getByLabel('Title', { exact: true }).fill('Ridder: a live preview');
    await page.getByLabel('Context', { exact: true }).fill('Typed **here** <img src=x onerror="document.title=1">');
    const preview = page.locator('.case-preview');
    await preview.locator('strong', { hasText: 'here' }).waitFor();
    await expect(preview.getByRole('heading', { level: 3 }).textContent()).resolves.toBe('Ridder: a live preview');
    expect(await preview.locator('img').count()).toBe(0);
    expect(pathOf(page)).toBe('/en/account/cases/new/');
    expect(watcher.problems()).toEqual([]);
  }, 30_000);

  it('search finds a demo member case by a word of its text, from any language, opened in the reader\'s language', async () => {
    // The seed indexes demo cases; the town's own profile may be found too, so the case is picked by its address.
    const searcher = await visitor();
    await searcher.page.goto(`/en/search/?q=${encodeURIComponent('Бухтарминской')}`);
    const result = searcher.page.locator('.search-result__title a[href^="/en/cases/"]', { hasText: 'Серебрянск' }).first();
    await result.waitFor();
    expect(await result.getAttribute('href')).toBe('/en/cases/serebryansk-small-business-desk/');
    expect(searcher.watcher.problems()).toEqual([]);
  }, 30_000);

  for (const width of [360, 1280]) {
    it(`axe finds nothing on the case form (empty and with errors) and a published member case at ${width} px`, async () => {
      const { page } = await visitor({ width, bypassCSP: true, javaScript: true });
      await signInAs(page, 'ridder@example.org');
      await page.goto('/en/account/cases/new/');
      expect(formatViolations(await runAxe(page))).toBe('');
      await page.getByLabel('Title', { exact: true }).fill('x');
      await page.getByLabel('Before', { exact: true }).first().fill('many');
      await page.getByRole('button', { name: 'Send to the editors', exact: true }).click();
      await page.waitForLoadState();
      await page.locator('.error-summary').waitFor();
      expect(formatViolations(await runAxe(page))).toBe('');
      await page.goto('/ru/cases/serebryansk-small-business-desk/');
      expect(formatViolations(await runAxe(page))).toBe('');
      await page.goto('/en/account/cases/');
      expect(formatViolations(await runAxe(page))).toBe('');
    }, 60_000);
  }

  it('axe finds nothing on the editors\' queue and review page', async () => {
    const { page } = await visitor({ bypassCSP: true, javaScript: true });
    await signInAs(page, 'editor@example.org');
    await page.goto('/en/editor/cases/');
    expect(formatViolations(await runAxe(page))).toBe('');
    await page.getByRole('link', { name: 'Ridder: one counter for utility complaints', exact: true }).click();
    expect(formatViolations(await runAxe(page))).toBe('');
  }, 30_000);
});
