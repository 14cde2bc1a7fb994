import type { BrowserContext, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { browserTestsCanRun, signInAs, useVisitors } from '../helpers/browser.ts';

/**
 * Prerendered pages ask for the visitor's own menu (/<lang>/user-menu/) only when the
 * signed-in hint cookie says there may be a session (src/lib/signed-in-hint.ts), so an
 * anonymous reader's page view makes no request to the server beyond the page and its
 * cached assets.
 */
const canRun = browserTestsCanRun('tests/browser/signed-in-hint.test.ts');
const PRERENDERED = '/en/indicators/';

describe.runIf(canRun)('the signed-in hint', () => {
  const visitors = useVisitors();

  /** A visitor with JavaScript on, and the requests its pages make for the user menu. */
  async function visitor(): Promise<{ page: Page; context: BrowserContext; problems: () => string[]; userMenuRequests: string[] }> {
    const { page, watcher } = await visitors.visitor({ javaScript: true });
    const context = page.context();
    const userMenuRequests: string[] = [];
    context.on('request', (request) => {
      if (new URL(request.url()).pathname.endsWith('/user-menu/')) userMenuRequests.push(request.url());
    });
    return { page, context, problems: watcher.problems, userMenuRequests };
  }

  const hint = async (context: BrowserContext) => (await context.cookies()).find((cookie) => cookie.name === 'qala_signed_in');

  it('an anonymous page view makes no request for the user menu and keeps the sign-in link', async () => {
    const { page, userMenuRequests, problems } = await visitor();
    await page.goto(PRERENDERED);
    await page.waitForLoadState('networkidle');
    expect(userMenuRequests).toEqual([]);
    await expect(page.getByRole('banner').getByRole('link', { name: 'Sign in' }).isVisible()).resolves.toBe(true);
    expect(problems()).toEqual([]);
  });

  it('a signed-in reader gets the hint, and the prerendered page shows their own menu', async () => {
    const { page, context, userMenuRequests, problems } = await visitor();
    await signInAs(page, 'temirtau@example.org');
    const cookie = await hint(context);
    expect(cookie?.value).toBe('1');
    expect(cookie?.httpOnly).toBe(false);
    expect((await context.cookies()).find((entry) => entry.name === 'qala_session')?.httpOnly).toBe(true);
    await page.goto(PRERENDERED);
    await page.locator('[data-user-menu] > .user-menu').waitFor({ state: 'attached' });
    await expect(page.getByRole('banner').getByText('Yerlan Bekov').isVisible()).resolves.toBe(true);
    expect(userMenuRequests).toHaveLength(1);
    expect(problems()).toEqual([]);
  });

  it('signing out clears the hint, and the next page view asks for nothing', async () => {
    const { page, context, userMenuRequests } = await visitor();
    await signInAs(page, 'ridder@example.org');
    await page.goto(PRERENDERED);
    await page.locator('[data-user-menu] > .user-menu').waitFor({ state: 'attached' });
    await page.getByRole('banner').getByRole('button', { name: 'Sign out' }).click();
    await page.waitForLoadState('networkidle');
    expect(await hint(context)).toBeUndefined();
    const before = userMenuRequests.length;
    await page.goto(PRERENDERED);
    await page.waitForLoadState('networkidle');
    expect(userMenuRequests.length).toBe(before);
  });

  it('a hint without a session (the session ended elsewhere) is cleared by the one request it causes', async () => {
    const { page, context, userMenuRequests } = await visitor();
    await signInAs(page, 'temirtau-admin@example.org');
    // The session cookie is gone (expired, say); the hint is still there.
    await context.clearCookies({ name: 'qala_session' });
    await page.goto(PRERENDERED);
    await page.waitForLoadState('networkidle');
    expect(userMenuRequests).toHaveLength(1);
    expect(await hint(context)).toBeUndefined();
    await expect(page.getByRole('banner').getByRole('link', { name: 'Sign in' }).isVisible()).resolves.toBe(true);
    await page.goto(PRERENDERED);
    await page.waitForLoadState('networkidle');
    expect(userMenuRequests).toHaveLength(1);
  });
});
