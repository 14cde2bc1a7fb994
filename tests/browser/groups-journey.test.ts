import { describe, expect, it } from 'vitest';
import { browserTestsCanRun, formatViolations, runAxe, submitForm, signInAs, useVisitors } from '../helpers/browser.ts';

/**
 * A working group in a real browser with JavaScript off (every step a plain form post):
 * a member asks to join a by-approval group, its lead approves, the new member starts a
 * thread and the lead replies. Then axe-core on the group page and the public list.
 */
const canRun = browserTestsCanRun('tests/browser/groups-journey.test.ts');

const GROUP = '/en/groups/economic-diversification/';
const TITLE = 'Temirtau: which plant buildings could host small firms?';

describe.runIf(canRun)('working groups in a browser', () => {
  const { visitor } = useVisitors();

  it('request to join → the lead approves → the new member starts a thread → the lead replies', async () => {
    // 1. Yerlan (Temirtau) asks to join, with a note.
    const member = await visitor();
    await signInAs(member.page, 'temirtau@example.org');
    await member.page.goto(GROUP);
    await expect(member.page.getByRole('main').textContent()).resolves.toContain('Only members of the group read its discussion');
    await member.page.getByLabel('A note for the group’s leads (optional)').fill('Temirtau has empty repair shops at the steelworks.');
    expect(await submitForm(member.page, 'Ask to join')).toBe(200);
    await expect(member.page.getByRole('status').first().textContent()).resolves.toContain('Your request was sent.');
    await expect(member.page.getByRole('main').textContent()).resolves.toContain('is waiting for a lead’s decision');

    // 2. Askar (Aksu), the lead, approves it on the members page.
    const lead = await visitor();
    await signInAs(lead.page, 'aksu@example.org');
    await lead.page.goto(`${GROUP}members/`);
    await expect(lead.page.getByRole('main').textContent()).resolves.toContain('Temirtau has empty repair shops at the steelworks.');
    expect(await submitForm(lead.page, 'Approve Yerlan Bekov')).toBe(200);
    await expect(lead.page.getByRole('status').first().textContent()).resolves.toBe('Decision saved; the member was notified.');
    await lead.page.getByRole('row', { name: /Yerlan Bekov/ }).waitFor();

    // 3. Yerlan, now a member, starts a thread.
    await member.page.goto(GROUP);
    await expect(member.page.getByRole('main').textContent()).resolves.toContain('You are a member of this group.');
    await member.page.getByLabel('Title').fill(TITLE);
    await member.page.getByLabel('Message').fill('We have **three** empty buildings. @Askar Zhumabayev, how did Aksu agree the lease with the plant?');
    expect(await submitForm(member.page, 'Post the thread')).toBe(303);
    expect(new URL(member.page.url()).pathname).toMatch(/^\/en\/groups\/economic-diversification\/threads\/\d+\/$/);
    await expect(member.page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe(TITLE);
    await expect(member.page.locator('.user-content strong').first().textContent()).resolves.toBe('three');

    // 4. Askar sees it (marked new), opens it and replies.
    await lead.page.goto(GROUP);
    const row = lead.page.getByRole('listitem').filter({ hasText: TITLE });
    await expect(row.textContent()).resolves.toContain('New');
    await row.getByRole('link', { name: TITLE }).click();
    await lead.page.getByLabel('Your reply').fill('A ten-year lease, with the plant paying for heat in the first two winters.');
    expect(await submitForm(lead.page, 'Post the reply')).toBe(303);
    await expect(lead.page.getByRole('main').textContent()).resolves.toContain('A ten-year lease, with the plant paying for heat');

    // Yerlan sees the reply.
    await member.page.reload();
    await expect(member.page.getByRole('main').textContent()).resolves.toContain('A ten-year lease');
    expect(member.watcher.problems()).toEqual([]);
    expect(lead.watcher.problems()).toEqual([]);
  }, 60_000);

  it.each([360, 1280])('axe-core finds no WCAG 2.1 A/AA violation on the public list and a group page at %i px', async (width) => {
    const { page } = await visitor({ width, javaScript: true, bypassCSP: true });
    await page.goto('/en/groups/');
    expect(formatViolations(await runAxe(page))).toBe('');
    await page.goto('/ru/groups/utilities-renewal/');
    expect(formatViolations(await runAxe(page))).toBe('');
    await signInAs(page, 'ridder@example.org');
    for (const path of ['/en/groups/', '/ru/groups/utilities-renewal/', '/kk/groups/utilities-renewal/members/']) {
      await page.goto(path);
      expect(formatViolations(await runAxe(page)), path).toBe('');
    }
    const thread = page.locator('.thread-list a').first();
    await page.goto('/en/groups/utilities-renewal/');
    await thread.click();
    expect(formatViolations(await runAxe(page)), page.url()).toBe('');
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
  }, 60_000);
});
