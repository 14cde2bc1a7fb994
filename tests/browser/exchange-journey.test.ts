import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { browserTestsCanRun, formatViolations, runAxe, useServerAndBrowser, type ProblemWatcher, submitForm, signInAs, openVisitor } from '../helpers/browser.ts';
import { DEMO_PASSWORD } from '../helpers/server.ts';

/**
 * The expertise exchange in a real browser with JavaScript off (every step a plain
 * form post): Temirtau asks for help, previews and publishes; Ridder answers;
 * Temirtau accepts the answer and resolves the request. Each page passes axe-core.
 */
const canRun = browserTestsCanRun('tests/browser/exchange-journey.test.ts');

const TITLE = 'Winter road clearing with a small fleet';
const BODY = 'Our town has **four** snowploughs for 120 km of streets. How do other towns plan routes and contract private machines?';
const ANSWER = 'In Ridder we split the town into six zones and signed a framework contract with two local firms.';
const OUTCOME = 'We adopted a six-zone plan and a framework contract, following Ridder.';

describe.runIf(canRun)('the expertise exchange in a browser, without JavaScript', () => {
  const running = useServerAndBrowser();
  const contexts: BrowserContext[] = [];
  afterAll(async () => {
    await Promise.all(contexts.map((context) => context.close()));
  });

  async function member(email: string): Promise<{ page: Page; watcher: ProblemWatcher }> {
    const { page, watcher } = await openVisitor(running.browser, running.server.url, contexts);
    await signInAs(page, email, DEMO_PASSWORD);
    return { page, watcher };
  }


  /**
   * axe needs JavaScript (and an inline script the CSP refuses), so the page's URL is
   * opened again in a second context with the same cookies, JavaScript on and CSP
   * bypassed. A GET of the same URL: pages here are the results of redirects.
   */
  async function expectAccessible(page: Page): Promise<void> {
    const auditor = await running.browser.newContext({ bypassCSP: true, locale: 'en', viewport: { width: 1280, height: 900 } });
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

  it('post → preview → publish → respond from another town → accept → resolve', async () => {
    // 1. Temirtau's town admin opens the exchange from the account page and asks for help.
    const asker = await member('temirtau-admin@example.org');
    let page = asker.page;
    await page.getByRole('link', { name: 'Expertise exchange' }).first().click();
    await expectAccessible(page);
    await page.getByRole('link', { name: 'Ask for help' }).click();
    await expectAccessible(page);
    await page.getByLabel('Title', { exact: true }).fill(TITLE);
    await page.getByLabel('What your town needs, and why').fill(BODY);
    await page.getByLabel('Advice by message').check();
    await page.getByLabel('Planning and governance').check();
    await page.getByLabel('Russian').check();

    // Preview without JavaScript: the form comes back with everything typed.
    expect(await submitForm(page, 'Preview')).toBe(200);
    await expect(page.locator('.markdown-preview strong').textContent()).resolves.toBe('four');
    await expect(page.getByLabel('Title', { exact: true }).inputValue()).resolves.toBe(TITLE);
    await expect(page.getByLabel('Planning and governance').isChecked()).resolves.toBe(true);

    expect(await submitForm(page, 'Publish the request')).toBe(303);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe(TITLE);
    await expect(page.getByRole('status').textContent()).resolves.toContain('The request is published');
    const requestPath = new URL(page.url()).pathname;
    await expectAccessible(page);

    // 2. A member in Ridder finds it in the list, filtered by topic, and answers.
    const helper = await member('ridder@example.org');
    page = helper.page;
    await page.goto('/en/exchange/');
    await page.getByLabel('Topic').selectOption({ label: 'Planning and governance' });
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.waitForLoadState();
    expect(new URL(page.url()).searchParams.get('topic')).toBe('planning-governance');
    await page.getByRole('link', { name: TITLE }).click();
    expect(new URL(page.url()).pathname).toBe(requestPath);
    await page.getByLabel('Your answer').fill(ANSWER);
    expect(await submitForm(page, 'Post the response')).toBe(303);
    await expect(page.getByRole('status').textContent()).resolves.toContain('Your response is posted');
    await expect(page.locator('.response').first().textContent()).resolves.toContain(ANSWER);
    await expectAccessible(page);

    // 3. Temirtau accepts the answer, then resolves the request with an outcome.
    page = asker.page;
    await page.goto(requestPath);
    expect(await submitForm(page, 'Accept this response')).toBe(303);
    await expect(page.locator('.response--accepted').textContent()).resolves.toContain(ANSWER);
    await expect(page.locator('.help-request__meta').textContent()).resolves.toContain('In progress');
    await page.getByLabel('What came of it').fill(OUTCOME);
    expect(await submitForm(page, 'Mark as resolved')).toBe(303);
    await expect(page.locator('.help-request__meta').textContent()).resolves.toContain('Resolved');
    await expect(page.locator('.help-request__outcome').textContent()).resolves.toContain(OUTCOME);
    await expect(page.getByRole('heading', { name: 'History' }).isVisible()).resolves.toBe(true);
    await expectAccessible(page);

    // 4. Ridder heard of the acceptance, and "requests I answered" lists the request.
    page = helper.page;
    await page.goto('/en/account/notifications/');
    await expect(page.locator('main').textContent()).resolves.toContain('accepted your response');
    await page.goto('/en/exchange/?scope=answered');
    await expect(page.getByRole('main').textContent()).resolves.toContain(TITLE);
    await expectAccessible(page);

    expect(asker.watcher.problems()).toEqual([]);
    expect(helper.watcher.problems()).toEqual([]);
  });
});
