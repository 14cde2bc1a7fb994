import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { postForm, signIn } from '../helpers/http.ts';
import { readRows } from '../helpers/server-database.ts';
import { DEMO_PASSWORD, useServer } from '../helpers/server.ts';
import { expectCleanClientError, request } from './support.ts';

/**
 * Member cases over HTTP against the built server: who may open and change what (a table
 * of roles), the whole path from draft to publication and withdrawal, and a published
 * member case in the same list, filters, feed, sitemap and town data as file cases.
 */
const server = useServer();

type Who = 'author' | 'colleague' | 'other' | 'editor' | 'anonymous';
const cookies: Record<Who, string | undefined> = { author: undefined, colleague: undefined, other: undefined, editor: undefined, anonymous: undefined };

beforeAll(async () => {
  cookies.author = await signIn(server.url, 'temirtau@example.org', DEMO_PASSWORD);
  cookies.colleague = await signIn(server.url, 'temirtau-admin@example.org', DEMO_PASSWORD);
  cookies.other = await signIn(server.url, 'ridder@example.org', DEMO_PASSWORD);
  cookies.editor = await signIn(server.url, 'editor@example.org', DEMO_PASSWORD);
});

const TITLE = 'Temirtau: heat meters in every block of flats';
const COMPLETE: Record<string, string> = {
  title: TITLE,
  summary: 'Temirtau fitted heat meters at the inputs of 600 blocks of flats and bills residents for what they use.',
  languages: 'en',
  topics: 'utilities-housing',
  period: '2022–2025',
  funding: 'Town budget and the heat company',
  costAmount: '450000000',
  costCurrency: 'KZT',
  contactName: 'Dana Akhmetova',
  contactRole: 'Housing department, Temirtau akimat',
  contactEmail: '',
  context: 'Temirtau is a steel town in Karaganda Region.',
  challenge: 'Residents paid by floor area, whatever the heat.',
  approach: 'Meters at the input of **every** block.',
  obstacles: 'Old pipes in basements.',
  results: 'Bills fell by a fifth.',
  nextSteps: 'Meters in schools.',
  ind1Name: 'Blocks with heat meters',
  ind1Before: '40',
  ind1After: '600',
  ind1Unit: 'blocks',
  ind1Year: '2025',
};

type CaseRow = { status: string; version: number; content: string; published_content: string | null; slug: string | null; unpublished_at: number | null };
const caseRow = async (id: number) =>
  (await readRows(server.databaseUrl, sql<CaseRow>`SELECT status, version, content, published_content, slug, unpublished_at FROM member_cases WHERE id = ${id}`))[0]!;
const notifications = async (kind: string) => (await readRows(server.databaseUrl, sql<{ n: number }>`SELECT count(*) AS n FROM notifications WHERE kind = ${kind}`))[0]!.n;
const save = (id: number | 'new', fields: Record<string, string>, who: Who = 'author') =>
  postForm(server.url, `/en/account/cases/${id}/?_action=cases.save`, fields, { cookie: cookies[who] });
const decide = (id: number, fields: Record<string, string>, who: Who = 'editor') =>
  postForm(server.url, `/en/editor/cases/${id}/?_action=cases.decide`, { id: String(id), ...fields }, { cookie: cookies[who] });
const get = async (path: string, who: Who = 'anonymous') => {
  const response = await request(server.url, path, { cookie: cookies[who] });
  return { status: response.status, location: response.headers.get('location'), body: await response.text() };
};

async function newDraft(fields: Record<string, string> = { title: 'A draft', languages: 'en' }): Promise<number> {
  const response = await save('new', { ...fields, intent: 'save' });
  expect(response.status).toBe(303);
  const id = Number(response.headers.get('location')!.match(/^\/en\/account\/cases\/(\d+)\/\?done=save$/)![1]);
  expect(id).toBeGreaterThan(0);
  return id;
}

describe('who may open what', () => {
  let draftId: number;
  beforeAll(async () => {
    draftId = await newDraft();
  });

  const table: Array<[string, (id: number) => string, Record<Who, number>]> = [
    ["my town's cases", () => '/en/account/cases/', { author: 200, colleague: 200, other: 200, editor: 403, anonymous: 303 }],
    ['a new case', () => '/en/account/cases/new/', { author: 200, colleague: 200, other: 200, editor: 403, anonymous: 303 }],
    // A draft is the town's until it is submitted: an editor gets "not found", as for an id that names nothing.
    ["the town's draft", (id) => `/en/account/cases/${id}/`, { author: 200, colleague: 200, other: 404, editor: 404, anonymous: 303 }],
    ['the editors\' queue', () => '/en/editor/cases/', { author: 403, colleague: 403, other: 403, editor: 200, anonymous: 303 }],
    ['a review page', (id) => `/en/editor/cases/${id}/`, { author: 403, colleague: 403, other: 403, editor: 404, anonymous: 303 }],
  ];
  for (const [name, path, expected] of table) {
    it.each(Object.entries(expected) as Array<[Who, number]>)(`${name}: %s gets %i`, async (who, status) => {
      const page = await get(path(draftId), who);
      expect(page.status).toBe(status);
      if (status === 303) expect(page.location).toMatch(/^\/en\/sign-in\/\?next=/);
      if (status === 404 || status === 403) expect(page.body).not.toContain('A draft');
    });
  }

  it('a draft is never public, whatever its id', async () => {
    expect((await get('/en/cases/')).body).not.toContain('A draft');
    expect((await get(`/en/cases/${draftId}/`)).status).toBe(404);
  });

  it('an editor finds a draft in no tab of the queue, nor can comment on or decide it', async () => {
    for (const status of ['submitted', 'changes_requested', 'approved', 'rejected']) {
      const page = await get(`/en/editor/cases/?status=${status}`, 'editor');
      expect(page.status).toBe(200);
      expect(page.body, status).not.toContain(`/en/editor/cases/${draftId}/`);
    }
    const before = await caseRow(draftId);
    const comment = await postForm(server.url, `/en/editor/cases/${draftId}/?_action=cases.comment`, { id: String(draftId), comment: 'Peeking.' }, { cookie: cookies.editor });
    expect(comment.status).toBe(404);
    expect((await decide(draftId, { version: String(before.version), decision: 'approve' })).status).toBe(404);
    expect(await caseRow(draftId)).toEqual(before);
    expect((await readRows(server.databaseUrl, sql<{ n: number }>`SELECT count(*) AS n FROM member_case_events WHERE case_id = ${draftId} AND kind = 'comment'`))[0]!.n).toBe(0);
  });

  it('the editors\' queue lists the demo submissions in review', async () => {
    const page = await get('/en/editor/cases/', 'editor');
    expect(page.body).toContain('Ridder: one counter for utility complaints');
    expect(page.body).toContain('Темиртау: бюджет участия для дворов и скверов');
  });
});

describe('writes by the wrong person change nothing', () => {
  // Another town, and an editor (a draft is the town's), get "not found" (the page does not say the case exists); nobody signed in is sent to sign in.
  it.each([
    ['another town', 'other' as Who, 404],
    ['an editor', 'editor' as Who, 404],
    ['nobody signed in', 'anonymous' as Who, 303],
  ])('%s cannot save the town\'s draft', async (_, who, status) => {
    const id = await newDraft();
    const before = await caseRow(id);
    const response = await save(id, { id: String(id), version: String(before.version), ...COMPLETE, intent: 'save' }, who);
    expect(response.status).toBe(status);
    if (status !== 303) expectCleanClientError(response.status, await response.text());
    else expect(response.headers.get('location')).toMatch(/^\/en\/sign-in\//);
    expect(await caseRow(id)).toEqual(before);
  });

  it.each(['author', 'colleague', 'other', 'anonymous'] as Who[])('%s cannot approve, reject or withdraw', async (who) => {
    const id = await newDraft();
    const row = await caseRow(id);
    // Refused (403), or for nobody signed in, sent to sign in.
    const refused = (status: number) => (who === 'anonymous' ? status === 303 : status === 403);
    for (const decision of ['approve', 'reject', 'requestChanges']) {
      const response = await decide(id, { version: String(row.version), decision, reason: 'Because I can.' }, who);
      expect(refused(response.status), `${decision}: ${response.status}`).toBe(true);
    }
    const unpublish = await postForm(server.url, `/en/editor/cases/${id}/?_action=cases.unpublish`, { id: String(id), reason: 'Because I can.' }, { cookie: cookies[who] });
    expect(refused(unpublish.status)).toBe(true);
    expect(await caseRow(id)).toEqual(row);
  });
});

describe('bad input keeps every word and says what is wrong', () => {
  it('submitting an incomplete case answers 400, names the fields and keeps the text', async () => {
    const id = await newDraft();
    const response = await save(id, { id: String(id), version: '1', title: 'Half a case', context: 'Only this part is written.', languages: 'en', intent: 'submit' });
    expect(response.status).toBe(400);
    const body = await response.text();
    expect(body).toContain('Only this part is written.');
    expect(body).toContain('href="#field-challenge"');
    expect(body).toContain('Choose at least one topic.');
    expect((await caseRow(id)).status).toBe('draft');
  });

  it('an unknown topic and a non-numeric indicator answer 400 with their messages; nothing saved, nothing lost', async () => {
    const id = await newDraft();
    const before = await caseRow(id);
    const response = await save(id, { id: String(id), version: '1', ...COMPLETE, topics: 'astrology', ind1Before: 'forty', intent: 'save' });
    expect(response.status).toBe(400);
    const body = await response.text();
    expect(body).toContain('Choose topics from the list.');
    expect(body).toContain('Write a number, e.g. 12 or 4.5.');
    expect(body).toContain('value="forty"');
    expect(body).toContain('Meters at the input of **every** block.');
    expect(await caseRow(id)).toEqual(before);
  });

  it('hostile markdown is stored as written and harmless in the preview', async () => {
    const hostile = '<script>alert(1)</script>\n\n[x](javascript:alert(2)) <img src=x onerror=alert(3)>';
    const id = await newDraft();
    const preview = await save(id, { id: String(id), version: '1', title: 'Hostile', context: hostile, intent: 'preview' });
    expect(preview.status).toBe(200);
    const html = await preview.text();
    const shown = html.match(/<section class="case-preview"[\s\S]*?<\/section>/)![0];
    expect(shown).not.toMatch(/<script|javascript:|onerror|<img/i);
    // The preview saves nothing.
    expect((await caseRow(id)).version).toBe(1);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect((await save(id, { id: String(id), version: '1', title: 'Hostile', context: hostile, intent: 'save' })).status).toBe(303);
    expect(JSON.parse((await caseRow(id)).content).sections.context).toBe(hostile);
  });

  it('a colleague saved first: 409, the user\'s text kept, their version shown', async () => {
    const id = await newDraft();
    expect((await save(id, { id: String(id), version: '1', title: 'The colleague\'s title', intent: 'save' }, 'colleague')).status).toBe(303);
    const response = await save(id, { id: String(id), version: '1', title: 'My own title', context: 'My careful words', intent: 'save' });
    expect(response.status).toBe(409);
    const body = await response.text();
    expect(body).toContain('A colleague saved this case after you opened it');
    expect(body).toContain('value="My own title"');
    expect(body).toContain('My careful words');
    expect(body).toContain('The colleague&#39;s title');
    expect(JSON.parse((await caseRow(id)).content).title).toBe("The colleague's title");
    // Saving again from the version now shown replaces theirs, knowingly.
    expect(body).toContain('name="version" value="2"');
    expect((await save(id, { id: String(id), version: '2', title: 'My own title', intent: 'save' })).status).toBe(303);
  });

  it('ids that are not numbers, or not cases, answer 4xx', async () => {
    expect((await get('/en/account/cases/abc/', 'author')).status).toBe(404);
    expect((await get('/en/account/cases/99999/', 'author')).status).toBe(404);
    expect((await get('/en/editor/cases/99999/', 'editor')).status).toBe(404);
    const response = await save(99999, { id: '99999', version: '1', title: 'x', intent: 'save' });
    expect(response.status).toBe(404);
  });
});

describe('from draft to the public and back', () => {
  let id: number;
  let slug: string;

  it('the author writes and submits; editors are told', async () => {
    const before = await notifications('cases.submitted');
    id = await newDraft({ title: 'Heat meters', languages: 'en' });
    const response = await save(id, { id: String(id), version: '1', ...COMPLETE, intent: 'submit' });
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe(`/en/account/cases/${id}/?done=submit`);
    expect((await caseRow(id)).status).toBe('submitted');
    expect(await notifications('cases.submitted')).toBeGreaterThan(before);
    // With the editors, the town cannot edit it.
    const locked = await save(id, { id: String(id), version: String((await caseRow(id)).version), ...COMPLETE, intent: 'save' });
    expect(locked.status).toBe(409);
  });

  it('the editor asks for changes; the author is told and reads the comment', async () => {
    const response = await decide(id, { version: String((await caseRow(id)).version), decision: 'requestChanges', reason: 'Please say how many residents were asked.' });
    expect(response.status).toBe(303);
    expect((await caseRow(id)).status).toBe('changes_requested');
    expect(await notifications('cases.changes_requested')).toBeGreaterThan(0);
    const page = await get(`/en/account/cases/${id}/`, 'author');
    expect(page.body).toContain('Please say how many residents were asked.');
    // The author hears of it; another town does not.
    expect((await get('/en/account/notifications/', 'author')).body).toContain(`Changes requested: ${TITLE}`);
    expect((await get('/en/account/notifications/', 'other')).body).not.toContain(TITLE);
    expect(page.body).toContain('Changes requested');
  });

  it('a decision without a reason is refused with a message', async () => {
    const response = await decide(id, { version: String((await caseRow(id)).version), decision: 'reject', reason: '' });
    expect(response.status).toBe(400);
  });

  it('the colleague resubmits; the editor approves; it is public like a file case', async () => {
    const resubmitted = await save(id, { id: String(id), version: String((await caseRow(id)).version), ...COMPLETE, intent: 'submit' }, 'colleague');
    expect(resubmitted.status).toBe(303);
    const version = String((await caseRow(id)).version);
    expect((await decide(id, { version, decision: 'approve' })).status).toBe(303);
    const row = await caseRow(id);
    expect(row.status).toBe('approved');
    slug = row.slug!;
    expect(slug).toMatch(/^temirtau-heat-meters/);

    const page = await get(`/en/cases/${slug}/`);
    expect(page.status).toBe(200);
    expect(page.body).toContain(`<h1>${TITLE}</h1>`);
    expect(page.body).toContain('Submitted by Temirtau, a member town.');
    expect(page.body).toContain('<strong>every</strong>');
    expect(page.body).toContain('<aside class="facts"');
    expect(page.body).toContain('<a href="/en/cases/?town=temirtau">');
    // Not written in Kazakh: the Kazakh page says so and links the English one.
    const kk = await get(`/kk/cases/${slug}/`);
    expect(kk.status).toBe(200);
    expect(kk.body).toContain(`href="/en/cases/${slug}/"`);

    for (const path of ['/en/cases/', '/en/cases/?town=temirtau', '/en/cases/?topic=utilities-housing', '/en/cases/?language=en', '/en/cases/?region=karaganda', '/en/cases/?q=heat+meters']) {
      expect((await get(path)).body, path).toContain(`href="/en/cases/${slug}/"`);
    }
    expect((await get('/en/cases/?town=ridder')).body).not.toContain(slug);
    expect((await get('/en/cases/rss.xml')).body).toContain(`/en/cases/${slug}/</link>`);
    expect((await get('/ru/cases/rss.xml')).body).not.toContain(slug);
    expect((await get('/sitemap-cases.xml')).body).toContain(`/en/cases/${slug}/</loc>`);
    expect((await get('/en/knowledge/')).body).toContain(`href="/en/cases/${slug}/"`);
  });

  it('approving it again is refused with a clear message, nothing changed', async () => {
    const before = await caseRow(id);
    const response = await decide(id, { version: String(before.version - 1), decision: 'approve' });
    expect(response.status).toBe(409);
    expect(await response.text()).toContain('This step is not possible now');
    expect(await caseRow(id)).toEqual(before);
  });

  it('the town proposes a change; the published version stays until it is approved', async () => {
    const propose = await postForm(server.url, `/en/account/cases/${id}/?_action=cases.propose`, { id: String(id), version: String((await caseRow(id)).version) }, { cookie: cookies.author });
    expect(propose.status).toBe(303);
    expect((await save(id, { id: String(id), version: String((await caseRow(id)).version), ...COMPLETE, title: `${TITLE}, revised`, intent: 'save' })).status).toBe(303);
    // While the town drafts the revision, an editor sees only the public copy, and may still withdraw it.
    const review = await get(`/en/editor/cases/${id}/`, 'editor');
    expect(review.status).toBe(200);
    expect(review.body).toContain(`<h1>Review: ${TITLE}</h1>`);
    expect(review.body).not.toContain(`${TITLE}, revised`);
    expect(review.body).toContain('?_action=cases.unpublish');
    expect(review.body).not.toContain('?_action=cases.comment');
    expect((await save(id, { id: String(id), version: String((await caseRow(id)).version), ...COMPLETE, title: `${TITLE}, revised`, intent: 'submit' })).status).toBe(303);
    expect((await get(`/en/cases/${slug}/`)).body).toContain(`<h1>${TITLE}</h1>`);
    expect((await decide(id, { version: String((await caseRow(id)).version), decision: 'approve' })).status).toBe(303);
    expect((await get(`/en/cases/${slug}/`)).body).toContain(`<h1>${TITLE}, revised</h1>`);
  });

  it('the editor withdraws it: 410 Gone, and gone from lists, feeds and the sitemap', async () => {
    const response = await postForm(server.url, `/en/editor/cases/${id}/?_action=cases.unpublish`, { id: String(id), reason: 'The figures could not be checked.' }, { cookie: cookies.editor });
    expect(response.status).toBe(303);
    expect(await notifications('cases.unpublished')).toBeGreaterThan(0);
    expect((await get(`/en/cases/${slug}/`)).status).toBe(410);
    expect((await get('/en/cases/')).body).not.toContain(slug);
    expect((await get('/en/cases/rss.xml')).body).not.toContain(slug);
    expect((await get('/sitemap-cases.xml')).body).not.toContain(slug);
    // The town sees why, in the history.
    expect((await get(`/en/account/cases/${id}/`, 'colleague')).body).toContain('The figures could not be checked.');
  });

  it('every step is in the history, with who did it', async () => {
    const kinds = (await readRows(server.databaseUrl, sql<{ kind: string }>`SELECT kind FROM member_case_events WHERE case_id = ${id} ORDER BY id`)).map((row) => row.kind);
    expect(kinds).toEqual(['created', 'submitted', 'changes_requested', 'resubmitted', 'approved', 'revision_started', 'resubmitted', 'approved', 'unpublished']);
    const audit = (await readRows(server.databaseUrl, sql<{ action: string }>`SELECT action FROM audit_log WHERE target_type = 'case' AND target_id = ${String(id)} ORDER BY id`)).map((row) => row.action);
    expect(audit).toEqual(['case.submitted', 'case.changes_requested', 'case.submitted', 'case.approved', 'case.submitted', 'case.approved', 'case.unpublished']);
  });
});

describe('the demo database', () => {
  it('publishes two member cases beside the file cases, in their town\'s data', async () => {
    const serebryansk = await get('/ru/cases/serebryansk-small-business-desk/');
    expect(serebryansk.status).toBe(200);
    expect(serebryansk.body).toContain('Прислано городом-участником: Серебрянск.');
    expect((await get('/ru/cases/?town=serebryansk')).body).toContain('href="/ru/cases/serebryansk-small-business-desk/"');
    expect((await get('/kk/cases/?town=shakhtinsk')).body).toContain('href="/kk/cases/shakhtinsk-youth-coworking/"');
    expect((await get('/kk/cases/rss.xml')).body).toContain('/kk/cases/shakhtinsk-youth-coworking/</link>');
  });

  it('the old run-time search index of cases is gone (search reads the database)', async () => {
    expect((await request(server.url, '/pagefind-cases/pagefind-entry.json')).status).toBe(404);
  });
});
