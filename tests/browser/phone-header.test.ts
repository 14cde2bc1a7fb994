import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserTestsCanRun, formatViolations, runAxe, signInAs, useServerAndBrowser, userMenuSettled } from '../helpers/browser.ts';
import { postForm, signIn } from '../helpers/http.ts';

/**
 * The header on a 360 px phone, for a signed-in member (the fullest header): folded into
 * a menu button that works without JavaScript, with the site name, search and the
 * notifications count in view and the content starting within 140 px; opened and used
 * with the keyboard; named and stated for a screen reader; no axe violation open or
 * closed. At 1280 px nothing is folded.
 */
const canRun = browserTestsCanRun('tests/browser/phone-header.test.ts');
const MEMBER = 'ridder@example.org';
const NEW_PASSWORD = 'a brand new passphrase';
const MAX_HEADER = 140;

describe.runIf(canRun)('the phone header', () => {
  const running = useServerAndBrowser();
  const contexts: BrowserContext[] = [];

  /** A signed-in member's context at a width, JavaScript on or off (CSP bypassed for axe). */
  async function memberContext(width: number, javaScriptEnabled: boolean): Promise<Page> {
    const context = await running.browser.newContext({ baseURL: running.server.url, viewport: { width, height: 740 }, javaScriptEnabled, bypassCSP: true, locale: 'en' });
    contexts.push(context);
    const page = await context.newPage();
    await signInAs(page, MEMBER, NEW_PASSWORD);
    return page;
  }

  beforeAll(async () => {
    // Give the member an unread notification: a password change notifies its owner.
    const cookie = await signIn(running.server.url, MEMBER, 'demo-qala-2026');
    const changed = await postForm(running.server.url, '/en/account/password/?_action=password.change', { current: 'demo-qala-2026', password: NEW_PASSWORD }, { cookie });
    expect(changed.status).toBe(200);
  });

  afterAll(async () => {
    for (const context of contexts) await context.close();
  });

  /**
   * What a screen reader is told about the menu button, from Chromium's own
   * accessibility tree (a <summary> is a disclosure button, "Menu, collapsed/expanded";
   * Playwright's role queries do not model it).
   */
  async function menuButton(page: Page): Promise<{ role: string; expanded: boolean | undefined; focused: boolean }> {
    const cdp = await page.context().newCDPSession(page);
    const { nodes } = (await cdp.send('Accessibility.getFullAXTree')) as { nodes: Array<{ role?: { value: string }; name?: { value: string }; properties?: Array<{ name: string; value: { value: unknown } }> }> };
    await cdp.detach();
    const node = nodes.find((candidate) => candidate.name?.value === 'Menu' && candidate.role?.value !== 'StaticText' && candidate.role?.value !== 'InlineTextBox');
    const property = (name: string) => node?.properties?.find((candidate) => candidate.name === name)?.value.value;
    return { role: node?.role?.value ?? 'none', expanded: property('expanded') as boolean | undefined, focused: property('focused') === true };
  }

  const mainTop = (page: Page) => page.evaluate(() => document.querySelector('main')!.getBoundingClientRect().top);

  for (const javaScript of [false, true]) {
    describe(javaScript ? 'with JavaScript' : 'without JavaScript', () => {
      for (const path of ['/en/', '/en/resources/', '/en/towns/ridder/']) {
        it(`${path}: the content starts within ${MAX_HEADER} px, with the site name, search, notifications and the menu button in view`, async () => {
          const page = await memberContext(360, javaScript);
          await page.goto(path);
          if (javaScript) await userMenuSettled(page);
          expect(await mainTop(page)).toBeLessThanOrEqual(MAX_HEADER);
          const header = page.locator('header.site-header');
          await expect(header.getByRole('link', { name: 'Association of Towns of Kazakhstan' }).isVisible()).resolves.toBe(true);
          await expect(header.getByRole('link', { name: 'Search' }).isVisible()).resolves.toBe(true);
          // With JavaScript, prerendered pages fetch the count in too; without, only pages rendered per request know the visitor.
          if (javaScript || path !== '/en/') await expect(header.locator('.notify-badge__count').isVisible()).resolves.toBe(true);
          await expect(header.locator('summary.site-menu__toggle').isVisible()).resolves.toBe(true);
          expect(await menuButton(page)).toMatchObject({ role: 'DisclosureTriangle', expanded: false });
          // Folded: the sections and the user menu are not shown, nor reachable.
          await expect(header.getByRole('navigation', { name: 'Main' }).isVisible()).resolves.toBe(false);
          await expect(header.getByRole('button', { name: 'Sign out' }).isVisible()).resolves.toBe(false);
        });
      }

      it('on a page rendered per request, the unread count stays in view, named for a screen reader', async () => {
        const page = await memberContext(360, javaScript);
        await page.goto('/en/resources/');
        const badge = page.locator('header .notify-badge');
        await expect(badge.isVisible()).resolves.toBe(true);
        await expect(badge.locator('.notify-badge__count').isVisible()).resolves.toBe(true);
        const name = await page.getByRole('link', { name: /^Notifications \(\d+ new\)$/ }).count();
        expect(name).toBe(1);
      });

      it('opens with the keyboard (Tab to the button, Enter), shows everything, and a screen reader hears "Menu, expanded"', async () => {
        const page = await memberContext(360, javaScript);
        await page.goto('/en/resources/');
        // Tab from the top: skip link, site name, search, notifications, then the menu button.
        const focused: string[] = [];
        for (let step = 0; step < 6 && !focused.includes('Menu'); step += 1) {
          await page.keyboard.press('Tab');
          focused.push(await page.evaluate(() => (document.activeElement as HTMLElement | null)?.innerText?.trim() || document.activeElement?.getAttribute('aria-label') || document.activeElement?.textContent?.trim() || ''));
        }
        expect(focused.at(-1)).toBe('Menu');
        // A visible focus ring on the button.
        const outline = await page.evaluate(() => getComputedStyle(document.activeElement!).outlineStyle);
        expect(outline).not.toBe('none');
        expect(await menuButton(page)).toEqual({ role: 'DisclosureTriangle', expanded: false, focused: true });
        await page.keyboard.press('Enter');
        expect(await menuButton(page)).toEqual({ role: 'DisclosureTriangle', expanded: true, focused: true });
        const nav = page.getByRole('navigation', { name: 'Main' });
        await expect(nav.isVisible()).resolves.toBe(true);
        await expect(page.getByRole('button', { name: 'Sign out' }).isVisible()).resolves.toBe(true);
        await expect(page.getByRole('link', { name: 'Home', exact: true }).first().isVisible()).resolves.toBe(true);
        // The next Tab goes into the opened menu: the languages come first.
        await page.keyboard.press('Tab');
        await expect(page.evaluate(() => document.activeElement?.closest('.language-switcher') !== null)).resolves.toBe(true);
        // The sections are reachable with the keyboard, in order.
        let reachedTowns = false;
        for (let step = 0; step < 25 && !reachedTowns; step += 1) {
          await page.keyboard.press('Tab');
          reachedTowns = await page.evaluate(() => document.activeElement?.getAttribute('href') === '/en/towns/');
        }
        expect(reachedTowns).toBe(true);
        // Escape is not needed: Enter on the button again folds it.
        await page.locator('summary.site-menu__toggle').focus();
        await page.keyboard.press('Enter');
        await expect(nav.isVisible()).resolves.toBe(false);
      });

      it.runIf(javaScript)('has no axe violation, folded or open (axe needs JavaScript)', async () => {
        const page = await memberContext(360, javaScript);
        await page.goto('/en/resources/');
        const folded = await runAxe(page);
        expect(folded, formatViolations(folded)).toEqual([]);
        await page.locator('summary.site-menu__toggle').click();
        const opened = await runAxe(page);
        expect(opened, formatViolations(opened)).toEqual([]);
        const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
        expect(scrollWidth).toBeLessThanOrEqual(360);
      });
    });
  }

  it('at 1280 px nothing is folded: no menu button, the sections and the user menu shown', async () => {
    const page = await memberContext(1280, true);
    await page.goto('/en/resources/');
    await expect(page.locator('summary.site-menu__toggle').isVisible()).resolves.toBe(false);
    await expect(page.getByRole('navigation', { name: 'Main' }).isVisible()).resolves.toBe(true);
    await expect(page.getByRole('button', { name: 'Sign out' }).isVisible()).resolves.toBe(true);
    await expect(page.locator('header .notify-badge').isVisible()).resolves.toBe(true);
  });

  it('a visitor at 360 px finds "Sign in" and "Join" in the menu', async () => {
    const context = await running.browser.newContext({ baseURL: running.server.url, viewport: { width: 360, height: 740 }, javaScriptEnabled: false, locale: 'en' });
    contexts.push(context);
    const page = await context.newPage();
    await page.goto('/en/');
    expect(await mainTop(page)).toBeLessThanOrEqual(MAX_HEADER);
    await page.locator('summary.site-menu__toggle').click();
    const banner = page.getByRole('banner');
    await expect(banner.getByRole('link', { name: 'Join' }).getAttribute('href')).resolves.toBe('/en/membership/');
    await expect(banner.getByRole('link', { name: 'Join' }).isVisible()).resolves.toBe(true);
    await expect(banner.getByRole('link', { name: 'Sign in' }).isVisible()).resolves.toBe(true);
  });
});
