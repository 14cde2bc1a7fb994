import { beforeAll, describe, expect, it } from 'vitest';
import { signIn } from '../helpers/http.ts';
import { withServerDatabase } from '../helpers/server-database.ts';
import { DEMO_PASSWORD, useServer } from '../helpers/server.ts';
import { expectCleanClientError, request } from './support.ts';

const server = useServer();
const SAVE = '/en/account/profile/?_action=profile.update';

/** Posts a form whose fields may repeat (checkbox groups), the way a browser does. */
function postFields(path: string, fields: [string, string][], cookie: string): Promise<Response> {
  return fetch(new URL(path, server.url), {
    method: 'POST',
    redirect: 'manual',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: server.url, Cookie: cookie },
    body: new URLSearchParams(fields).toString(),
  });
}

let ids: Record<string, string>;
let yerlan: string;
let irina: string;
let yerlanCookie: string;
let irinaCookie: string;

beforeAll(async () => {
  const [rows, townIds] = await withServerDatabase(server.databaseUrl, (db) =>
    Promise.all([db.selectFrom('users').select(['id', 'email']).execute(), db.selectFrom('towns').select(['id', 'slug']).execute()]),
  );
  ids = Object.fromEntries([...rows.map((row) => [row.email, row.id]), ...townIds.map((town) => [`town:${town.slug}`, String(town.id)])]);
  yerlan = ids['temirtau@example.org']!;
  irina = ids['ridder@example.org']!;
  [yerlanCookie, irinaCookie] = await Promise.all([
    signIn(server.url, 'temirtau@example.org', DEMO_PASSWORD),
    signIn(server.url, 'ridder@example.org', DEMO_PASSWORD),
  ]);
});

const BASE: [string, string][] = [
  ['displayName', 'Yerlan Bekov'],
  ['position', 'Deputy akim for economic affairs'],
  ['languages', 'kk'],
  ['languages', 'ru'],
  ['topics', 'utilities-housing'],
  ['topics', 'municipal-finance'],
  ['keywords', 'district heating, tariffs'],
  ['bio', 'Twenty years in the city administration.\r\nI led the heating network renewal.'],
  ['contactable', 'true'],
];
const withField = (name: string, value: string): [string, string][] => [...BASE.filter(([field]) => field !== name), [name, value]];

describe('member profiles', () => {
  it('are for signed-in members only', async () => {
    const own = await request(server.url, '/en/account/profile/');
    expect(own.status).toBe(303);
    expect(own.headers.get('location')).toBe('/en/sign-in/?next=%2Fen%2Faccount%2Fprofile%2F');
    const other = await request(server.url, `/en/members/${yerlan}/`);
    expect(other.status).toBe(303);
    expect(other.headers.get('location')).toMatch(/^\/en\/sign-in\/\?next=/);
    const post = await postFields(SAVE, BASE, '');
    expect(post.status).toBe(303);
  });

  it('are saved by their member and seen by another member', async () => {
    const save = await postFields(SAVE, BASE, yerlanCookie);
    expect(save.status).toBe(200);
    const saved = await save.text();
    expect(saved).toContain('Your profile has been saved.');
    expect(saved).toMatch(/value="ru"[^>]*checked/);
    expect(saved).not.toMatch(/value="en"[^>]*checked/);

    const page = await request(server.url, `/en/members/${yerlan}/`, { cookie: irinaCookie });
    expect(page.status).toBe(200);
    const html = await page.text();
    for (const text of ['Yerlan Bekov', 'Deputy akim for economic affairs', 'Temirtau', 'Kazakh, Russian', 'Utilities and housing, Municipal finance', 'district heating, tariffs', 'Welcomes contact from members of other towns.', 'mailto:temirtau@example.org']) {
      expect(html).toContain(text);
    }
    expect(html).toContain('Twenty years in the city administration.\nI led the heating network renewal.');

    const russian = await (await request(server.url, `/ru/members/${yerlan}/`, { cookie: irinaCookie })).text();
    expect(russian).toContain('ЖКХ и жильё, Муниципальные финансы');
    expect(russian).toContain('Темиртау');
  });

  it('hide the email of a member who does not take contact', async () => {
    const save = await postFields(SAVE, BASE.filter(([field]) => field !== 'contactable'), yerlanCookie);
    expect(save.status).toBe(200);
    const html = await (await request(server.url, `/en/members/${yerlan}/`, { cookie: irinaCookie })).text();
    expect(html).toContain('Does not take contact from members of other towns.');
    expect(html).not.toContain('temirtau@example.org');
  });

  it('cannot be used to change role, town or email', async () => {
    const forged = await postFields(SAVE, [...BASE, ['role', 'admin'], ['town_id', ids['town:ridder']!], ['townId', ids['town:ridder']!], ['email', 'evil@example.org']], yerlanCookie);
    expect(forged.status).toBe(200);
    const account = await (await request(server.url, '/en/account/', { cookie: yerlanCookie })).text();
    expect(account).toMatch(/<dd[^>]*>Member<\/dd>/);
    expect(account).toMatch(/<dd[^>]*>Temirtau<\/dd>/);
    expect(account).toContain('temirtau@example.org');
    expect(account).not.toContain('evil@example.org');
  });

  it('refuse a name with a line break, saying why', async () => {
    const response = await postFields(SAVE, withField('displayName', 'Yerlan\r\nBekov'), yerlanCookie);
    const html = await response.text();
    expect(response.status).toBe(400);
    expectCleanClientError(response.status, html);
    expect(html).toContain('Write this on one line, without line breaks.');
  });

  it('refuse an over-long bio and keep what was typed', async () => {
    const bio = 'A long story about Temirtau. '.repeat(80);
    expect(bio.length).toBeGreaterThan(2000);
    const response = await postFields(SAVE, [...withField('bio', bio), ['languages', 'en']], yerlanCookie);
    const html = await response.text();
    expect(response.status).toBe(400);
    expect(html).toContain('This is too long.');
    expect(html).toContain(bio);
    expect(html).toContain('value="Deputy akim for economic affairs"');
    expect(html).toMatch(/value="en"[^>]*checked/);
    expect(html).toMatch(/value="municipal-finance"[^>]*checked/);
    expect(html).not.toMatch(/value="sme-support"[^>]*checked/);
  });

  it('refuse an unknown topic', async () => {
    const response = await postFields(SAVE, [...BASE, ['topics', 'space-travel']], yerlanCookie);
    const html = await response.text();
    expect(response.status).toBe(400);
    expect(html).toContain('Choose areas of expertise from the list.');
  });

  it('are not found for an unknown or disabled account, in the reader’s language', async () => {
    const unknown = await request(server.url, '/en/members/no-such-member/', { cookie: irinaCookie });
    expect(unknown.status).toBe(404);
    expect(await unknown.text()).toContain('Member not found');
    const russian = await request(server.url, '/ru/members/no-such-member/', { cookie: irinaCookie });
    expect(russian.status).toBe(404);
    expect(await russian.text()).toContain('Участник не найден');

    // Disabling through the database: the admin pages have their own tests.
    await withServerDatabase(server.databaseUrl, (db) => db.updateTable('users').set({ disabled_at: 1 }).where('email', '=', 'temirtau-admin@example.org').execute());
    const disabled = await request(server.url, `/en/members/${ids['temirtau-admin@example.org']}/`, { cookie: irinaCookie });
    expect(disabled.status).toBe(404);
  });

  it('show the bio as plain text, escaped, with its line breaks', async () => {
    const bio = '<script>alert("x")</script>\n**not bold**';
    const save = await postFields(SAVE, withField('bio', bio), yerlanCookie);
    expect(save.status).toBe(200);
    const html = await (await request(server.url, `/en/members/${yerlan}/`, { cookie: irinaCookie })).text();
    expect(html).not.toContain('<script>alert');
    expect(html).toContain('&lt;script&gt;alert(');
    expect(html).toContain('**not bold**');
    expect(html).not.toContain('<strong>not bold');
    expect(html).toMatch(/class="bio[^"]*"/);
  });

  it('let a member see their own profile and find the way to edit it', async () => {
    const html = await (await request(server.url, `/en/members/${irina}/`, { cookie: irinaCookie })).text();
    expect(html).toContain('Irina Sokolova');
    expect(html).toContain('href="/en/account/profile/"');
    const form = await (await request(server.url, '/en/account/profile/', { cookie: irinaCookie })).text();
    expect(form).toContain(`href="/en/members/${irina}/"`);
  });
});
