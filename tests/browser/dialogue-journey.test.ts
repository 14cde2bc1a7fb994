import { sql } from 'kysely';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { browserTestsCanRun, formatViolations, runAxe, saveScreenshot, signInAs, submitForm, useVisitors } from '../helpers/browser.ts';
import { lastMailTo, linkIn } from '../helpers/outbox.ts';
import { readRows } from '../helpers/server-database.ts';

/**
 * Partners and the dialogue space in a real browser with JavaScript off (every step a
 * plain form post): an organisation applies, an editor approves, its contact accepts the
 * invitation and opens a first topic, which an editor approves; a named town answers,
 * an editor hides an answer naming a rule, and the opener ends the dialogue with its
 * outcome. Then axe-core on the dialogue's pages at 360 and 1280 px in three languages.
 */
const canRun = browserTestsCanRun('tests/browser/dialogue-journey.test.ts');

describe.runIf(canRun)('the dialogue space in a browser, without JavaScript', () => {
  const { running, visitor } = useVisitors();
  const main = (page: Page) => page.getByRole('main').textContent();

  it('a partner applies, is approved, opens a first topic that an editor approves; a town answers, an editor hides an answer, the opener ends it', async () => {
    // 1. The organisation applies.
    const applicant = await visitor();
    const form = applicant.page;
    await form.goto('/en/partners/apply/');
    await form.getByLabel('Name of the organisation', { exact: true }).fill('Balkhash Copper Logistics');
    await form.getByLabel('Kind of organisation', { exact: true }).selectOption({ label: 'Company' });
    await form.getByLabel('BIN or registration number', { exact: true }).fill('120440012345');
    await form.getByLabel('Sector', { exact: true }).fill('Rail logistics');
    await form.getByLabel('Karaganda Region', { exact: true }).check();
    await form.getByLabel('Contact person', { exact: true }).fill('Aidos Serikbayev');
    await form.getByLabel('Official email address', { exact: true }).fill('aidos@logistics.example.kz');
    await form.getByLabel('Phone', { exact: true }).fill('+7 71036 4-00-00');
    // A motivation too short: the form comes back with what was typed and a clear message.
    await form.getByLabel('Why does your organisation want to work with the towns?', { exact: true }).fill('Short');
    expect(await submitForm(form, 'Send application')).toBe(400);
    await expect(form.getByLabel('Name of the organisation', { exact: true }).inputValue()).resolves.toBe('Balkhash Copper Logistics');
    await expect(form.getByLabel('Karaganda Region', { exact: true }).isChecked()).resolves.toBe(true);
    await form.getByLabel('Why does your organisation want to work with the towns?', { exact: true }).fill('We move the copper of Balkhash and want to plan the freight yard with the town.');
    expect(await submitForm(form, 'Send application')).toBe(200);
    await expect(form.getByRole('status').textContent()).resolves.toContain('Your application has been received');
    expect(applicant.watcher.problems()).toEqual([]);

    // 2. An editor approves it from the queue.
    const editor = await visitor();
    await signInAs(editor.page, 'editor@example.org');
    await editor.page.goto('/en/editor/partners/');
    await editor.page.getByRole('link', { name: 'Balkhash Copper Logistics', exact: true }).click();
    expect(await submitForm(editor.page, 'Approve and invite the contact')).toBe(200);
    await expect(editor.page.getByRole('status').textContent()).resolves.toContain('approved');

    // 3. The contact accepts the invitation and is a partner.
    const link = linkIn(await lastMailTo(running.server.databaseUrl, 'aidos@logistics.example.kz'), running.server.url);
    const partner = await visitor();
    await partner.page.goto(link);
    await partner.page.getByLabel('New password', { exact: true }).fill('copper freight by the lake');
    await partner.page.getByLabel('New password again', { exact: true }).fill('copper freight by the lake');
    await partner.page.getByRole('button', { name: 'Create my account', exact: true }).click();
    await partner.page.waitForURL((url) => url.pathname === '/en/account/');
    const home = await main(partner.page);
    expect(home).toContain('Partner');
    expect(home).toContain('Balkhash Copper Logistics');
    expect(home).not.toContain('Expertise exchange');

    // 4. Its first topic waits for an editor.
    await partner.page.goto('/en/dialogue/new/');
    await partner.page.getByLabel('Title', { exact: true }).fill('A shared freight yard for Balkhash');
    await partner.page.getByLabel('Kind of topic', { exact: true }).selectOption({ label: 'Offer of investment or partnership' });
    await partner.page.getByLabel('Text', { exact: true }).fill('We offer to build a freight yard that small firms of the town may use too.');
    await partner.page.getByLabel('Balkhash', { exact: true }).check();
    await partner.page.getByLabel('Make the topic public', { exact: true }).check();
    expect(await submitForm(partner.page, 'Open the topic')).toBe(303);
    await expect(partner.page.getByRole('status').textContent()).resolves.toContain('sent to the editors');
    const topicPath = new URL(partner.page.url()).pathname;
    expect(topicPath).toMatch(/^\/en\/dialogue\/\d+\/$/);

    // A member of another town does not see it yet.
    const member = await visitor();
    await signInAs(member.page, 'ridder@example.org');
    await member.page.goto(topicPath);
    await expect(member.page.getByRole('heading', { level: 1 }).textContent()).resolves.not.toContain('freight yard');

    // 5. The editor approves; the offer stays members-only (a partner's offer is public only when an editor says so).
    await editor.page.goto(topicPath);
    expect(await submitForm(editor.page, 'Approve the topic')).toBe(200);
    await expect(editor.page.getByRole('status').textContent()).resolves.toBe('The topic has been approved and is open.');
    await expect(main(editor.page)).resolves.toContain('Members and partners only');

    // 6. A town that is not named reads but may not answer; the editor answers for the association, then hides a partner's answer naming a rule.
    await member.page.goto(topicPath);
    await expect(main(member.page)).resolves.toContain('The towns and partners asked');
    await partner.page.goto(topicPath);
    await partner.page.getByLabel('Your answer', { exact: true }).fill('Our phone for firms: +7 700 000 00 00, ask for Aidos at home.');
    expect(await submitForm(partner.page, 'Post the answer')).toBe(200);
    await editor.page.goto(topicPath);
    await editor.page.getByText('Hide this answer').click();
    await editor.page.getByLabel('The rule it breaks').selectOption({ index: 2 });
    await editor.page.getByLabel('Reason, shown to the author', { exact: true }).fill('Personal phone numbers stay out of the dialogue.');
    expect(await submitForm(editor.page, 'Hide the answer')).toBe(200);
    await member.page.goto(topicPath);
    await expect(main(member.page)).resolves.not.toContain('+7 700 000 00 00');
    await partner.page.goto(topicPath);
    await expect(main(partner.page)).resolves.toContain('Personal phone numbers stay out of the dialogue.');

    // 7. The opener ends it with an outcome, kept in the history.
    await partner.page.getByLabel('New status', { exact: true }).selectOption({ label: 'Agreed' });
    expect(await submitForm(partner.page, 'Change the status')).toBe(400);
    await expect(partner.page.getByRole('main').textContent()).resolves.toContain('Write the outcome');
    await partner.page.getByLabel('New status', { exact: true }).selectOption({ label: 'Agreed' });
    await partner.page.getByLabel('Outcome', { exact: true }).fill('The akimat allots the land; the yard opens in 2027.');
    expect(await submitForm(partner.page, 'Change the status')).toBe(200);
    const ended = await main(partner.page);
    expect(ended).toContain('The akimat allots the land; the yard opens in 2027.');
    expect(ended).toContain('set the status to “Agreed”');
    expect(ended).toContain('hid an answer under the rule');
    for (const watcher of [partner.watcher, editor.watcher, member.watcher]) expect(watcher.problems()).toEqual([]);
  }, 120_000);

  it.each([360, 1280])('axe-core finds no WCAG 2.1 A/AA violation on the dialogue and partner pages in kk, ru and en at %i px', async (width) => {
    const topics = await readRows(running.server.databaseUrl, sql<{ id: number; public: number }>`SELECT id, public FROM dialogue_topics ORDER BY id`);
    const publicTopic = topics.find((topic) => Number(topic.public) === 1)!.id;
    const membersTopic = topics.find((topic) => Number(topic.public) === 0)!.id;
    const check = async (page: Page, path: string, shot: string) => {
      await page.goto(path);
      expect(formatViolations(await runAxe(page)), path).toBe('');
      expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), `${path} fits ${width}px`).toBe(true);
      await saveScreenshot(page, 'dialogue', `${shot}-${width}`);
    };
    const { page } = await visitor({ width, javaScript: true, bypassCSP: true });
    for (const lang of ['kk', 'ru', 'en']) {
      await check(page, `/${lang}/dialogue/`, `${lang}-list-visitor`);
      await check(page, `/${lang}/dialogue/${publicTopic}/`, `${lang}-topic-visitor`);
      await check(page, `/${lang}/partners/apply/`, `${lang}-apply`);
    }
    const partner = (await visitor({ width, javaScript: true, bypassCSP: true })).page;
    await signInAs(partner, 'partner-agency@example.org');
    for (const lang of ['kk', 'ru', 'en']) {
      await check(partner, `/${lang}/dialogue/${membersTopic}/`, `${lang}-topic-partner`);
      await check(partner, `/${lang}/dialogue/new/`, `${lang}-new-partner`);
      await check(partner, `/${lang}/account/colleagues/`, `${lang}-colleagues-partner`);
      await check(partner, `/${lang}/account/`, `${lang}-home-partner`);
    }
    const editor = (await visitor({ width, javaScript: true, bypassCSP: true })).page;
    await signInAs(editor, 'editor@example.org');
    for (const lang of ['kk', 'ru', 'en']) {
      await check(editor, `/${lang}/dialogue/${publicTopic}/`, `${lang}-topic-editor`);
      await check(editor, `/${lang}/editor/partners/?status=approved`, `${lang}-partners-editor`);
    }
  }, 180_000);
});
