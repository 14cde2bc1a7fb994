import type { BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserTestsCanRun, formatViolations, openVisitor, runAxe, signInAs, useServerAndBrowser } from '../helpers/browser.ts';
import { postForm, signIn } from '../helpers/http.ts';
import { DEMO_PASSWORD } from '../helpers/server.ts';

/**
 * The "People who could help" list of a request: each "Invite to answer" button's
 * accessible name begins with what it shows (axe's label-content-name-mismatch, which
 * is outside the WCAG tags the other browser tests run), so a speech-input user can say
 * what they see. Checked in all three languages.
 */
const canRun = browserTestsCanRun('tests/browser/matching-invite.test.ts');

describe.runIf(canRun)('inviting from a request’s suggestions', () => {
  const running = useServerAndBrowser();
  const open: BrowserContext[] = [];
  let requestPath = '';
  afterAll(async () => {
    await Promise.all(open.map((context) => context.close()));
  });
  beforeAll(async () => {
    const cookie = await signIn(running.server.url, 'temirtau-admin@example.org', DEMO_PASSWORD);
    const fields = { title: 'District heating tender for heat meters', body: 'We need a tender template for heat meters and advice on the heating network.', helpForms: ['advice'], topics: ['utilities-housing'], languages: ['ru'], urgency: 'normal', intent: 'publish' };
    const posted = await postForm(running.server.url, '/en/exchange/new/?_action=exchange.saveRequest', fields, { cookie });
    expect(posted.status).toBe(303);
    requestPath = new URL(posted.headers.get('location')!, running.server.url).pathname;
  });

  it.each([
    ['en', 'Invite to answer'],
    ['ru', 'Пригласить ответить'],
    ['kk', 'Жауап беруге шақыру'],
  ])('names each invite button by its visible text first (%s)', async (lang, visible) => {
    const { page } = await openVisitor(running.browser, running.server.url, open, { javaScript: true, bypassCSP: true });
    await signInAs(page, 'temirtau-admin@example.org', DEMO_PASSWORD);
    await page.goto(requestPath.replace(/^\/en\//, `/${lang}/`));
    const buttons = page.locator('.matching button');
    expect(await buttons.count()).toBeGreaterThan(0);
    const person = (await page.locator('.matching li a').first().textContent())!.trim();
    await expect(buttons.first().textContent()).resolves.toBe(`${visible}: ${person}`);
    const violations = await runAxe(page, { rules: ['label-content-name-mismatch'] });
    expect(violations, formatViolations(violations)).toEqual([]);
  });
});
