import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserTestsCanRun, formatViolations, runAxe, useServerAndBrowser, userMenuSettled } from '../helpers/browser.ts';
import { DEMO_PASSWORD } from '../helpers/server.ts';

/**
 * axe-core (WCAG 2.1 A and AA rules) on every kind of page, at a small phone width
 * and a desktop width, plus a check that nothing scrolls sideways. axe is injected
 * as an inline script, so these contexts bypass the site's CSP (the journey tests
 * keep it in force).
 */
const canRun = browserTestsCanRun('tests/browser/accessibility.test.ts');

const WIDTHS = [360, 1280] as const;

interface Check {
  name: string;
  /** Which visitor looks: a stranger or the signed-in demo member. */
  as: 'visitor' | 'member';
  /** Brings the page to the state to check. */
  open: (page: Page) => Promise<void>;
}

/** Opens a path; on prerendered pages waits for the header's user menu to be fetched in. */
async function open(page: Page, path: string, expectedStatus = 200): Promise<void> {
  const response = await page.goto(path);
  expect(response?.status(), `status of ${path}`).toBe(expectedStatus);
  await userMenuSettled(page);
}

async function submitSignIn(page: Page, email: string, password: string, expectedStatus: number): Promise<void> {
  await open(page, '/en/sign-in/');
  if (email) await page.getByLabel('Email address').fill(email);
  if (password) await page.getByLabel('Password').fill(password);
  const answer = page.waitForResponse((response) => response.request().method() === 'POST' && response.request().isNavigationRequest());
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  expect((await answer).status()).toBe(expectedStatus);
  await page.waitForLoadState();
  await page.getByRole('alert').waitFor();
}

const CHECKS: Check[] = [
  { name: '/en/ (home)', as: 'visitor', open: (page) => open(page, '/en/') },
  { name: '/kk/ (home)', as: 'visitor', open: (page) => open(page, '/kk/') },
  { name: '/ru/about/', as: 'visitor', open: (page) => open(page, '/ru/about/') },
  { name: '/en/sign-in/', as: 'visitor', open: (page) => open(page, '/en/sign-in/') },
  {
    name: '/en/sign-in/ after an empty submission (field errors)',
    as: 'visitor',
    open: async (page) => {
      await submitSignIn(page, '', '', 400);
      expect(await page.locator('[aria-invalid="true"]').count()).toBe(2);
    },
  },
  {
    name: '/en/sign-in/ after a wrong password (form error)',
    as: 'visitor',
    open: (page) => submitSignIn(page, 'temirtau@example.org', 'not-the-password', 401),
  },
  {
    name: '/en/account/ (signed in)',
    as: 'member',
    open: async (page) => {
      await open(page, '/en/account/');
      expect(new URL(page.url()).pathname).toBe('/en/account/');
    },
  },
  {
    name: '/en/indicators/ (signed in: user menu fetched into a prerendered page)',
    as: 'member',
    open: async (page) => {
      await open(page, '/en/indicators/');
      await page.locator('[data-user-menu] .user-menu__name').waitFor({ state: 'attached' });
    },
  },
  { name: '/en/does-not-exist (404)', as: 'visitor', open: (page) => open(page, '/en/does-not-exist', 404) },
];

describe.runIf(canRun)('accessibility (axe, WCAG 2.1 A/AA)', () => {
  const running = useServerAndBrowser();

  it('axe itself reports a planted violation (so an empty list means something)', async () => {
    const context = await running.browser.newContext({ baseURL: running.server.url, bypassCSP: true });
    try {
      const page = await context.newPage();
      await open(page, '/en/');
      await page.evaluate(() => document.querySelector('main')!.insertAdjacentHTML('beforeend', '<img src="/favicon.svg" width="10" height="10">'));
      const violations = await runAxe(page);
      expect(violations.map((violation) => violation.id)).toEqual(['image-alt']);
    } finally {
      await context.close();
    }
  });

  describe.each(WIDTHS)('at %i px wide', (width) => {
    const contexts = {} as Record<Check['as'], BrowserContext>;

    beforeAll(async () => {
      for (const as of ['visitor', 'member'] as const) {
        contexts[as] = await running.browser.newContext({ baseURL: running.server.url, viewport: { width, height: 800 }, bypassCSP: true, locale: 'en' });
        contexts[as].setDefaultTimeout(10_000);
      }
      // The member signs in once, through the form.
      const page = await contexts.member.newPage();
      await page.goto('/en/sign-in/');
      await page.getByLabel('Email address').fill('temirtau@example.org');
      await page.getByLabel('Password').fill(DEMO_PASSWORD);
      await page.getByRole('button', { name: 'Sign in', exact: true }).click();
      await page.waitForURL((url) => url.pathname === '/en/account/');
      await page.close();
    });

    afterAll(async () => {
      await Promise.all(Object.values(contexts).map((context) => context.close()));
    });

    it.each(CHECKS)('$name', async (check) => {
      const page = await contexts[check.as].newPage();
      try {
        await check.open(page);
        const violations = await runAxe(page);
        expect(violations, `axe violations on ${check.name} at ${width}px:\n${formatViolations(violations)}`).toEqual([]);

        const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
        expect(scrollWidth, `horizontal scrolling on ${check.name} at ${width}px`).toBeLessThanOrEqual(width);
      } finally {
        await page.close();
      }
    });
  });
});
