import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { browserTestsCanRun, submitForm, useVisitors } from '../helpers/browser.ts';
import { lastMailTo, linkIn, mailTo } from '../helpers/outbox.ts';
import { DEMO_PASSWORD } from '../helpers/server.ts';

/**
 * A town's way in, in a real browser with JavaScript off (every step is a plain
 * form post): a visitor applies, an editor approves, and the contact accepts the
 * invitation and lands on their account page.
 */
const canRun = browserTestsCanRun('tests/browser/membership-journey.test.ts');

const TOWN = 'Priozersk';
const CONTACT = 'Saule Abenova';
const EMAIL = 'akimat@priozersk.example.kz';
const CHOSEN_NAME = 'Saule Abenova-Kim';
const PASSWORD = 'balkhash shore in october';

describe.runIf(canRun)('membership journey in a browser, without JavaScript', () => {
  const { running, visitor } = useVisitors();

  const pathOf = (page: Page) => new URL(page.url()).pathname;
  const header = (page: Page) => page.getByRole('banner');


  it('a visitor applies, an editor approves with a new town, and the contact accepts the invitation', async () => {
    // 1. A visitor fills in the application form by its labels and sends it.
    const applicant = await visitor();
    await applicant.page.goto('/en/membership/apply/');
    expect(pathOf(applicant.page)).toBe('/en/membership/apply/');
    const form = applicant.page;
    await form.getByLabel('Name of the town', { exact: true }).fill(TOWN);
    await form.getByLabel('Region', { exact: true }).selectOption({ label: 'Karaganda Region' });
    await form.getByLabel('Population', { exact: true }).fill('14000');
    await form.getByLabel('Main industry or town-forming enterprise', { exact: true }).fill('Research and testing grounds');
    await form.getByLabel('Contact person', { exact: true }).fill(CONTACT);
    await form.getByLabel('Official email address', { exact: true }).fill(EMAIL);
    await form.getByLabel('Phone', { exact: true }).fill('+7 71039 2-00-00');
    await form.getByLabel('Why does the town want to join?', { exact: true }).fill('Priozersk wants to learn how other towns diversified their economy.');
    expect(await submitForm(form, 'Send application')).toBe(200);
    await expect(form.getByRole('status').textContent()).resolves.toContain('Thank you. Your application has been received');
    expect((await mailTo(running.server.databaseUrl, EMAIL)).map((mail) => mail.subject)).toEqual(['We have received your application']);
    expect(applicant.watcher.problems()).toEqual([]);

    // 2. An editor signs in, opens the queue, and opens the application from it.
    const editor = await visitor();
    const page = editor.page;
    await page.goto('/en/sign-in/');
    await page.getByLabel('Email address').fill('editor@example.org');
    await page.getByLabel('Password').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.waitForURL((url) => url.pathname === '/en/account/');
    await page.goto('/en/editor/applications/');
    expect(pathOf(page)).toBe('/en/editor/applications/');
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Membership applications');
    await page.getByRole('row', { name: new RegExp(TOWN) }).getByRole('link', { name: TOWN, exact: true }).click();
    await page.waitForURL((url) => /^\/en\/editor\/applications\/\d+\/$/.test(url.pathname));
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe(`Application from ${TOWN}`);
    await expect(page.getByRole('main').textContent()).resolves.toContain(EMAIL);

    // 3. … and approves it, creating a new town.
    await page.getByLabel('Town record', { exact: true }).selectOption({ label: 'Create a new town from this application' });
    expect(await submitForm(page, 'Approve and invite the contact')).toBe(200);
    await expect(page.getByRole('status').textContent()).resolves.toBe('The application has been approved and the contact person has been invited.');
    expect(await page.getByRole('button', { name: 'Approve and invite the contact' }).count()).toBe(0);
    expect(editor.watcher.problems()).toEqual([]);

    // 4. The invitation email's link.
    const invitation = await lastMailTo(running.server.databaseUrl, EMAIL);
    expect(invitation.subject).toBe('Your invitation to the Association of Towns of Kazakhstan');
    const link = linkIn(invitation, running.server.url);
    expect(link).toMatch(/^\/en\/invitation\/\?token=/);

    // 5. A fresh browser opens it, chooses a name and password, and creates the account.
    const contact = await visitor();
    const accept = contact.page;
    await accept.goto(link);
    await expect(accept.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Accept your invitation');
    await expect(accept.getByRole('main').textContent()).resolves.toContain(EMAIL);
    const name = accept.getByLabel('Your name', { exact: true });
    await expect(name.inputValue()).resolves.toBe(CONTACT);
    await name.fill(CHOSEN_NAME);
    await accept.getByLabel('New password', { exact: true }).fill(PASSWORD);
    await accept.getByLabel('New password again', { exact: true }).fill(PASSWORD);
    await accept.getByRole('button', { name: 'Create my account', exact: true }).click();
    await accept.waitForURL((url) => url.pathname === '/en/account/');

    // 6. Signed in, on their account page, as the administrator of the new town.
    await expect(accept.getByRole('heading', { level: 1 }).textContent()).resolves.toBe(`Hello, ${CHOSEN_NAME}`);
    const main = await accept.getByRole('main').textContent();
    expect(main).toContain(TOWN);
    expect(main).toContain('Town administrator');
    await header(accept).getByText(CHOSEN_NAME).waitFor();
    expect(contact.watcher.problems()).toEqual([]);

    // The link is spent: opening it again says so.
    await accept.goto(link);
    await expect(accept.getByRole('alert').textContent()).resolves.toContain('This invitation has already been used.');
  }, 60_000);
});
