import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { browserTestsCanRun, formatViolations, runAxe, saveScreenshot, signInAs, submitForm, useVisitors } from '../helpers/browser.ts';

/**
 * The editorial workspace in a real browser with JavaScript off (every step a plain form
 * post): an author writes a news item in Russian, previews it and submits it; an editor
 * publishes it and adds the Kazakh translation beside the Russian text; the public reads
 * both. Then the workspace pages and the published item pass axe at 360 and 1280 px.
 */
const canRun = browserTestsCanRun('tests/browser/editorial-journey.test.ts');

const TITLE = 'Города обменялись опытом учёта тепла';
const KK_TITLE = 'Қалалар жылу есебі бойынша тәжірибе алмасты';

describe.runIf(canRun)('the editorial workspace in a browser', () => {
  const { visitor } = useVisitors();
  const pathOf = (page: Page) => new URL(page.url()).pathname;
  let itemPath = '';

  it('an author writes and submits a Russian news item; an editor publishes it and adds the Kazakh translation; without JavaScript', { timeout: 180_000 }, async () => {
    // 1. The author, on a phone, finds the workspace from the account menu and writes in Russian.
    const author = (await visitor({ width: 360 })).page;
    await signInAs(author, 'author@example.org');
    await author.goto('/ru/editor/content/');
    await author.getByRole('link', { name: 'Новость', exact: true }).click();
    expect(pathOf(author)).toBe('/ru/editor/content/new/');
    await author.getByLabel('Адрес (slug)').fill('heat-metering-exchange');
    await author.getByLabel('Язык этого текста').selectOption('ru');
    await author.getByLabel('Заголовок', { exact: true }).fill(TITLE);
    await author.getByLabel('Краткое описание').fill('Специалисты пяти городов обсудили, как ставить общедомовые приборы учёта тепла и как с ними работать.');
    await author.getByLabel('Дата', { exact: true }).fill('2026-11-28');
    await author.getByLabel('ЖКХ и жильё', { exact: true }).check();
    await author.getByLabel('Текст (markdown)').fill('Встреча прошла в **Темиртау**.\n\n## Что решили\n\nСобрать общий чек-лист закупки.');
    expect(await submitForm(author, 'Предпросмотр')).toBe(200);
    await expect(author.locator('.markdown-preview strong').first().textContent()).resolves.toBe('Темиртау');
    await expect(author.getByLabel('Заголовок', { exact: true }).inputValue()).resolves.toBe(TITLE);
    await saveScreenshot(author, 'editorial', 'new-360');
    expect(await submitForm(author, 'Сохранить и отправить на проверку')).toBe(303);
    expect(pathOf(author)).toMatch(/^\/ru\/editor\/content\/\d+\/$/);
    itemPath = pathOf(author);
    await expect(author.getByRole('status').textContent()).resolves.toContain('Отправлено на проверку');
    // An author cannot publish: no such button.
    await expect(author.getByRole('button', { name: 'Опубликовать сейчас' }).count()).resolves.toBe(0);

    // 2. The editor publishes it.
    const editor = (await visitor({ width: 1280 })).page;
    await signInAs(editor, 'editor@example.org');
    await editor.goto('/ru/editor/content/?state=submitted');
    await editor.getByRole('link', { name: TITLE }).click();
    expect(await submitForm(editor, 'Опубликовать сейчас')).toBe(303);
    await expect(editor.getByRole('status').textContent()).resolves.toContain('Опубликовано');

    // 3. The editor writes the Kazakh translation beside the Russian text.
    await editor.getByRole('link', { name: 'Написать перевод: казахский' }).click();
    await expect(editor.getByRole('heading', { name: 'Исходный текст (русский)' }).count()).resolves.toBe(1);
    await editor.getByLabel('Заголовок', { exact: true }).fill(KK_TITLE);
    await editor.getByLabel('Краткое описание').fill('Бес қаланың мамандары үйлерге жылу есептегіштерін орнату және олармен жұмыс істеу тәжірибесімен бөлісті.');
    await editor.getByLabel('Текст (markdown)').fill('Кездесу **Теміртауда** өтті.\n\n## Не шешілді\n\nСатып алудың ортақ тізімін жасау.');
    await saveScreenshot(editor, 'editorial', 'translate-1280');
    expect(await submitForm(editor, 'Сохранить')).toBe(303);
    // Saving a translation of a published item drafts a revision; publishing it makes both languages public.
    expect(await submitForm(editor, 'Опубликовать сейчас')).toBe(303);

    // 4. The public reads both, in the list and on the item page.
    const reader = (await visitor({ width: 360 })).page;
    await reader.goto('/ru/news/');
    await reader.getByRole('link', { name: TITLE }).click();
    expect(pathOf(reader)).toBe('/ru/news/heat-metering-exchange/');
    await expect(reader.getByRole('heading', { level: 1 }).textContent()).resolves.toBe(TITLE);
    await reader.goto('/kk/news/heat-metering-exchange/');
    await expect(reader.getByRole('heading', { level: 1 }).textContent()).resolves.toBe(KK_TITLE);
    await saveScreenshot(reader, 'editorial', 'published-kk-360');
  });

  it('the workspace pages and the published item pass axe at 360 and 1280 px', { timeout: 300_000 }, async () => {
    for (const width of [360, 1280]) {
      const { page } = await visitor({ width, javaScript: true, bypassCSP: true });
      await signInAs(page, 'editor@example.org');
      const id = itemPath.match(/(\d+)/)?.[1] ?? '1';
      for (const path of ['/ru/editor/content/', '/ru/editor/content/new/?collection=events', `/ru/editor/content/${id}/?lang=kk`, `/ru/editor/content/${id}/history/?lang=ru`, '/kk/editor/content/translations/?into=en', '/kk/news/heat-metering-exchange/']) {
        await page.goto(path);
        const violations = await runAxe(page);
        expect(violations, `${path} at ${width}px\n${formatViolations(violations)}`).toEqual([]);
        await saveScreenshot(page, 'editorial', `${path.replace(/[^a-z0-9]+/g, '-')}-${width}`);
      }
    }
  });
});
