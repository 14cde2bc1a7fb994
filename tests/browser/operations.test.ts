import { describe, expect, it } from 'vitest';
import { browserTestsCanRun, formatViolations, runAxe, saveScreenshot, signInAs, useVisitors } from '../helpers/browser.ts';
import { postForm } from '../helpers/http.ts';
import { withServerDatabase } from '../helpers/server-database.ts';

/**
 * The administrators' outbox and jobs pages: accessible (axe, WCAG 2.1 AA) at a phone and a
 * desktop width, nothing scrolling sideways, and a failed mail sent again without JavaScript.
 * With QALA_SCREENSHOTS=1 the pages are also saved to tests/.artifacts/screenshots/.
 */
const canRun = browserTestsCanRun('tests/browser/operations.test.ts');

describe.skipIf(!canRun)('the operations pages', () => {
  const { running, visitor } = useVisitors();

  it('are accessible at 360 and 1280 px, and a failed mail is sent again without JavaScript', async () => {
    const { server } = running;
    for (const email of ['ridder@example.org', 'temirtau@example.org']) await postForm(server.url, '/en/password/forgot/?_action=password.requestReset', { email });
    await withServerDatabase(server.databaseUrl, async (db) => {
      const first = await db.selectFrom('email_outbox').select('id').orderBy('id', 'desc').executeTakeFirstOrThrow();
      await db.updateTable('email_outbox').set({ state: 'failed', attempts: 6, last_error: 'connect ECONNREFUSED 127.0.0.1:25' }).where('id', '=', first.id).execute();
      await db.insertInto('email_attempts').values({ mail_id: first.id, at: Math.floor(Date.now() / 1000), outcome: 'failed', error: 'connect ECONNREFUSED 127.0.0.1:25' }).execute();
    });

    for (const width of [360, 1280]) {
      const { page } = await visitor({ bypassCSP: true, javaScript: true, width });
      await signInAs(page, 'admin@example.org');
      for (const path of ['/en/admin/outbox/', '/ru/admin/jobs/', '/kk/admin/outbox/?state=failed']) {
        await page.goto(path);
        expect(formatViolations(await runAxe(page)), `${path} at ${width}`).toBe('');
        expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), `${path} scrolls sideways at ${width}`).toBe(true);
        await saveScreenshot(page, 'operations', `${path.replace(/[/?=]+/g, '-')}${width}`);
      }
    }

    const { page } = await visitor();
    await signInAs(page, 'admin@example.org');
    await page.goto('/en/admin/outbox/?state=failed');
    const answer = page.waitForResponse((response) => response.request().method() === 'POST' && response.request().isNavigationRequest());
    await page.getByRole('button', { name: /^Send again to / }).click();
    expect((await answer).status()).toBe(200);
    await page.waitForLoadState();
    await expect.poll(() => page.getByRole('status').first().textContent()).toContain('The email is queued again');
    await page.goto('/en/admin/outbox/?state=failed');
    expect(await page.getByText('No email in this view.').count()).toBe(1);
  });
});
