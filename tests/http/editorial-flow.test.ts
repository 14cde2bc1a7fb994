import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { COUNTERS_REUSE_MS } from '~/node/live-related.ts';
import { contentFiles } from '../helpers/content.ts';
import { postForm, signIn } from '../helpers/http.ts';
import { readRows } from '../helpers/server-database.ts';
import { DEMO_PASSWORD, useServer } from '../helpers/server.ts';
import { expectCleanClientError, request } from './support.ts';

/**
 * The editorial workspace over HTTP against the built server: the role table (visitor,
 * member, author, editor, administrator × each step), bad input answered 400 with the
 * schema's message in the reader's language, and a published portal item in its list,
 * feed, sitemap and search rows at once, gone (410) after withdrawal — no rebuild.
 */
const server = useServer();

type Who = 'public' | 'member' | 'author' | 'editor' | 'admin';
const cookies: Record<Who, string | undefined> = { public: undefined, member: undefined, author: undefined, editor: undefined, admin: undefined };

beforeAll(async () => {
  cookies.member = await signIn(server.url, 'temirtau@example.org', DEMO_PASSWORD);
  cookies.author = await signIn(server.url, 'author@example.org', DEMO_PASSWORD);
  cookies.editor = await signIn(server.url, 'editor@example.org', DEMO_PASSWORD);
  cookies.admin = await signIn(server.url, 'admin@example.org', DEMO_PASSWORD);
});

const NEWS: Record<string, string | string[]> = {
  collection: 'news',
  lang: 'ru',
  title: 'Портал: новость без пересборки',
  summary: 'Редактор публикует новость на портале, и она сразу появляется в списках и лентах.',
  date: '2026-11-25',
  topics: ['planning-governance'],
  body: 'Текст новости.\n\n## Подробнее\n\nЕщё немного текста.',
};

const get = async (path: string, who: Who = 'public') => {
  const response = await request(server.url, path, { cookie: cookies[who] });
  return { status: response.status, location: response.headers.get('location'), body: await response.text() };
};
const create = (slug: string, who: Who, fields: Record<string, string | string[]> = NEWS) =>
  postForm(server.url, `/ru/editor/content/new/?collection=news&_action=editorial.save`, { ...fields, slug, intent: 'save' }, { cookie: cookies[who] });
const step = (id: number, intent: string, who: Who, extra: Record<string, string> = {}) =>
  itemVersion(id).then((version) => postForm(server.url, `/ru/editor/content/${id}/?lang=ru&_action=editorial.step`, { id: String(id), version: String(version), intent, ...extra }, { cookie: cookies[who] }));
const itemVersion = async (id: number) => (await readRows(server.databaseUrl, sql<{ version: number }>`SELECT version FROM editorial_items WHERE id = ${id}`))[0]!.version;
const itemState = async (id: number) => (await readRows(server.databaseUrl, sql<{ state: string; is_public: number }>`SELECT state, is_public FROM editorial_items WHERE id = ${id}`))[0]!;

async function created(slug: string, who: Who = 'author'): Promise<number> {
  const response = await create(slug, who);
  expect(response.status).toBe(303);
  return Number(response.headers.get('location')!.match(/^\/ru\/editor\/content\/(\d+)\/\?done=save$/)![1]);
}

describe('the role table over HTTP', () => {
  it('the workspace: a visitor is sent to sign in, a member is refused, authors, editors and administrators get in', async () => {
    expect((await get('/ru/editor/content/')).status).toBe(303);
    expect((await get('/ru/editor/content/', 'member')).status).toBe(403);
    for (const who of ['author', 'editor', 'admin'] as const) expect((await get('/ru/editor/content/', who)).status).toBe(200);
  });

  it('create: authors, editors, administrators; not a member or a visitor', async () => {
    expect((await create('role-create-member', 'member')).status).toBe(403);
    // A visitor's post is refused by the action and the page sends them to sign in; nothing is stored.
    const visitor = await create('role-create-public', 'public');
    expect(visitor.status).toBe(303);
    expect(visitor.headers.get('location')).toMatch(/^\/ru\/sign-in\//);
    expect(await readRows(server.databaseUrl, sql`SELECT id FROM editorial_items WHERE slug LIKE 'role-create-p%' OR slug = 'role-create-member'`)).toEqual([]);
    for (const who of ['author', 'editor', 'admin'] as const) expect((await create(`role-create-${who}`, who)).status).toBe(303);
  });

  it('submit, translate: authors and editors; publish, schedule, withdraw: editors and administrators only', async () => {
    const id = await created('role-steps');
    const translate = (who: Who) =>
      itemVersion(id).then((version) =>
        postForm(server.url, `/ru/editor/content/${id}/?lang=kk&_action=editorial.save`, { ...NEWS, id: String(id), version: String(version), lang: 'kk', title: 'Жаңалық: порталда', intent: 'save' }, { cookie: cookies[who] }),
      );
    expect((await translate('member')).status).toBe(403);
    expect((await translate('author')).status).toBe(303);
    expect((await step(id, 'publish', 'author')).status).toBe(403);
    expect((await step(id, 'schedule', 'author', { at: '2030-01-01T09:00' })).status).toBe(403);
    expect((await step(id, 'submit', 'member')).status).toBe(403);
    expect((await step(id, 'submit', 'author')).status).toBe(303);
    expect(await itemState(id)).toMatchObject({ state: 'submitted' });
    expect((await step(id, 'schedule', 'editor', { at: '2030-01-01T09:00' })).status).toBe(303);
    expect(await itemState(id)).toMatchObject({ state: 'scheduled', is_public: 0 });
    expect((await step(id, 'publish', 'admin')).status).toBe(303);
    expect((await step(id, 'withdraw', 'author', { reason: 'Не нужно' })).status).toBe(403);
    expect((await step(id, 'withdraw', 'editor', { reason: 'Не нужно' })).status).toBe(303);
    expect(await itemState(id)).toMatchObject({ state: 'withdrawn', is_public: 0 });
  });

  it('an administrator assigns the author role', async () => {
    const [member] = await readRows(server.databaseUrl, sql<{ id: string }>`SELECT id FROM users WHERE email = 'ridder@example.org'`);
    const response = await postForm(server.url, '/en/admin/accounts/?_action=admin.changeRole', { user: member!.id, role: 'author' }, { cookie: cookies.admin });
    expect(response.status).toBeLessThan(400);
    const [row] = await readRows(server.databaseUrl, sql<{ role: string }>`SELECT role FROM users WHERE id = ${member!.id}`);
    expect(row!.role).toBe('author');
    await postForm(server.url, '/en/admin/accounts/?_action=admin.changeRole', { user: member!.id, role: 'member' }, { cookie: cookies.admin });
  });
});

describe('bad input', () => {
  it('what the build schema refuses comes back 400, field by field, in the reader language, the text kept', async () => {
    const response = await create('bad-input', 'author', { ...NEWS, title: 'No', summary: 'short', date: '', topics: [] });
    expect(response.status).toBe(400);
    const body = await response.text();
    expectCleanClientError(400, body);
    expect(body).toContain('Напишите не меньше 3 знаков.');
    expect(body).toContain('Выберите или напишите хотя бы одно значение.');
    expect(body).toContain('Текст новости.');
    const taken = await create('association-founded', 'author');
    expect(taken.status).toBe(409);
    expect(await taken.text()).toContain('Этот адрес уже занят');
  });

  it('a stale save is told and keeps the text typed', async () => {
    const id = await created('stale-save');
    const first = await postForm(server.url, `/ru/editor/content/${id}/?lang=ru&_action=editorial.save`, { ...NEWS, id: String(id), version: '1', intent: 'save', title: 'Первая правка' }, { cookie: cookies.editor });
    expect(first.status).toBe(303);
    const second = await postForm(server.url, `/ru/editor/content/${id}/?lang=ru&_action=editorial.save`, { ...NEWS, id: String(id), version: '1', intent: 'save', title: 'Вторая правка, моя' }, { cookie: cookies.author });
    expect(second.status).toBe(409);
    const body = await second.text();
    expect(body).toContain('Пока вы писали, коллега сохранил этот материал.');
    expect(body).toContain('Вторая правка, моя');
  });
});

describe('published without a rebuild', () => {
  it('appears in the list, the feed, the sitemap and search at once; withdrawn, its page answers 410 and it leaves them', async () => {
    const id = await created('no-rebuild-news');
    expect((await get('/ru/news/no-rebuild-news/')).status).toBe(404);
    expect((await step(id, 'publish', 'editor')).status).toBe(303);

    const page = await get('/ru/news/no-rebuild-news/');
    expect(page.status).toBe(200);
    expect(page.body).toContain(NEWS.title as string);
    expect(page.body).toContain('<h2>Подробнее</h2>');
    expect((await get('/kk/news/no-rebuild-news/')).status).toBe(200);
    expect((await get('/ru/news/')).body).toContain('/ru/news/no-rebuild-news/');
    expect((await get('/ru/news/?topic=planning-governance')).body).toContain('/ru/news/no-rebuild-news/');
    expect((await get('/ru/news/rss.xml')).body).toContain('/ru/news/no-rebuild-news/');
    expect((await get('/en/news/rss.xml')).body).not.toContain('no-rebuild-news');
    expect((await get('/sitemap-pages.xml')).body).toContain('/ru/news/no-rebuild-news/');
    // File items keep working, now on demand.
    expect((await get('/ru/news/association-founded/')).status).toBe(200);
    const rows = await readRows(server.databaseUrl, sql<{ key: string; audience: string; section: string; path: string }>`SELECT key, audience, section, path FROM search_documents WHERE source = 'portal' AND key = ${`portal:${id}:ru`}`);
    expect(rows).toEqual([{ key: `portal:${id}:ru`, audience: 'public', section: 'news', path: '/news/no-rebuild-news/' }]);

    expect((await step(id, 'withdraw', 'editor', { reason: 'Ошибка в тексте' })).status).toBe(303);
    const gone = await get('/ru/news/no-rebuild-news/');
    expect(gone.status).toBe(410);
    expect(gone.body).toContain('Эта страница снята с публикации');
    expect((await get('/ru/news/')).body).not.toContain('no-rebuild-news');
    expect((await get('/ru/news/rss.xml')).body).not.toContain('no-rebuild-news');
    expect((await get('/sitemap-pages.xml')).body).not.toContain('no-rebuild-news');
    expect(await readRows(server.databaseUrl, sql`SELECT key FROM search_documents WHERE key = ${`portal:${id}:ru`}`)).toEqual([]);
  });

  it('the demo: a withdrawn seed item answers 410, a scheduled or submitted one is not public yet', async () => {
    expect((await get('/ru/news/tariff-seminar-moved/')).status).toBe(410);
    expect((await get('/kk/news/assembly-agenda-published/')).status).toBe(404);
    expect((await get('/ru/news/editorial-workspace-opens/')).status).toBe(404);
  });

  it('the editor pages answer for each role in each language without raw keys', async () => {
    const [item] = await readRows(server.databaseUrl, sql<{ id: number }>`SELECT id FROM editorial_items WHERE slug = 'heat-meter-procurement-checklist'`);
    for (const lang of ['kk', 'ru', 'en']) {
      for (const path of [`/${lang}/editor/content/`, `/${lang}/editor/content/new/?collection=events`, `/${lang}/editor/content/new/?collection=resources`, `/${lang}/editor/content/new/?collection=programmes`, `/${lang}/editor/content/${item!.id}/?lang=ru`, `/${lang}/editor/content/${item!.id}/history/?lang=en&from=1&to=2`, `/${lang}/editor/content/translations/?into=ru`]) {
        const page = await get(path, 'editor');
        expect({ path, status: page.status }).toEqual({ path, status: 200 });
        expect(page.body).not.toMatch(/editorial\.[a-z]+\.[a-zA-Z]+/);
      }
    }
    expect((await get('/ru/editor/content/translations/?into=ru', 'author')).body).toContain('перевод устарел');
  });
});

describe('related items of prerendered file pages, without a rebuild', () => {
  // A file page X (a Russian resource naming two related items, so two are ranked) and
  // another, Y, sharing no topic with it.
  const x = contentFiles().find((entry) => entry.collection === 'resources' && entry.folder === 'ru' && entry.slug === 'public-private-dialogue-guide')!;
  const topics = x.data.topics as string[];
  const y = contentFiles().find((entry) => entry.collection === 'resources' && entry.folder === 'en' && entry.slug === 'youth-retention-policy-brief')!;
  const xPath = `/ru/resources/${x.slug}/`;
  const yPath = `/en/resources/${y.slug}/`;
  /**
   * After a write: the Node entry reads the change counters at most COUNTERS_REUSE_MS before
   * a request (the bound the README promises), and the first item page asked for after a
   * change is rendered on demand and starts computing the new set in the background; until
   * the process holds it every item page is rendered on demand, Y too (no ETag). Once Y is
   * the built file again the set is held, and from then on each check below is exact.
   */
  const afterChange = async () => {
    await new Promise((resolve) => setTimeout(resolve, COUNTERS_REUSE_MS + 30));
    for (let attempt = 0; ; attempt++) {
      const page = await plain(yPath);
      expect(page.status).toBe(200);
      if (page.etag !== null) return;
      if (attempt === 200) throw new Error(`${yPath} still rendered on demand: the set of affected pages was never offered`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  };
  /** The built file of a prerendered page, as the static files send it unencoded. */
  const built = (path: string) => readFileSync(join('dist', 'client', path, 'index.html'), 'utf8');
  const plain = async (path: string, who: Who = 'public') => {
    const response = await request(server.url, path, { cookie: cookies[who], headers: { 'Accept-Encoding': 'identity' } });
    return { status: response.status, etag: response.headers.get('etag'), body: await response.text() };
  };
  const related = (body: string) => body.match(/<section class="related"[^>]*>([\s\S]*?)<\/section>/)?.[1] ?? '';
  /** Served from the static files: the very bytes of the build, with their ETag. */
  const expectStatic = async (path: string) => {
    const page = await plain(path);
    expect(page.status, path).toBe(200);
    expect(page.etag, path).not.toBeNull();
    expect(page.body === built(path), `${path} is the built file`).toBe(true);
  };

  it('a published portal item joins the file page it relates to, as a file card; withdrawn, the built page is back', async () => {
    expect(topics.length).toBeGreaterThan(1);
    expect((y.data.topics as string[]).some((topic) => topics.includes(topic))).toBe(false);
    await afterChange();
    await expectStatic(xPath);
    await expectStatic(yPath);
    const title = 'Портал: тарифы на тепло в моногородах';
    const id = await created('live-related-tariffs');
    const fields = { ...NEWS, title, summary: 'Новость портала на те же темы, что и файл.', topics, date: '2030-01-01' };
    expect((await postForm(server.url, `/ru/editor/content/${id}/?lang=ru&_action=editorial.save`, { ...fields, id: String(id), version: String(await itemVersion(id)), slug: 'live-related-tariffs', intent: 'save' }, { cookie: cookies.editor })).status).toBe(303);
    expect((await step(id, 'publish', 'editor')).status).toBe(303);
    await afterChange();

    // The prerendered address now answers on demand, every form of it, with the portal item listed.
    for (const form of [xPath, xPath.slice(0, -1), `${xPath}index.html`]) {
      const page = await plain(form);
      expect(page.status, form).toBe(200);
      expect(page.etag, form).toBeNull();
      const list = related(page.body);
      // Exactly a file card: the section, the title linked, the date, the languages, the summary.
      expect(list, form).toContain(`<li><article class="item-card"> <p class="item-card__section">Новость</p> <h3 class="item-card__title"><a href="/ru/news/live-related-tariffs/">${title}</a></h3>`);
      expect(list).toContain('<time datetime="2030-01-01">');
      expect(list).toContain('<p class="item-card__summary">Новость портала на те же темы, что и файл.</p>');
    }
    // A signed-in reader gets it too, in a page rendered for them.
    const member = await plain(xPath, 'member');
    expect(related(member.body)).toContain('/ru/news/live-related-tariffs/');
    // The page sharing no topic is still the built file, from memory.
    await expectStatic(yPath);

    expect((await step(id, 'withdraw', 'editor', { reason: 'Проверка' })).status).toBe(303);
    await afterChange();
    await expectStatic(xPath);
    await expectStatic(yPath);
  });

  it('an approved member case joins it the same way; taken down, the built page is back', async () => {
    const memberCookie = cookies.member;
    const fields: Record<string, string | string[]> = {
      title: 'Темиртау: счётчики тепла в каждом доме',
      summary: 'Темиртау поставил счётчики тепла на вводах 600 домов.',
      languages: 'ru',
      topics,
      period: '2022–2025',
      funding: 'Бюджет города',
      costAmount: '450000000',
      costCurrency: 'KZT',
      contactName: 'Дана Ахметова',
      contactRole: 'Отдел ЖКХ акимата',
      contactEmail: '',
      context: 'Темиртау — город металлургов.',
      challenge: 'Жители платили по площади.',
      approach: 'Счётчики на вводе каждого дома.',
      obstacles: 'Старые трубы.',
      results: 'Счета снизились на пятую часть.',
      nextSteps: 'Счётчики в школах.',
      ind1Name: 'Дома со счётчиками',
      ind1Before: '40',
      ind1After: '600',
      ind1Unit: 'домов',
      ind1Year: '2025',
    };
    const draft = await postForm(server.url, '/ru/account/cases/new/?_action=cases.save', { title: 'Черновик', languages: 'ru', intent: 'save' }, { cookie: memberCookie });
    expect(draft.status).toBe(303);
    const id = Number(draft.headers.get('location')!.match(/\/account\/cases\/(\d+)\//)![1]);
    const caseVersion = async () => String((await readRows(server.databaseUrl, sql<{ version: number }>`SELECT version FROM member_cases WHERE id = ${id}`))[0]!.version);
    expect((await postForm(server.url, `/ru/account/cases/${id}/?_action=cases.save`, { id: String(id), version: await caseVersion(), ...fields, intent: 'submit' }, { cookie: memberCookie })).status).toBe(303);
    expect((await postForm(server.url, `/ru/editor/cases/${id}/?_action=cases.decide`, { id: String(id), version: await caseVersion(), decision: 'approve' }, { cookie: cookies.editor })).status).toBe(303);
    const slug = (await readRows(server.databaseUrl, sql<{ slug: string }>`SELECT slug FROM member_cases WHERE id = ${id}`))[0]!.slug;
    await afterChange();

    const page = await plain(xPath);
    expect(page.etag).toBeNull();
    expect(related(page.body)).toContain(`<h3 class="item-card__title"><a href="/ru/cases/${slug}/">${fields.title}</a></h3>`);
    await expectStatic(yPath);

    expect((await postForm(server.url, `/ru/editor/cases/${id}/?_action=cases.unpublish`, { id: String(id), reason: 'Проверка' }, { cookie: cookies.editor })).status).toBe(303);
    await afterChange();
    await expectStatic(xPath);
  });
});
