import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserTestsCanRun, launchBrowser, SCREENSHOTS_WANTED, userMenuSettled } from '../helpers/browser.ts';
import { DEMO_PASSWORD, startServer, type RunningServer } from '../helpers/server.ts';

/**
 * Full-page screenshots for the team, written only with QALA_SCREENSHOTS=1 to
 * tests/.artifacts/screenshots/ (git-ignored). Pages are shown as a visitor sees
 * them: the site's CSP in force, JavaScript on.
 */
const canRun = SCREENSHOTS_WANTED && browserTestsCanRun('tests/browser/screenshots.test.ts');
if (!SCREENSHOTS_WANTED) console.info('tests/browser/screenshots.test.ts: set QALA_SCREENSHOTS=1 to write screenshots.');

const DIRECTORY = fileURLToPath(new URL('../.artifacts/screenshots/', import.meta.url));
const WIDTHS = [360, 1280] as const;

async function open(page: Page, path: string): Promise<void> {
  await page.goto(path);
  await userMenuSettled(page);
}

async function signIn(page: Page, email: string, password: string): Promise<void> {
  await open(page, '/en/sign-in/');
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.waitForLoadState();
}

const SHOTS: { file: string; member?: boolean; open: (page: Page) => Promise<void> }[] = [
  { file: 'en-home', open: (page) => open(page, '/en/') },
  { file: 'kk-home', open: (page) => open(page, '/kk/') },
  { file: 'ru-about', open: (page) => open(page, '/ru/about/') },
  {
    file: 'en-sign-in-errors',
    open: async (page) => {
      await signIn(page, 'temirtau@example.org', 'not-the-password');
      await page.getByRole('alert').waitFor();
    },
  },
  {
    file: 'en-account',
    member: true,
    open: async (page) => {
      await open(page, '/en/account/');
      expect(new URL(page.url()).pathname).toBe('/en/account/');
    },
  },
  { file: 'en-towns', open: (page) => open(page, '/en/towns/') },
  { file: 'ru-town-ridder', open: (page) => open(page, '/ru/towns/ridder/') },
  { file: 'kk-towns-compare', open: (page) => open(page, '/kk/towns/compare/?indicator=unemployment-rate&towns=ridder,kurchatov,zyryanovsk,serebryansk') },
];

describe.runIf(canRun)('screenshots (QALA_SCREENSHOTS=1)', () => {
  let server: RunningServer;
  let browser: Browser;

  beforeAll(async () => {
    mkdirSync(DIRECTORY, { recursive: true });
    [server, browser] = await Promise.all([startServer(), launchBrowser()]);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  describe.each(WIDTHS)('at %i px wide', (width) => {
    it.each(SHOTS)('$file', async (shot) => {
      const context = await browser.newContext({ baseURL: server.url, viewport: { width, height: 800 }, locale: 'en' });
      context.setDefaultTimeout(10_000);
      try {
        const page = await context.newPage();
        if (shot.member) {
          await signIn(page, 'temirtau@example.org', DEMO_PASSWORD);
          expect(new URL(page.url()).pathname).toBe('/en/account/');
        }
        await shot.open(page);
        const path = `${DIRECTORY}${shot.file}-${width}.png`;
        await page.screenshot({ path, fullPage: true });
      } finally {
        await context.close();
      }
    });
  });
});
