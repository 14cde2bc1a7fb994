import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeHtml } from '../helpers/content.ts';
import { postForm, signIn } from '../helpers/http.ts';
import { message } from '../helpers/knowledge.ts';
import { DEMO_PASSWORD, startServer, useServer, type RunningServer } from '../helpers/server.ts';
import { expectCleanClientError, htmlLang, request } from './support.ts';

/**
 * "Was this page helpful?": the form on item pages posts to /<lang>/feedback/, which
 * thanks the reader or says what was wrong; editors read the answers.
 * This file has its own servers, so the answers it sends count against no one else.
 */
const SUBMIT = '/en/feedback/?_action=feedback.submit';
const RIDDER = '/en/cases/ridder-heat-network/';

const server = useServer();

async function submit(fields: Record<string, string>, options: { origin?: string; path?: string; on?: RunningServer } = {}) {
  const on = options.on ?? server;
  const response = await postForm(on.url, options.path ?? SUBMIT, fields, options.origin ? { origin: options.origin } : {});
  return { status: response.status, headers: response.headers, body: await response.text() };
}

describe('answering', () => {
  it('a valid answer gets a thank-you page with a link back to the page', async () => {
    const { status, body } = await submit({ page: RIDDER, helpful: 'yes', comment: 'Clear and useful.' });
    expect(status).toBe(200);
    expect(htmlLang(body)).toBe('en');
    expect(body).toContain('<h1>Thank you</h1>');
    expect(body).toContain(message('en', 'feedback.thanks'));
    expect(body).toContain(`<a href="${RIDDER}">${message('en', 'feedback.back')}</a>`);
    expect(body).toMatch(/<meta name="robots" content="noindex/);
  });

  it('a "no" without a comment is fine too, and the answer is thanked in the reader\'s language', async () => {
    const { status, body } = await submit({ page: '/ru/about/', helpful: 'no' }, { path: '/ru/feedback/?_action=feedback.submit' });
    expect(status).toBe(200);
    expect(htmlLang(body)).toBe('ru');
    expect(body).toContain(message('ru', 'feedback.thanks'));
    expect(body).toContain('<a href="/ru/about/">');
  });

  it('without yes or no gets 400 "Choose yes or no." and keeps the typed comment', async () => {
    const comment = 'The table of indicators & the "cost" line are unclear';
    const { status, body } = await submit({ page: RIDDER, comment });
    expect(status).toBe(400);
    expectCleanClientError(status, body);
    expect(body).toContain('Choose yes or no.');
    const textarea = body.match(/<textarea id="field-comment" name="comment"[^>]*>([\s\S]*?)<\/textarea>/)?.[1];
    expect(textarea).toBeDefined();
    expect(decodeHtml(textarea!)).toBe(comment);
    // The form is shown again, about the same page, with a way back.
    expect(body).toContain(`<input type="hidden" name="page" value="${RIDDER}">`);
    expect(body).toContain(`<a href="${RIDDER}">`);
  });

  it('about a page that takes no answers gets 400', async () => {
    const { status, body } = await submit({ page: '/en/account/', helpful: 'yes' });
    expect(status).toBe(400);
    expectCleanClientError(status, body);
    expect(body).toContain(message('en', 'feedback.unknownPage'));
    // No link back to a page that is not one of ours to answer about.
    expect(body).not.toContain('<a href="/en/account/"');
  });

  it.each(['https://evil.example/', '/en/cases/../../x', '//evil.example/en/about/'])('about %s gets 400 and no link to it', async (page) => {
    const { status, body } = await submit({ page, helpful: 'yes' });
    expect(status).toBe(400);
    expectCleanClientError(status, body);
    expect(body).not.toContain(`href="${page}"`);
  });

  it('with a comment of 1001 characters gets 400, keeping the answer chosen', async () => {
    const { status, body } = await submit({ page: RIDDER, helpful: 'no', comment: 'x'.repeat(1001) });
    expect(status).toBe(400);
    expectCleanClientError(status, body);
    expect(body).toContain(message('en', 'feedback.commentTooLong'));
    expect(body).toContain('<input type="radio" name="helpful" value="no" checked>');
  });

  it('with a comment of exactly 1000 characters is accepted', async () => {
    const { status } = await submit({ page: '/en/resources/planning-without-experts/', helpful: 'yes', comment: 'y'.repeat(1000) });
    expect(status).toBe(200);
  });

  it('sent from another site is refused with 403', async () => {
    const { status, body } = await submit({ page: RIDDER, helpful: 'yes' }, { origin: 'https://evil.example' });
    expect(status).toBe(403);
    expectCleanClientError(status, body);
  });
});

describe('too many answers from one address', () => {
  let own: RunningServer;

  beforeAll(async () => {
    own = await startServer();
  });

  afterAll(async () => {
    await own?.stop();
  });

  it('the 11th answer within an hour gets 429 with a clear message', async () => {
    for (let i = 1; i <= 10; i++) {
      const { status } = await submit({ page: RIDDER, helpful: i % 2 ? 'yes' : 'no' }, { on: own });
      expect(status, `answer ${i}`).toBe(200);
    }
    const { status, body } = await submit({ page: RIDDER, helpful: 'yes', comment: 'eleventh' }, { on: own });
    expect(status).toBe(429);
    expectCleanClientError(status, body);
    expect(body).toContain('You have sent many answers in the last hour. Try again later.');
    expect(body).toContain(`<a href="${RIDDER}">`);

    // Only ten were stored.
    const editor = await signIn(own.url, 'editor@example.org', DEMO_PASSWORD);
    const page = await (await request(own.url, '/en/editor/feedback/', { cookie: editor })).text();
    expect(page).toMatch(new RegExp(`<a href="${RIDDER}">${RIDDER}</a></th><td>5</td><td>5</td>`));
    expect(page).not.toContain('eleventh');
  });
});

describe("the editors' page", () => {
  it('sends someone signed out to sign in', async () => {
    const response = await request(server.url, '/en/editor/feedback/');
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toMatch(/\/en\/sign-in\/\?next=%2Fen%2Feditor%2Ffeedback%2F$/);
  });

  it('refuses a member with 403', async () => {
    const member = await signIn(server.url, 'temirtau@example.org', DEMO_PASSWORD);
    const response = await request(server.url, '/en/editor/feedback/', { cookie: member });
    expect(response.status).toBe(403);
    const body = await response.text();
    expect(body).toContain(message('en', 'auth.forbidden'));
    expect(body).not.toContain('Clear and useful.');
  });

  it('shows an editor each page answered and the comments, escaped', async () => {
    const comment = 'Please add <b>bold</b> figures';
    expect((await submit({ page: '/en/cases/temirtau-air-quality-data', helpful: 'no', comment })).status).toBe(200);
    const editor = await signIn(server.url, 'editor@example.org', DEMO_PASSWORD);
    const response = await request(server.url, '/en/editor/feedback/', { cookie: editor });
    expect(response.status).toBe(200);
    const body = await response.text();
    expect(body).toMatch(/<meta name="robots" content="noindex/);
    expect(body).toContain(`<a href="${RIDDER}">${RIDDER}</a>`);
    // Stored with the trailing slash.
    expect(body).toContain('<a href="/en/cases/temirtau-air-quality-data/">/en/cases/temirtau-air-quality-data/</a>');
    expect(body).toContain('Please add &lt;b&gt;bold&lt;/b&gt; figures');
    expect(body).not.toContain('<b>bold</b>');
    expect(body).toContain('Clear and useful.');
  });
});
