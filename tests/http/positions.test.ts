import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { postForm, signIn } from '../helpers/http.ts';
import { readRows, withServerDatabase } from '../helpers/server-database.ts';
import { DEMO_PASSWORD, useServer } from '../helpers/server.ts';
import { expectCleanClientError, request } from './support.ts';

/**
 * Positions over HTTP against the built server, with the demo data: who may open which
 * page and take which step (a role table), comments for members only, one stance per
 * town, a closed consultation refusing stances with a message, and an editor's whole
 * path from draft to adoption with the public page, versions, feed, sitemap and search.
 */
const server = useServer();

type Who = 'visitor' | 'member' | 'townAdmin' | 'editor' | 'admin';
const cookies: Record<Who, string | undefined> = { visitor: undefined, member: undefined, townAdmin: undefined, editor: undefined, admin: undefined };

beforeAll(async () => {
  cookies.member = await signIn(server.url, 'temirtau@example.org', DEMO_PASSWORD);
  cookies.townAdmin = await signIn(server.url, 'temirtau-admin@example.org', DEMO_PASSWORD);
  cookies.editor = await signIn(server.url, 'editor@example.org', DEMO_PASSWORD);
  cookies.admin = await signIn(server.url, 'admin@example.org', DEMO_PASSWORD);
});

const OPEN = '/en/positions/utilities-renewal-transfer/';
const ADOPTED = '/en/positions/open-data-monotowns/';
const DEMO_COMMENT = 'нет своих инженеров-проектировщиков';

const get = async (path: string, who: Who = 'visitor') => {
  const response = await request(server.url, path, { cookie: cookies[who] });
  return { status: response.status, location: response.headers.get('location'), body: await response.text() };
};
const post = (path: string, action: string, fields: Record<string, string | string[]>, who: Who) => postForm(server.url, `${path}?_action=positions.${action}`, fields, { cookie: cookies[who] });
const positionId = async (slug: string) => (await readRows(server.databaseUrl, sql<{ id: number }>`SELECT id FROM positions WHERE slug = ${slug}`))[0]!.id;
const stances = async (id: number) => readRows(server.databaseUrl, sql<{ town: string; stance: string; reason: string | null }>`SELECT towns.slug AS town, stance, reason FROM position_stances JOIN towns ON towns.id = position_stances.town_id WHERE position_id = ${id} ORDER BY towns.slug`);

describe('who may open what (role × page)', () => {
  const table: Array<[string, string, Record<Who, number>]> = [
    ['the public list', '/en/positions/', { visitor: 200, member: 200, townAdmin: 200, editor: 200, admin: 200 }],
    ['a position in consultation', OPEN, { visitor: 200, member: 200, townAdmin: 200, editor: 200, admin: 200 }],
    ['an adopted position', ADOPTED, { visitor: 200, member: 200, townAdmin: 200, editor: 200, admin: 200 }],
    ['a version', '/en/positions/utilities-renewal-transfer/versions/2/', { visitor: 200, member: 200, townAdmin: 200, editor: 200, admin: 200 }],
    ['the editors\' list', '/en/editor/positions/', { visitor: 303, member: 403, townAdmin: 403, editor: 200, admin: 200 }],
    ['a new position', '/en/editor/positions/new/', { visitor: 303, member: 403, townAdmin: 403, editor: 200, admin: 200 }],
  ];
  for (const [name, path, expected] of table) {
    it.each(Object.entries(expected) as Array<[Who, number]>)(`${name}: %s gets %i`, async (who, status) => {
      const page = await get(path, who);
      expect(page.status).toBe(status);
      if (status === 303) expect(page.location).toMatch(/^\/en\/sign-in\/\?next=/);
    });
  }

  it('answers 404 for a position or version that does not exist', async () => {
    expect((await get('/en/positions/no-such-position/')).status).toBe(404);
    expect((await get('/en/positions/utilities-renewal-transfer/versions/9/')).status).toBe(404);
    expect((await get('/en/positions/utilities-renewal-transfer/versions/x/')).status).toBe(404);
    expect((await get('/en/editor/positions/99999/', 'editor')).status).toBe(404);
  });

  it('lists positions in consultation and adopted ones, in every language', async () => {
    for (const lang of ['kk', 'ru', 'en']) {
      const page = await get(`/${lang}/positions/`);
      expect(page.body).toContain('Обновление коммунальных сетей моногородов');
      expect(page.body).toContain('Открытые данные о моногородах');
      expect(page.body).toContain(`href="/${lang}/positions/utilities-renewal-transfer/"`);
      expect(page.body).toMatch(/<a [^>]*lang="ru"|lang="ru"[^>]*>/);
    }
  });
});

describe('comments are for members only', () => {
  it('the text is public; the comments are not', async () => {
    const visitor = await get(OPEN);
    expect(visitor.body).toContain('Что мы предлагаем');
    expect(visitor.body).not.toContain(DEMO_COMMENT);
    expect(visitor.body).toContain('comments are for members only');
    for (const who of ['member', 'townAdmin', 'editor', 'admin'] as const) expect((await get(OPEN, who)).body, who).toContain(DEMO_COMMENT);
  });

  it('a member comments on a section; a visitor cannot', async () => {
    const id = await positionId('utilities-renewal-transfer');
    const fields = { id: String(id), version: '2', section: '1', comment: 'Temirtau asks for a design grant too.' };
    const refused = await post(OPEN, 'comment', fields, 'visitor');
    expect(refused.status).toBe(401);
    const posted = await post(OPEN, 'comment', fields, 'member');
    expect(posted.status).toBe(303);
    expect(posted.headers.get('location')).toBe(`${OPEN}?done=comment#comments-2`);
    expect((await get(OPEN, 'member')).body).toContain('Temirtau asks for a design grant too.');
    expect((await get(OPEN)).body).not.toContain('Temirtau asks for a design grant too.');
    // The editors read it with the tally.
    expect((await get(`/en/editor/positions/${id}/`, 'editor')).body).toContain('Temirtau asks for a design grant too.');
  });

  it('an empty comment comes back with a message, a missing section is refused', async () => {
    const id = await positionId('utilities-renewal-transfer');
    const empty = await post(OPEN, 'comment', { id: String(id), version: '2', section: '0', comment: '   ' }, 'member');
    expect(empty.status).toBe(400);
    const body = await empty.text();
    expectCleanClientError(empty.status, body);
    expect(body).toContain('Fill in this field');
    expect((await post(OPEN, 'comment', { id: String(id), version: '2', section: '7', comment: 'Where?' }, 'member')).status).toBe(400);
  });
});

describe('stances: one per town', () => {
  it('only a town administrator records a stance; a second post changes it', async () => {
    const id = await positionId('utilities-renewal-transfer');
    expect((await post(OPEN, 'stance', { id: String(id), stance: 'oppose' }, 'member')).status).toBe(403);
    expect((await post(OPEN, 'stance', { id: String(id), stance: 'oppose' }, 'editor')).status).toBe(403);
    expect((await post(OPEN, 'stance', { id: String(id), stance: 'oppose' }, 'visitor')).status).toBe(401);
    const page = await get(OPEN, 'townAdmin');
    expect(page.body).toContain('The stance of Temirtau');
    expect(page.body).toMatch(/value="support" [^>]*checked/);
    const changed = await post(OPEN, 'stance', { id: String(id), stance: 'support_with_changes', reason: 'Add a line for design.' }, 'townAdmin');
    expect(changed.status).toBe(303);
    expect(changed.headers.get('location')).toBe(`${OPEN}?done=stanceChanged#stance-title`);
    const temirtau = (await stances(id)).filter((row) => row.town === 'temirtau');
    expect(temirtau).toEqual([{ town: 'temirtau', stance: 'support_with_changes', reason: 'Add a line for design.' }]);
    const tally = await get(`/en/editor/positions/${id}/`, 'editor');
    expect(tally.body).toContain('Stances by region');
    expect(tally.body).toContain('Add a line for design.');
  });

  it('an unknown stance is answered 400 with a message, nothing changes', async () => {
    const id = await positionId('utilities-renewal-transfer');
    const before = await stances(id);
    const response = await post(OPEN, 'stance', { id: String(id), stance: 'maybe' }, 'townAdmin');
    expect(response.status).toBe(400);
    expect(await response.text()).toContain('Choose one of the four stances.');
    expect(await stances(id)).toEqual(before);
  });

  it('a closed consultation refuses stances with a message', async () => {
    const id = await positionId('utilities-renewal-transfer');
    const { closes_at } = (await readRows(server.databaseUrl, sql<{ closes_at: number }>`SELECT closes_at FROM positions WHERE id = ${id}`))[0]!;
    // The test moves the closing date back, as time passing would, and restores it after.
    await withServerDatabase(server.databaseUrl, (db) => db.updateTable('positions').set({ closes_at: 1_000 }).where('id', '=', id).execute());
    try {
      const before = await stances(id);
      const response = await post(OPEN, 'stance', { id: String(id), stance: 'abstain' }, 'townAdmin');
      expect(response.status).toBe(409);
      const body = await response.text();
      expect(body).toContain('The consultation is closed: stances and comments are no longer taken.');
      expect(await stances(id)).toEqual(before);
      const page = await get(OPEN, 'townAdmin');
      expect(page.body).not.toContain('name="stance"');
      expect(page.body).not.toContain('name="comment"');
    } finally {
      await withServerDatabase(server.databaseUrl, (db) => db.updateTable('positions').set({ closes_at: Number(closes_at) }).where('id', '=', id).execute());
    }
  });
});

describe('the adopted position\'s public page', () => {
  it('shows the adopted text, the date, how many towns took part and supported, and its versions', async () => {
    const page = await get(ADOPTED);
    expect(page.body).toContain('Открытые данные о моногородах');
    expect(page.body).toContain('Towns: 4');
    expect(page.body).toContain('Supported: 3; supported with changes: 1');
    expect(page.body).toContain('History of versions');
    expect(page.body).not.toContain('name="stance"');
    expect(page.body).not.toContain('Хорошо бы публиковать и данные за прошлые годы');
  });

  it('the versions page shows what a revision changed', async () => {
    const page = await get('/en/positions/utilities-renewal-transfer/versions/2/');
    expect(page.body).toContain('What changed from version 1 to version 2');
    expect(page.body).toMatch(/<ins>[^<]*малых городов/);
  });
});

describe('an editor takes a position from draft to adoption', () => {
  const TITLE = 'Let towns keep their land tax';
  const text = {
    lang: 'en',
    title: TITLE,
    summary: 'Towns should keep the land tax they collect.',
    topics: ['municipal-finance'],
    section1Heading: 'Why',
    section1Body: 'Towns maintain the land.',
    section2Heading: 'What we ask',
    section2Body: 'Keep **all** land tax locally.',
  };
  let id: number;

  it('a member cannot draft; a bad draft comes back with its messages and what was typed', async () => {
    expect((await post('/en/editor/positions/new/', 'create', text, 'townAdmin')).status).toBe(403);
    const bad = await post('/en/editor/positions/new/', 'create', { ...text, section2Body: '', lang: 'xx' }, 'editor');
    expect(bad.status).toBe(400);
    const body = await bad.text();
    expectCleanClientError(bad.status, body);
    expect(body).toContain('Write the text of this section.');
    expect(body).toContain('Choose the language of the text.');
    expect(body).toContain(`value="${TITLE}"`);
  });

  it('drafts, opens, revises and adopts', async () => {
    const created = await post('/en/editor/positions/new/', 'create', text, 'editor');
    expect(created.status).toBe(303);
    id = Number(created.headers.get('location')!.match(/^\/en\/editor\/positions\/(\d+)\/\?done=created$/)![1]);
    const slug = 'let-towns-keep-their-land-tax';
    // A draft is nobody's but the editors'.
    expect((await get(`/en/positions/${slug}/`)).status).toBe(404);
    expect((await get('/en/positions/')).body).not.toContain(TITLE);
    expect((await readRows(server.databaseUrl, sql<{ n: number }>`SELECT count(*) AS n FROM search_documents WHERE key LIKE ${`positions:${id}:%`}`))[0]!.n).toBe(0);

    const here = `/en/editor/positions/${id}/`;
    const badDate = await post(here, 'open', { id: String(id), closesDate: '2020-01-01', closesTime: '18:00' }, 'editor');
    expect(badDate.status).toBe(400);
    expect(await badDate.text()).toContain('The closing date must be in the future.');
    expect((await post(here, 'open', { id: String(id), closesDate: '2099-02-30' }, 'editor')).status).toBe(400);
    const opened = await post(here, 'open', { id: String(id), closesDate: '2099-03-31', closesTime: '18:00' }, 'editor');
    expect(opened.status).toBe(303);
    const [row] = await readRows(server.databaseUrl, sql<{ status: string; closes_at: number }>`SELECT status, closes_at FROM positions WHERE id = ${id}`);
    // 18:00 in Asia/Almaty (UTC+5) is 13:00 UTC.
    expect(row).toEqual({ status: 'consultation', closes_at: Date.UTC(2099, 2, 31, 13) / 1000 });
    expect((await readRows(server.databaseUrl, sql<{ n: number }>`SELECT count(*) AS n FROM notifications WHERE kind = 'positions.consultation_opened'`))[0]!.n).toBeGreaterThan(0);
    expect((await get(`/en/positions/${slug}/`)).body).toContain('Keep <strong>all</strong> land tax locally.');
    expect((await readRows(server.databaseUrl, sql<{ audience: string; path: string }>`SELECT audience, path FROM search_documents WHERE key = ${`positions:${id}:en`}`))).toEqual([{ audience: 'public', path: `/positions/${slug}/` }]);

    const stance = await post(`/en/positions/${slug}/`, 'stance', { id: String(id), stance: 'support' }, 'townAdmin');
    expect(stance.status).toBe(303);

    const revised = await post(here, 'revise', { ...text, id: String(id), version: '1', section2Body: 'Keep **all** land tax locally, from 2028.', changeNote: 'A date added.' }, 'editor');
    expect(revised.status).toBe(303);
    const stale = await post(here, 'adopt', { id: String(id), version: '1' }, 'editor');
    expect(stale.status).toBe(409);
    expect((await post(here, 'adopt', { id: String(id), version: '2' }, 'townAdmin')).status).toBe(403);
    const adopted = await post(here, 'adopt', { id: String(id), version: '2' }, 'editor');
    expect(adopted.status).toBe(303);

    const page = await get(`/en/positions/${slug}/`);
    expect(page.body).toContain('from 2028');
    expect(page.body).toContain('Towns: 1');
    expect(page.body).toContain('Supported: 1; supported with changes: 0');
    expect(page.body).toContain('A date added.');
    const diff = await get(`/en/positions/${slug}/versions/2/`);
    expect(diff.body).toMatch(/<ins>[^<]*2028/);
    const feed = await get('/en/positions/rss.xml');
    expect(feed.status).toBe(200);
    expect(feed.body).toContain(TITLE);
    expect(feed.body).not.toContain('Обновление коммунальных сетей');
    const sitemap = await get('/sitemap-pages.xml');
    expect(sitemap.body).toContain(`/en/positions/${slug}/`);
    expect(sitemap.body).toContain('/en/positions/utilities-renewal-transfer/');
    expect((await readRows(server.databaseUrl, sql<{ n: number }>`SELECT count(*) AS n FROM notifications WHERE kind = 'positions.adopted'`))[0]!.n).toBeGreaterThan(0);
  });
});
