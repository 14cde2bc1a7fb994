import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { contentFiles } from '../helpers/content.ts';
import { postForm, signIn } from '../helpers/http.ts';
import { readRows } from '../helpers/server-database.ts';
import { DEMO_PASSWORD, useServer } from '../helpers/server.ts';
import { expectCleanClientError, request } from './support.ts';

/**
 * The association's pages edited in the portal, against the built server: "Edit in
 * portal" starts the page from its file, a published version is what /en/about/ shows at
 * once (no rebuild), the page's slots stay, withdrawing shows the file again (never 410),
 * and bad input is answered 400/404 with a message.
 */
const server = useServer();

type Who = 'public' | 'member' | 'author' | 'editor';
const cookies: Record<Who, string | undefined> = { public: undefined, member: undefined, author: undefined, editor: undefined };

beforeAll(async () => {
  cookies.member = await signIn(server.url, 'temirtau@example.org', DEMO_PASSWORD);
  cookies.author = await signIn(server.url, 'author@example.org', DEMO_PASSWORD);
  cookies.editor = await signIn(server.url, 'editor@example.org', DEMO_PASSWORD);
});

const get = async (path: string, who: Who = 'public') => {
  const response = await request(server.url, path, { cookie: cookies[who] });
  return { status: response.status, location: response.headers.get('location'), cache: response.headers.get('cache-control'), body: await response.text() };
};
/** Text as Astro writes it into HTML. */
const escaped = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
const file = (slug: string, lang: string) => contentFiles().find((entry) => entry.collection === 'pages' && entry.slug === slug && entry.folder === lang)!;
const item = async (slug: string) => (await readRows(server.databaseUrl, sql<{ id: number; version: number; state: string }>`SELECT id, version, state FROM editorial_items WHERE slug = ${slug} AND collection = 'pages'`))[0];
const editPage = (slug: string, who: Who) => postForm(server.url, '/en/editor/content/?_action=editorial.editPage', { slug }, { cookie: cookies[who] });
const save = async (slug: string, who: Who, fields: Record<string, string>) => {
  const { id, version } = (await item(slug))!;
  const source = file(slug, 'en');
  return postForm(
    server.url,
    `/en/editor/content/${id}/?lang=en&_action=editorial.save`,
    { id: String(id), version: String(version), collection: 'pages', lang: 'en', title: source.data.title, description: source.data.description, updated: String(source.data.updated), body: source.body, intent: 'save', ...fields },
    { cookie: cookies[who] },
  );
};
const step = async (slug: string, intent: string, who: Who, extra: Record<string, string> = {}) => {
  const { id, version } = (await item(slug))!;
  return postForm(server.url, `/en/editor/content/${id}/?lang=en&_action=editorial.step`, { id: String(id), version: String(version), intent, ...extra }, { cookie: cookies[who] });
};

describe('an association page edited in the portal', () => {
  it('is started from its file by "Edit in portal": authors and editors, not members or visitors', async () => {
    expect((await editPage('about', 'member')).status).toBe(403);
    const visitor = await editPage('about', 'public');
    expect(visitor.status).toBe(303);
    expect(visitor.headers.get('location')).toMatch(/^\/en\/sign-in\//);
    expect(await item('about')).toBeUndefined();
    // Staff find the button on the page itself; readers and members do not.
    const button = 'action="/en/editor/content/?_action=editorial.editPage"';
    expect((await get('/en/about/', 'editor')).body).toContain(button);
    expect((await get('/en/about/', 'author')).body).toContain(button);
    expect((await get('/en/about/', 'member')).body).not.toContain(button);
    expect((await get('/en/about/')).body).not.toContain(button);
    const started = await editPage('about', 'editor');
    expect(started.status).toBe(303);
    const { id, state } = (await item('about'))!;
    expect(state).toBe('draft');
    expect(started.headers.get('location')).toBe(`/en/editor/content/${id}/`);
    const form = await get(`/en/editor/content/${id}/?lang=en`, 'editor');
    expect(form.status).toBe(200);
    expect(form.body).toContain(escaped(file('about', 'en').data.description));
    expect(form.body).toContain('Until this page is published, readers see its file.');
    // Again: the same item.
    expect((await editPage('about', 'author')).headers.get('location')).toBe(`/en/editor/content/${id}/`);
  });

  it('shows the published version at /en/about/ at once, without a rebuild; withdrawn, the file again (never 410)', async () => {
    const before = await get('/en/about/');
    expect(before.status).toBe(200);
    expect(before.body).toContain(`<h1>${escaped(file('about', 'en').data.title)}</h1>`);
    if (!(await item('about'))) await editPage('about', 'editor');
    expect((await save('about', 'editor', { title: 'About the association of towns', body: `${file('about', 'en').body}\n\nA sentence written in the portal.` })).status).toBe(303);
    // A draft is not public: the file is still shown.
    expect((await get('/en/about/')).body).not.toContain('A sentence written in the portal.');
    expect((await step('about', 'publish', 'editor')).status).toBe(303);

    const after = await get('/en/about/');
    expect(after.status).toBe(200);
    expect(after.body).toContain('<h1>About the association of towns</h1>');
    expect(after.body).toContain('A sentence written in the portal.');
    expect(after.cache).toBe('public, max-age=0, must-revalidate');
    // The other languages are the portal's copies of their files.
    expect((await get('/kk/about/')).body).toContain(`<h1>${escaped(file('about', 'kk').data.title)}</h1>`);
    const rows = await readRows(server.databaseUrl, sql<{ key: string; source: string; section: string }>`SELECT key, source, section FROM search_documents WHERE path = '/about/' AND lang = 'en'`);
    expect(rows.map((row) => [row.source, row.section])).toEqual([['portal', 'pages']]);
    expect((await get('/sitemap-pages.xml')).body).toContain('/en/about/');

    expect((await step('about', 'withdraw', 'editor', { reason: 'Back to the file' })).status).toBe(303);
    const withdrawn = await get('/en/about/');
    expect(withdrawn.status).toBe(200);
    expect(withdrawn.body).toContain(`<h1>${escaped(file('about', 'en').data.title)}</h1>`);
    expect(withdrawn.body).not.toContain('A sentence written in the portal.');
    const restored = await readRows(server.databaseUrl, sql<{ key: string }>`SELECT key FROM search_documents WHERE path = '/about/' AND lang = 'en'`);
    expect(restored.map((row) => row.key)).toEqual(['content:pages/about:en']);
  });

  it("keeps the page's slots: membership's application link around the portal text", async () => {
    await editPage('membership', 'editor');
    expect((await save('membership', 'editor', { body: 'Membership, as the portal now says it.' })).status).toBe(303);
    expect((await step('membership', 'publish', 'editor')).status).toBe(303);
    const page = await get('/en/membership/');
    expect(page.body).toContain('Membership, as the portal now says it.');
    expect(page.body.match(/href="\/en\/membership\/apply\/"/g)?.length).toBeGreaterThanOrEqual(2);
  });
});

describe('bad input', () => {
  it('an unknown language is 404, an unknown page 404, a new page 400, what pageSchema refuses 400 with the text kept', async () => {
    expect((await get('/xx/about/')).status).toBe(404);
    const unknown = await editPage('no-such-page', 'editor');
    expect(unknown.status).toBe(404);
    expectCleanClientError(404, await unknown.text());
    const fresh = await postForm(server.url, '/en/editor/content/new/?collection=news&_action=editorial.save', { collection: 'pages', lang: 'en', slug: 'new-page', title: 'A new page', description: 'A page with no file behind it.', updated: '2026-12-01', body: 'Text.', intent: 'save' }, { cookie: cookies.editor });
    expect(fresh.status).toBe(400);
    expect(await fresh.text()).toContain('Edit in portal');
    await editPage('privacy', 'editor');
    const bad = await save('privacy', 'editor', { description: 'Short', updated: 'soon', body: 'My careful correction.' });
    expect(bad.status).toBe(400);
    const body = await bad.text();
    expectCleanClientError(400, body);
    expect(body).toContain('My careful correction.');
    expect(body).not.toMatch(/editorial\.[a-z]+\.[a-zA-Z]+/);
    expect((await get('/en/editor/content/', 'editor')).body).toContain('Edit in portal');
  });
});
