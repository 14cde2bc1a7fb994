import { sql, type RawBuilder } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { postForm, signIn } from '../helpers/http.ts';
import { addResponse } from '~/server/exchange/responses.ts';
import { readRows, withServerDatabase } from '../helpers/server-database.ts';
import { DEMO_PASSWORD, useServer } from '../helpers/server.ts';
import { expectCleanClientError, request } from './support.ts';

/**
 * Who may do what in the expertise exchange, through the real server: the permission
 * table (author, same town, other town, editor, public) × (view, edit, accept,
 * resolve, hide), hidden and draft requests, and ids that do not belong together.
 */
const server = useServer();

type Role = 'author' | 'sameTown' | 'otherTown' | 'editor' | 'public';
const EMAILS: Record<Exclude<Role, 'public'>, string> = {
  author: 'temirtau-admin@example.org',
  sameTown: 'temirtau@example.org',
  otherTown: 'ridder@example.org',
  editor: 'editor@example.org',
};
const cookies: Partial<Record<Role, string>> = {};
let satpayev: string;

beforeAll(async () => {
  for (const [role, email] of Object.entries(EMAILS)) cookies[role as Role] = await signIn(server.url, email, DEMO_PASSWORD);
  satpayev = await signIn(server.url, 'satpayev@example.org', DEMO_PASSWORD);
});

const VALID_REQUEST = {
  title: 'Sorting household waste in a small town',
  body: 'We want to start separate collection of plastics and glass. Who has done it with a small budget?',
  helpForms: ['advice', 'call'],
  topics: ['environment-health'],
  languages: ['ru', 'en'],
  urgency: 'normal',
  intent: 'publish',
};

const row = async <T>(query: RawBuilder<T>) => (await readRows(server.databaseUrl, query))[0];
const requestRow = async (id: number) => (await row(sql<{ status: string; title: string; hidden_at: number | null; outcome: string | null; body: string }>`SELECT status, title, hidden_at, outcome, body FROM help_requests WHERE id = ${id}`))!;

/** Posts a request as the author through the real form and returns its id. */
async function freshRequest(fields: Record<string, string | string[]> = {}): Promise<number> {
  const response = await postForm(server.url, '/en/exchange/new/?_action=exchange.saveRequest', { ...VALID_REQUEST, ...fields }, { cookie: cookies.author! });
  expect(response.status).toBe(303);
  const match = response.headers.get('location')!.match(/^\/en\/exchange\/(\d+)\/\?saved=/);
  expect(match).not.toBeNull();
  return Number(match![1]);
}

/** Posts a response from another town and returns its id. */
async function freshResponse(requestId: number, cookie: string): Promise<number> {
  const response = await postForm(server.url, `/en/exchange/${requestId}/?_action=exchange.respond`, { request: String(requestId), body: 'We did this in 2021 with two collection points.' }, { cookie });
  expect(response.status).toBe(303);
  return (await row(sql<{ id: number }>`SELECT max(id) AS id FROM help_responses WHERE request_id = ${requestId}`))!.id;
}

/** What a refused or allowed post looks like: allowed ones redirect back with `done`. */
function expectOutcome(response: Response, allowed: boolean, role: Role): void {
  if (allowed) {
    expect(response.status, role).toBe(303);
    expect(response.headers.get('location'), role).toMatch(/\?(done|saved)=/);
  } else if (role === 'public') {
    expect(response.status, role).toBe(303);
    expect(response.headers.get('location'), role).toMatch(/^\/en\/sign-in\//);
  } else {
    expect([403, 404], role).toContain(response.status);
  }
}

// Refused roles go first, so an allowed change cannot hide a refused one.
const ORDER: Role[] = ['public', 'otherTown', 'editor', 'sameTown', 'author'];
const post = (path: string, fields: Record<string, string | string[]>, role: Role) => postForm(server.url, path, fields, role === 'public' ? {} : { cookie: cookies[role]! });

describe('the permission table', () => {
  it.each([
    ['author', 200],
    ['sameTown', 200],
    ['otherTown', 200],
    ['editor', 200],
    ['public', 303],
  ] as const)('view: %s → %i', async (role, status) => {
    const id = await freshRequest();
    const response = await request(server.url, `/en/exchange/${id}/`, role === 'public' ? {} : { cookie: cookies[role]! });
    expect(response.status).toBe(status);
    if (status === 200) expect(await response.text()).toContain(VALID_REQUEST.title);
  });

  it('edit: only the requesting town', async () => {
    const id = await freshRequest();
    const allowed: Record<Role, boolean> = { author: true, sameTown: true, otherTown: false, editor: false, public: false };
    for (const role of ORDER) {
      const title = `Edited by ${role}`;
      const response = await post(`/en/exchange/${id}/edit/?_action=exchange.saveRequest`, { ...VALID_REQUEST, request: String(id), title }, role);
      expectOutcome(response, allowed[role], role);
      expect((await requestRow(id)).title === title, role).toBe(allowed[role]);
    }
  });

  it('accept: only the requesting town', async () => {
    const id = await freshRequest();
    const responses = [await freshResponse(id, cookies.otherTown!), await freshResponse(id, satpayev)];
    const allowed: Record<Role, boolean> = { author: true, sameTown: true, otherTown: false, editor: false, public: false };
    let next = 0;
    for (const role of ORDER) {
      const target = allowed[role] ? responses[next++]! : responses[1]!;
      const response = await post(`/en/exchange/${id}/?_action=exchange.accept`, { response: String(target) }, role);
      expectOutcome(response, allowed[role], role);
      const accepted = (await row(sql<{ accepted_at: number | null }>`SELECT accepted_at FROM help_responses WHERE id = ${target}`))!.accepted_at !== null;
      if (!allowed[role]) expect(accepted, role).toBe(false);
      else expect(accepted, role).toBe(true);
    }
    expect((await requestRow(id)).status).toBe('in_progress');
  });

  it('resolve: only the requesting town', async () => {
    const allowed: Record<Role, boolean> = { author: true, sameTown: true, otherTown: false, editor: false, public: false };
    for (const role of ORDER) {
      const id = await freshRequest();
      const outcome = `Resolved by ${role}: we chose the Ridder model.`;
      const response = await post(`/en/exchange/${id}/?_action=exchange.resolve`, { request: String(id), outcome }, role);
      expectOutcome(response, allowed[role], role);
      expect((await requestRow(id)).status, role).toBe(allowed[role] ? 'resolved' : 'open');
      expect((await requestRow(id)).outcome, role).toBe(allowed[role] ? outcome : null);
    }
  });

  it('hide: only editors', async () => {
    const id = await freshRequest();
    const allowed: Record<Role, boolean> = { author: false, sameTown: false, otherTown: false, editor: true, public: false };
    for (const role of ['public', 'otherTown', 'sameTown', 'author', 'editor'] as Role[]) {
      const response = await post(`/en/exchange/${id}/?_action=exchange.hideRequest`, { request: String(id), reason: 'Personal data in the text' }, role);
      expectOutcome(response, allowed[role], role);
      expect((await requestRow(id)).hidden_at !== null, role).toBe(allowed[role]);
    }
  });
});

describe('hidden, draft and withdrawn requests', () => {
  it('a hidden request is seen only by its author and editors, with the reason', async () => {
    const id = await freshRequest();
    expect((await post(`/en/exchange/${id}/?_action=exchange.hideRequest`, { request: String(id), reason: 'Duplicate of another request' }, 'editor')).status).toBe(303);
    const seen = async (role: Role) => (await request(server.url, `/en/exchange/${id}/`, { cookie: cookies[role]! })).status;
    expect(await seen('author')).toBe(200);
    expect(await seen('editor')).toBe(200);
    expect(await seen('sameTown')).toBe(404);
    expect(await seen('otherTown')).toBe(404);
    const page = await (await request(server.url, `/en/exchange/${id}/`, { cookie: cookies.author! })).text();
    expect(page).toContain('Duplicate of another request');
    const list = await (await request(server.url, '/en/exchange/', { cookie: cookies.otherTown! })).text();
    expect(list).not.toContain(`/en/exchange/${id}/`);
    const notice = await row(sql<{ kind: string }>`SELECT kind FROM notifications WHERE kind = 'exchange.hidden' ORDER BY id DESC`);
    expect(notice?.kind).toBe('exchange.hidden');
  });

  it('a draft is seen only by its town, and leaves no trace for others', async () => {
    const id = await freshRequest({ intent: 'draft', title: 'A private draft about tariffs' });
    expect((await requestRow(id)).status).toBe('draft');
    for (const [role, status] of [['author', 200], ['sameTown', 200], ['otherTown', 404], ['editor', 404]] as const) {
      expect((await request(server.url, `/en/exchange/${id}/`, { cookie: cookies[role]! })).status, role).toBe(status);
    }
    for (const role of ['otherTown', 'editor'] as const) {
      for (const path of ['/en/exchange/?q=tariffs', '/en/exchange/', '/en/exchange/?scope=town']) {
        const page = await (await request(server.url, path, { cookie: cookies[role]! })).text();
        expect(page, `${role} ${path}`).not.toContain('A private draft about tariffs');
      }
    }
    const own = await (await request(server.url, '/en/exchange/?scope=town', { cookie: cookies.sameTown! })).text();
    expect(own).toContain('A private draft about tariffs');
  });

  it('a withdrawn request stays with its town and the editors, and only its author withdraws it', async () => {
    const id = await freshRequest({ title: 'A request the town takes back' });
    expect((await post(`/en/exchange/${id}/?_action=exchange.withdrawRequest`, { request: String(id) }, 'sameTown')).status).toBe(403);
    expect((await post(`/en/exchange/${id}/?_action=exchange.withdrawRequest`, { request: String(id) }, 'author')).status).toBe(303);
    expect((await requestRow(id)).status).toBe('withdrawn');
    for (const [role, status] of [['author', 200], ['sameTown', 200], ['editor', 200], ['otherTown', 404]] as const) {
      expect((await request(server.url, `/en/exchange/${id}/`, { cookie: cookies[role]! })).status, role).toBe(status);
    }
    const list = await (await request(server.url, '/en/exchange/', { cookie: cookies.otherTown! })).text();
    expect(list).not.toContain('A request the town takes back');
  });

  it('an unknown or malformed id is not found, never a server error', async () => {
    for (const path of ['/en/exchange/999999/', '/en/exchange/abc/', '/en/exchange/0/', '/en/exchange/99999999999999999999/', '/en/exchange/responses/999999/', '/en/exchange/999999/edit/']) {
      const response = await request(server.url, path, { cookie: cookies.otherTown! });
      expect(response.status, path).toBe(404);
      expectCleanClientError(response.status, await response.text());
    }
  });
});

describe('ids that do not belong together', () => {
  it('a response of another request cannot be accepted through this one', async () => {
    const mine = await freshRequest();
    const theirs = await freshRequest();
    const response = await freshResponse(theirs, cookies.otherTown!);
    // Posting to "mine"'s page changes nothing about it: the response is judged by its own request.
    await postForm(server.url, `/en/exchange/${mine}/?_action=exchange.accept`, { response: String(response) }, { cookie: cookies.author! });
    expect((await requestRow(mine)).status).toBe('open');
  });

  it('only the author edits or withdraws a response', async () => {
    const id = await freshRequest();
    const response = await freshResponse(id, cookies.otherTown!);
    const edit = await post(`/en/exchange/responses/${response}/?_action=exchange.editResponse`, { response: String(response), body: 'Rewritten by someone else entirely.' }, 'author');
    expect(edit.status).toBe(403);
    const withdraw = await post(`/en/exchange/${id}/?_action=exchange.withdrawResponse`, { response: String(response) }, 'sameTown');
    expect(withdraw.status).toBe(403);
    expect(await row(sql<{ body: string; withdrawn_at: number | null }>`SELECT body, withdrawn_at FROM help_responses WHERE id = ${response}`)).toEqual({ body: 'We did this in 2021 with two collection points.', withdrawn_at: null });
    const own = await post(`/en/exchange/responses/${response}/?_action=exchange.editResponse`, { response: String(response), body: 'We did this in 2021 with three collection points.', links: 'https://example.org/waste' }, 'otherTown');
    expect(own.status).toBe(303);
    expect(await row(sql<{ body: string; links: string }>`SELECT body, links FROM help_responses WHERE id = ${response}`)).toEqual({ body: 'We did this in 2021 with three collection points.', links: '["https://example.org/waste"]' });
  });

  it('a town does not answer its own request', async () => {
    const id = await freshRequest();
    const response = await post(`/en/exchange/${id}/?_action=exchange.respond`, { request: String(id), body: 'Answering ourselves is not allowed.' }, 'sameTown');
    expect(response.status).toBe(403);
    expect(await response.text()).toContain('This is your own town');
    expect((await row(sql<{ n: number }>`SELECT count(*) AS n FROM help_responses WHERE request_id = ${id}`))!.n).toBe(0);
  });

  it('only members who opted in to contact can be invited, once', async () => {
    const id = await freshRequest({ topics: ['youth-skills'] });
    const aigul = (await row(sql<{ id: string }>`SELECT id FROM users WHERE email = 'zhanaozen@example.org'`))!.id;
    const irina = (await row(sql<{ id: string }>`SELECT id FROM users WHERE email = 'ridder@example.org'`))!.id;
    const refused = await post(`/en/exchange/${id}/?_action=exchange.invite`, { request: String(id), member: aigul }, 'author');
    expect(refused.status).toBe(403);
    const invited = await post(`/en/exchange/${id}/?_action=exchange.invite`, { request: String(id), member: irina }, 'author');
    expect(invited.status).toBe(303);
    const again = await post(`/en/exchange/${id}/?_action=exchange.invite`, { request: String(id), member: irina }, 'author');
    expect(again.status).toBe(409);
    expect((await row(sql<{ n: number }>`SELECT count(*) AS n FROM notifications WHERE user_id = ${irina} AND kind = 'exchange.invited'`))!.n).toBe(1);
  });
});

describe('notifications', () => {
  it('tell the requester of a response, the responder of acceptance, and watchers of a new request', async () => {
    const irina = (await row(sql<{ id: string }>`SELECT id FROM users WHERE email = 'ridder@example.org'`))!.id;
    const gulnara = (await row(sql<{ id: string }>`SELECT id FROM users WHERE email = 'temirtau-admin@example.org'`))!.id;
    const count = async (userId: string, kind: string) => (await row(sql<{ n: number }>`SELECT count(*) AS n FROM notifications WHERE user_id = ${userId} AND kind = ${kind}`))!.n;
    const before = { watched: await count(irina, 'exchange.new_request'), received: await count(gulnara, 'exchange.response_received'), accepted: await count(irina, 'exchange.response_accepted') };
    // Irina watches utilities in the demo data.
    const id = await freshRequest({ topics: ['utilities-housing'] });
    expect(await count(irina, 'exchange.new_request')).toBe(before.watched + 1);
    const response = await freshResponse(id, cookies.otherTown!);
    expect(await count(gulnara, 'exchange.response_received')).toBe(before.received + 1);
    await postForm(server.url, `/en/exchange/${id}/?_action=exchange.accept`, { response: String(response) }, { cookie: cookies.author! });
    expect(await count(irina, 'exchange.response_accepted')).toBe(before.accepted + 1);
  });
});

describe('turning an outcome into a case', () => {
  it('starts one case draft for the requesting town, pre-filled from the request, its accepted response and outcome', async () => {
    const id = await freshRequest({ title: 'Snow removal contracts with local firms' });
    const response = await freshResponse(id, cookies.otherTown!);
    await postForm(server.url, `/en/exchange/${id}/?_action=exchange.accept`, { response: String(response) }, { cookie: cookies.author! });
    const outcome = 'We signed framework contracts with two local firms for the winter.';
    expect((await post(`/en/exchange/${id}/?_action=exchange.resolve`, { request: String(id), outcome }, 'author')).status).toBe(303);

    const refused = await post(`/en/exchange/${id}/?_action=exchange.startCase`, { request: String(id) }, 'otherTown');
    expect(refused.status).toBe(403);
    const started = await post(`/en/exchange/${id}/?_action=exchange.startCase`, { request: String(id) }, 'sameTown');
    expect(started.status).toBe(303);
    const location = started.headers.get('location')!;
    expect(location).toMatch(/^\/en\/account\/cases\/\d+\/$/);
    const caseId = Number(location.match(/(\d+)/)![1]);
    const stored = (await row(sql<{ source_request_id: number; status: string; content: string }>`SELECT source_request_id, status, content FROM member_cases WHERE id = ${caseId}`))!;
    expect(stored.source_request_id).toBe(id);
    expect(stored.status).toBe('draft');
    const content = JSON.parse(stored.content) as { title: string; topics: string[]; sections: Record<string, string> };
    expect(content.title).toBe('Snow removal contracts with local firms');
    expect(content.topics).toEqual(['environment-health']);
    expect(content.sections.challenge).toBe(VALID_REQUEST.body);
    expect(content.sections.approach).toContain('We did this in 2021 with two collection points.');
    expect(content.sections.results).toBe(outcome);

    const again = await post(`/en/exchange/${id}/?_action=exchange.startCase`, { request: String(id) }, 'author');
    expect(again.headers.get('location')).toBe(location);
    const draftPage = await request(server.url, location, { cookie: cookies.author! });
    expect(draftPage.status).toBe(200);
  });

  it('is refused for a request that is not resolved', async () => {
    const id = await freshRequest();
    const response = await post(`/en/exchange/${id}/?_action=exchange.startCase`, { request: String(id) }, 'author');
    expect(response.status).toBe(403);
    expect((await row(sql<{ n: number }>`SELECT count(*) AS n FROM member_cases WHERE source_request_id = ${id}`))!.n).toBe(0);
  });
});

describe('search engines', () => {
  it('are asked to stay out of the exchange and other member areas, and its pages say noindex', async () => {
    const robots = await (await request(server.url, '/robots.txt')).text();
    for (const path of ['/*/exchange/', '/*/account/', '/*/editor/', '/*/admin/', '/*/members/']) expect(robots).toContain(`Disallow: ${path}`);
    const page = await (await request(server.url, '/en/exchange/', { cookie: cookies.otherTown! })).text();
    expect(page).toMatch(/<meta name="robots" content="noindex/);
  });
});

describe('a request with more responses than fit on a page', () => {
  let id: number;
  const ids: number[] = [];

  beforeAll(async () => {
    id = await freshRequest({ title: 'A request many towns answered' });
    // 120 responses written straight into the database (posting them would take minutes), one a second, oldest first.
    await withServerDatabase(server.databaseUrl, async (db) => {
      const author = await db.selectFrom('users').select(['id', 'town_id']).where('email', '=', EMAILS.otherTown).executeTakeFirstOrThrow();
      for (let n = 1; n <= 120; n += 1) ids.push(await addResponse(db, { requestId: id, authorId: author.id, townId: author.town_id!, body: `Numbered answer ${n}.`, links: [] }, 1_800_000_000 + n));
    });
    const accepted = await postForm(server.url, `/en/exchange/${id}/?_action=exchange.accept`, { response: String(ids[110]) }, { cookie: cookies.author! });
    expect(accepted.status).toBe(303);
  });

  const page = async (query: string) => {
    const response = await request(server.url, `/en/exchange/${id}/${query}`, { cookie: cookies.sameTown! });
    return { status: response.status, body: await response.text() };
  };
  const shown = (body: string) => [...body.matchAll(/Numbered answer (\d+)\./g)].map((match) => Number(match[1]));

  it('shows 50 a page, oldest first, with the count of all of them and links to the other pages', async () => {
    const first = await page('');
    expect(first.status).toBe(200);
    expect(first.body).toContain('Responses (120)');
    const second = await page('?page=2');
    expect(second.status).toBe(200);
    // The accepted one (number 111, on page 3) is kept in view above the page's own fifty.
    expect(shown(second.body)).toEqual([111, ...Array.from({ length: 50 }, (_, n) => n + 51)]);
    expect(second.body).toContain(`<a href="/en/exchange/${id}/#responses-title" rel="prev">`);
    expect(second.body).toContain('<span aria-current="page">2</span>');
    expect(second.body).toContain(`<a href="/en/exchange/${id}/?page=3#responses-title" rel="next">`);
    expect(second.body).toContain(`href="/en/exchange/${id}/?page=3#response-${ids[110]}"`);
    // On its own page it is in its place, once.
    const third = await page('?page=3');
    expect(shown(third.body)).toEqual(Array.from({ length: 20 }, (_, n) => n + 101));
    expect(third.body.split(`id="response-${ids[110]}"`).length).toBe(2);
  });

  it('a page that is not a number answers 400; one past the end says so', async () => {
    for (const bad of ['?page=0', '?page=abc', '?page=-1', '?page=2.5', `?page=${'9'.repeat(30)}`]) {
      const answer = await page(bad);
      expect(answer.status, bad).toBe(400);
      expect(shown(answer.body).length, bad).toBeGreaterThan(0);
    }
    const past = await page('?page=4');
    expect(past.status).toBe(200);
    expect(past.body).toContain('This page is past the last one.');
  });
});
