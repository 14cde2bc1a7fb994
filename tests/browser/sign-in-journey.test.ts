import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { browserTestsCanRun, userMenuSettled, useVisitors } from '../helpers/browser.ts';
import { DEMO_PASSWORD } from '../helpers/server.ts';

/**
 * A new visitor's way through the portal in a real browser, with the site's real
 * Content-Security-Policy: landing, switching language, signing in, seeing who is
 * signed in on prerendered and on-demand pages, and signing out. Once with
 * JavaScript, once without.
 */
const canRun = browserTestsCanRun('tests/browser/sign-in-journey.test.ts');

const EMAIL = 'temirtau@example.org';
const NAME = 'Yerlan Bekov';
const TOWN = 'Temirtau';

describe.runIf(canRun)('sign-in journey in a browser', () => {
  const { visitor } = useVisitors();

  const pathOf = (page: Page) => new URL(page.url()).pathname;
  const htmlLang = (page: Page) => page.getAttribute('html', 'lang');
  const header = (page: Page) => page.getByRole('banner');

  /** The header's user menu is final (tests/helpers/browser.ts: only a signed-in browser fetches it). */
  const userMenuLoaded = userMenuSettled;

  /** Follows a language switcher link and checks that the same page came back in that language. */
  async function switchLanguage(page: Page, linkName: string, language: string, samePath: string): Promise<void> {
    const current = page.locator('.main-nav a[aria-current="page"]');
    const before = (await current.count()) > 0 ? await current.getAttribute('href') : null;
    await page.getByRole('banner').getByRole('link', { name: linkName, exact: true }).click();
    await page.waitForURL((url) => url.pathname === `/${language}${samePath}`);
    expect(await htmlLang(page)).toBe(language);
    // The same page: the current main-navigation entry (if the page has one) is the same section, in the new language.
    if (before) expect(await current.getAttribute('href')).toBe(before.replace(/^\/[a-z]{2}\//, `/${language}/`));
    // The language we are now in is marked, not linked.
    await expect(page.locator('.language-switcher [aria-current="true"]').getAttribute('lang')).resolves.toBe(language);
  }

  async function journey(page: Page, javaScript: boolean): Promise<void> {
    // About, then Russian and back to English: the page is kept across languages.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'About' }).click();
    await page.waitForURL((url) => url.pathname === '/en/about/');
    if (javaScript) await userMenuLoaded(page);
    await switchLanguage(page, 'Русский', 'ru', '/about/');
    if (javaScript) await userMenuLoaded(page);
    await switchLanguage(page, 'English', 'en', '/about/');
    if (javaScript) await userMenuLoaded(page);

    // Sign in from the header link.
    await header(page).getByRole('link', { name: 'Sign in', exact: true }).click();
    await page.waitForURL((url) => url.pathname === '/en/sign-in/');
    await page.getByLabel('Email address').pressSequentially(EMAIL);
    await page.getByLabel('Password').pressSequentially(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.waitForURL((url) => url.pathname === '/en/account/');
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toContain(NAME);
    await expect(page.getByRole('main').textContent()).resolves.toContain(TOWN);
    // The account page is rendered on demand: its header names the member, with or without JavaScript.
    await header(page).getByText(NAME).waitFor();
    await header(page).getByRole('button', { name: 'Sign out' }).waitFor();

    // A prerendered page is the same for everyone (the indicator catalogue; About is on demand,
    // as the editorial workspace may have a newer version of it).
    const menuResponse = javaScript ? page.waitForResponse((response) => new URL(response.url()).pathname === '/en/user-menu/') : null;
    await page.goto('/en/indicators/');
    await page.waitForURL((url) => url.pathname === '/en/indicators/');
    // Its only script is an external one from this origin (no inline script under `script-src 'self'`).
    expect(await page.locator('script:not([src])').count()).toBe(0);
    expect(await page.locator('script[src^="/_astro/"]').count()).toBe(1);
    if (javaScript) {
      // That script fetched /en/user-menu/ (allowed by `script-src 'self'` and
      // `default-src 'self'`) and put the member's own menu in the header.
      expect((await menuResponse!).status()).toBe(200);
      await userMenuLoaded(page);
      await expect(header(page).locator('.user-menu__name').textContent()).resolves.toBe(NAME);
      await expect(header(page).locator('.user-menu__town').textContent()).resolves.toBe(TOWN);
      expect(await header(page).getByRole('link', { name: 'Sign in', exact: true }).count()).toBe(0);
    } else {
      // Without JavaScript the static fallback stays: a sign-in link, and no name.
      await header(page).getByRole('link', { name: 'Sign in', exact: true }).waitFor();
      expect(await header(page).getByText(NAME).count()).toBe(0);
      // The on-demand account page still knows who is signed in.
      await page.goto('/en/account/');
      expect(pathOf(page)).toBe('/en/account/');
      await header(page).getByText(NAME).waitFor();
    }

    // Sign out: a form post from the header's button, back to the home page.
    await header(page).getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL((url) => url.pathname === '/en/');
    if (javaScript) await userMenuLoaded(page);
    await header(page).getByRole('link', { name: 'Sign in', exact: true }).waitFor();
    expect(await page.getByText(NAME).count()).toBe(0);

    // The account page now asks for a sign-in, and would come back to itself.
    await page.goto('/en/account/');
    expect(pathOf(page)).toBe('/en/sign-in/');
    expect(new URL(page.url()).searchParams.get('next')).toBe('/en/account/');
    await page.getByLabel('Email address').waitFor();
    const session = (await page.context().cookies()).find((cookie) => cookie.name === 'qala_session');
    expect(session?.value ?? '').toBe('');
  }

  it('with JavaScript: lands in Kazakh, switches language, signs in, sees the name on prerendered pages, signs out', async () => {
    // A language the site does not have: `/` falls back to Kazakh.
    const { page, watcher } = await visitor({ javaScript: true, locale: 'de-DE' });
    await page.goto('/');
    expect(pathOf(page)).toBe('/kk/');
    expect(await htmlLang(page)).toBe('kk');
    await userMenuLoaded(page);
    await switchLanguage(page, 'English', 'en', '/');
    await userMenuLoaded(page);
    await journey(page, true);
    expect(watcher.problems()).toEqual([]);
  }, 60_000);

  it('without JavaScript: lands in English, everything works; prerendered pages show the sign-in link', async () => {
    const { page, watcher } = await visitor({ javaScript: false, locale: 'en' });
    await page.goto('/');
    expect(pathOf(page)).toBe('/en/');
    expect(await htmlLang(page)).toBe('en');
    await journey(page, false);
    expect(watcher.problems()).toEqual([]);
  }, 60_000);

  it('a wrong password shows the error summary and keeps the typed email', async () => {
    const { page, watcher } = await visitor({ javaScript: true, locale: 'en' });
    await page.goto('/en/sign-in/');
    await page.getByLabel('Email address').pressSequentially(EMAIL);
    await page.getByLabel('Password').pressSequentially('not-the-password');
    const answer = page.waitForResponse((response) => response.request().method() === 'POST' && response.request().isNavigationRequest());
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    expect((await answer).status()).toBe(401);
    await page.waitForLoadState();

    expect(pathOf(page)).toBe('/en/sign-in/');
    const summary = page.getByRole('alert');
    await expect(summary.getByRole('heading', { name: 'There is a problem' }).count()).resolves.toBe(1);
    await expect(summary.textContent()).resolves.toContain('The email address or password is not right.');
    await expect(page.getByLabel('Email address').inputValue()).resolves.toBe(EMAIL);
    await expect(page.getByLabel('Password').inputValue()).resolves.toBe('');
    expect((await page.context().cookies()).filter((cookie) => cookie.name === 'qala_session' && cookie.value !== '')).toEqual([]);
    expect(watcher.problems()).toEqual([]);
  });

  it('keyboard: the first Tab on /en/ reaches "Skip to main content", which moves focus to the main content', async () => {
    const { page, watcher } = await visitor({ javaScript: true, locale: 'en' });
    await page.goto('/en/');
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => ({
      tag: document.activeElement?.tagName,
      text: document.activeElement?.textContent?.trim(),
      href: document.activeElement?.getAttribute('href'),
    }));
    expect(focused).toEqual({ tag: 'A', text: 'Skip to main content', href: '#main' });
    await expect(page.getByRole('link', { name: 'Skip to main content' }).isVisible()).resolves.toBe(true);

    await page.keyboard.press('Enter');
    await expect(page.evaluate(() => document.activeElement?.id)).resolves.toBe('main');
    expect(watcher.problems()).toEqual([]);
  });

  it('the problem watcher itself sees a CSP violation (so an empty list means something)', async () => {
    const { page, watcher } = await visitor({ javaScript: true, locale: 'en' });
    await page.goto('/en/');
    await page.addScriptTag({ content: 'window.inlineRan = true;' }).catch(() => undefined);
    await page.waitForFunction(() => true);
    await expect.poll(() => watcher.problems().some((line) => line.startsWith('CSP violation: script-src'))).toBe(true);
    expect(await page.evaluate(() => 'inlineRan' in window)).toBe(false);
  });

  it('a visitor whose browser sends only "en-GB" lands on /en/', async () => {
    const { page } = await visitor({ javaScript: false, locale: 'en-GB' });
    await page.goto('/');
    expect(pathOf(page)).toBe('/en/');
  });
});
