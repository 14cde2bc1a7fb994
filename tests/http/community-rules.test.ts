import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { postForm, signIn } from '../helpers/http.ts';
import { readRows } from '../helpers/server-database.ts';
import { DEMO_PASSWORD, useServer } from '../helpers/server.ts';
import { expectCleanClientError, request } from './support.ts';

/**
 * The community rules through the built server: the page in each language with a stable
 * anchor per rule, the link in every posting form (requests, responses, threads, replies,
 * cases), and moderators naming the rule a hidden post breaks, which the post then shows
 * in the viewer's language. The server has its own demo database.
 */
const server = useServer();
const RULES = ['respect', 'personal-data', 'no-advertising', 'on-topic', 'confidential-drafts', 'accuracy', 'lawful'];
const cookies: Record<string, string> = {};
const EMAILS = ['ridder@example.org', 'rudny@example.org', 'temirtau-admin@example.org', 'editor@example.org'];
beforeAll(async () => {
  for (const email of EMAILS) cookies[email] = await signIn(server.url, email, DEMO_PASSWORD);
});
const rows = <T>(query: Parameters<typeof readRows<T>>[1]) => readRows<T>(server.databaseUrl, query);
const get = async (path: string, email?: string) => {
  const response = await request(server.url, path, email ? { cookie: cookies[email] } : {});
  return { status: response.status, body: await response.text() };
};
/** The forms of a page that carry the rules note. */
const formsWithRules = (body: string, lang = 'en') =>
  [...body.matchAll(/<form[\s\S]*?<\/form>/g)].map((match) => match[0]).filter((form) => form.includes('class="rules-note"') && form.includes(`href="/${lang}/rules/"`));

describe('the rules page', () => {
  it.each(['kk', 'ru', 'en'])('/%s/rules/ has every rule, numbered, with its anchor', async (lang) => {
    const { status, body } = await get(`/${lang}/rules/`);
    expect(status).toBe(200);
    RULES.forEach((rule, index) => expect(body).toMatch(new RegExp(`<h2 id="rule-${rule}">${index + 1}\\. `)));
  });
});

describe('every posting form links the rules', () => {
  let requestId: number;
  let responseId: number;
  let threadId: number;
  beforeAll(async () => {
    const made = await postForm(server.url, '/en/exchange/new/?_action=exchange.saveRequest', { title: 'Winter road salt and the water network', body: 'Road salt reaches our storm drains and the water intake. Who has measured it, and what did you change?', helpForms: ['advice'], topics: ['environment-health'], languages: ['ru', 'en'], urgency: 'normal', intent: 'publish' }, { cookie: cookies['temirtau-admin@example.org'] });
    expect(made.status).toBe(303);
    requestId = Number(made.headers.get('location')!.match(/\/exchange\/(\d+)\//)![1]);
    expect((await postForm(server.url, `/en/exchange/${requestId}/?_action=exchange.respond`, { request: String(requestId), body: 'We measured chlorides at the intake in 2023; I can send the method.' }, { cookie: cookies['ridder@example.org'] })).status).toBe(303);
    responseId = (await rows(sql<{ id: number }>`SELECT max(id) AS id FROM help_responses WHERE request_id = ${requestId}`))[0]!.id;
    threadId = (await rows(sql<{ id: number }>`SELECT t.id FROM group_threads t JOIN groups g ON g.id = t.group_id WHERE g.slug = 'utilities-renewal' ORDER BY t.id LIMIT 1`))[0]!.id;
  });

  it.each([
    ['a new expertise request', () => '/en/exchange/new/'],
    ['a response to a request', () => `/en/exchange/${requestId}/`],
    ['editing one’s response', () => `/en/exchange/responses/${responseId}/`],
    ['a new group thread', () => '/en/groups/utilities-renewal/'],
    ['a reply in a thread', () => `/en/groups/utilities-renewal/threads/${threadId}/`],
    ['a member case', () => '/en/account/cases/new/'],
  ])('%s', async (_, path) => {
    const { status, body } = await get(path(), 'ridder@example.org');
    expect(status).toBe(200);
    expect(formsWithRules(body)).toHaveLength(1);
  });

  it('in the reader’s language', async () => {
    expect(formsWithRules((await get('/kk/exchange/new/', 'ridder@example.org')).body, 'kk')).toHaveLength(1);
    expect(formsWithRules((await get(`/ru/groups/utilities-renewal/threads/${threadId}/`, 'ridder@example.org')).body, 'ru')).toHaveLength(1);
  });
});

describe('a hidden post names the rule it breaks', () => {
  let threadId: number;
  let groupId: number;
  beforeAll(async () => {
    const thread = (await rows(sql<{ id: number; group_id: number }>`SELECT t.id, t.group_id FROM group_threads t JOIN groups g ON g.id = t.group_id WHERE g.slug = 'utilities-renewal' ORDER BY t.id LIMIT 1`))[0]!;
    threadId = thread.id;
    groupId = thread.group_id;
  });
  const path = () => `/en/groups/utilities-renewal/threads/${threadId}/`;
  const postReply = async (body: string) => {
    expect((await postForm(server.url, `${path()}?_action=groups.reply`, { group: String(groupId), thread: String(threadId), body }, { cookie: cookies['ridder@example.org'] })).status).toBe(303);
    return (await rows(sql<{ id: number }>`SELECT max(id) AS id FROM group_replies WHERE thread_id = ${threadId}`))[0]!.id;
  };
  const hide = (reply: number, rule: string) =>
    postForm(server.url, `${path()}?_action=groups.moderateReply`, { group: String(groupId), thread: String(threadId), reply: String(reply), act: 'hide', rule, reason: 'Residents’ phone numbers' }, { cookie: cookies['temirtau-admin@example.org'] });

  it('the lead’s hide form asks for the rule', async () => {
    const { body } = await get(path(), 'temirtau-admin@example.org');
    expect(body).toMatch(/<select id="rule-\d+" name="rule" required/);
    expect(body).toContain('<option value="personal-data">2. No personal data of residents</option>');
  });

  it('an unknown rule is refused with a message, and nothing is hidden', async () => {
    const reply = await postReply('Call the tenants at 8 701 000 00 00 for details.');
    const response = await hide(reply, 'be-nice');
    expect(response.status).toBe(400);
    const body = await response.text();
    expectCleanClientError(response.status, body);
    expect(body).toContain('Choose one of the community rules.');
    expect((await rows(sql<{ hidden_at: number | null }>`SELECT hidden_at FROM group_replies WHERE id = ${reply}`))[0]!.hidden_at).toBeNull();
  });

  it('other members, the author, in each language, see which rule; it is stored and cleared on showing again', async () => {
    const reply = await postReply('Here are the names and phones of the families in building 4.');
    expect((await hide(reply, 'personal-data')).status).toBe(200);
    expect((await rows(sql<{ hidden_rule: string }>`SELECT hidden_rule FROM group_replies WHERE id = ${reply}`))[0]!.hidden_rule).toBe('personal-data');
    const other = (await get(path(), 'rudny@example.org')).body;
    expect(other).toContain('Hidden for breaking rule 2: <a href="/en/rules/#rule-personal-data">No personal data of residents</a>');
    expect(other).not.toContain('names and phones of the families');
    const author = (await get(`/kk/groups/utilities-renewal/threads/${threadId}/`, 'ridder@example.org')).body;
    expect(author).toContain('2-ережені бұзғаны үшін жасырылды: <a href="/kk/rules/#rule-personal-data">Тұрғындардың дербес деректері жарияланбайды</a>');
    const shown = await postForm(server.url, `${path()}?_action=groups.moderateReply`, { group: String(groupId), thread: String(threadId), reply: String(reply), act: 'show' }, { cookie: cookies['temirtau-admin@example.org'] });
    expect(shown.status).toBe(200);
    expect((await rows(sql<{ hidden_rule: string | null }>`SELECT hidden_rule FROM group_replies WHERE id = ${reply}`))[0]!.hidden_rule).toBeNull();
  });

  it('an editor hiding a request names the rule; its author sees it in Russian', async () => {
    const made = await postForm(server.url, '/en/exchange/new/?_action=exchange.saveRequest', { title: 'Buy our pipe insulation at a discount', body: 'Our partner company sells pipe insulation; write to us for the price list and a discount.', helpForms: ['advice'], topics: ['utilities-housing'], languages: ['ru'], urgency: 'normal', intent: 'publish' }, { cookie: cookies['temirtau-admin@example.org'] });
    const id = Number(made.headers.get('location')!.match(/\/exchange\/(\d+)\//)![1]);
    const hidden = await postForm(server.url, `/en/exchange/${id}/?_action=exchange.hideRequest`, { request: String(id), rule: 'no-advertising', reason: 'A commercial offer' }, { cookie: cookies['editor@example.org'] });
    expect(hidden.status).toBe(303);
    const { body } = await get(`/ru/exchange/${id}/`, 'temirtau-admin@example.org');
    expect(body).toContain('Скрыто за нарушение правила 3: <a href="/ru/rules/#rule-no-advertising">Никакой рекламы</a>');
  });
});
