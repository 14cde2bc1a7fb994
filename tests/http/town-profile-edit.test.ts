import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { textOf } from '../helpers/content.ts';
import { postForm, signIn } from '../helpers/http.ts';
import { readRows, withServerDatabase } from '../helpers/server-database.ts';
import { DEMO_PASSWORD, useServer } from '../helpers/server.ts';
import { expectCleanClientError, request } from './support.ts';
import { recordChange } from '~/server/cache/changes.ts';

/**
 * Editing a town's profile over HTTP against the built server: who may (no IDOR), bad
 * input back on the form with what was typed, the history, a new town's profile without
 * blanks or names in the wrong script, and towns like it on every profile.
 */
const server = useServer();

const get = async (path: string, cookie?: string) => {
  const response = await request(server.url, path, { cookie });
  return { status: response.status, headers: response.headers, body: await response.text() };
};
const save = (town: string, fields: Record<string, string>, cookie?: string) =>
  postForm(server.url, `/en/towns/${town}/edit/?_action=towns.saveProfile`, { town, ...fields }, { cookie });
const changeCount = async () => (await readRows(server.databaseUrl, sql<{ n: number }>`SELECT count(*) AS n FROM town_profile_changes`))[0]!.n;

/** The fields of the edit form as the page fills them, to post back with one change. */
async function formOf(town: string, cookie: string): Promise<Record<string, string>> {
  const { body } = await get(`/en/towns/${town}/edit/`, cookie);
  const fields: Record<string, string> = {};
  for (const [tag] of body.matchAll(/<input [^>]*>/g)) {
    const name = tag.match(/ name="([a-z_]+)"/)?.[1];
    if (name) fields[name] = decode(tag.match(/ value="([^"]*)"/)?.[1] ?? '');
  }
  for (const match of body.matchAll(/<textarea id="field-([a-z_]+)" name="\1"[^>]*>([^<]*)<\/textarea>/g)) fields[match[1]!] = decode(match[2]!);
  for (const match of body.matchAll(/<select id="field-([a-z_]+)" name="\1"[\s\S]*?<\/select>/g)) fields[match[1]!] = match[0].match(/<option value="([^"]*)" selected/)?.[1] ?? '';
  return fields;
}
const decode = (text: string) => text.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

let townAdmin: string;
let member: string;
let editor: string;
beforeAll(async () => {
  [townAdmin, member, editor] = (await Promise.all(['temirtau-admin@example.org', 'temirtau@example.org', 'editor@example.org'].map((email) => signIn(server.url, email, DEMO_PASSWORD)))) as [string, string, string];
});

describe('who may open and save /<lang>/towns/<slug>/edit/', () => {
  it('sends a visitor to sign in, and answers a member 403', async () => {
    const anonymous = await get('/en/towns/temirtau/edit/');
    expect(anonymous.status).toBe(303);
    expect(anonymous.headers.get('location')).toMatch(/^\/en\/sign-in\/\?next=/);
    const asMember = await get('/en/towns/temirtau/edit/', member);
    expect(asMember.status).toBe(403);
    expect(asMember.body).not.toContain('name="phone"');
  });

  it('answers another town’s administrator 403 on the page and on a crafted post, and stores nothing', async () => {
    const page = await get('/en/towns/ridder/edit/', townAdmin);
    expect(page.status).toBe(403);
    expect(page.body).not.toContain('_action=towns.saveProfile');
    const before = await changeCount();
    for (const cookie of [townAdmin, member]) {
      const response = await save('ridder', { name_en: 'Hacked', phone: '+7 000 000 00 00' }, cookie);
      expectCleanClientError(response.status, await response.text());
      expect(response.status).toBe(403);
    }
    // A visitor's post is refused and the page sends them to sign in.
    expect((await save('ridder', { name_en: 'Hacked' })).status).toBe(303);
    expect(await changeCount()).toBe(before);
    expect((await get('/en/towns/ridder/')).body).not.toContain('Hacked');
  });

  it('answers 404 for a town that does not exist', async () => {
    expect((await get('/en/towns/atlantis/edit/', editor)).status).toBe(404);
    expect((await save('atlantis', { name_en: 'Atlantis' }, editor)).status).toBe(404);
  });

  it('offers the economic potential to editors only, and ignores it from a town administrator', async () => {
    expect((await get('/en/towns/temirtau/edit/', editor)).body).toContain('name="potential"');
    expect((await get('/en/towns/temirtau/edit/', townAdmin)).body).not.toContain('name="potential"');
    const fields = await formOf('temirtau', townAdmin);
    const response = await save('temirtau', { ...fields, potential: 'low' }, townAdmin);
    expect(response.status).toBe(200);
    const [row] = await readRows(server.databaseUrl, sql<{ economic_potential: string }>`SELECT economic_potential FROM towns WHERE slug = 'temirtau'`);
    expect(row!.economic_potential).toBe('high');
  });
});

describe('saving', () => {
  it('a town administrator saves, the public profile shows it at once, and the history says who, when and what', async () => {
    // The directory's rows are kept with the list of towns (src/lib/towns/directory-html.ts): seen once before the change.
    const rowOf = (body: string) => body.match(/<tr><th scope="row"><a href="\/en\/towns\/temirtau\/">[\s\S]*?<\/tr>/)?.[0] ?? '';
    expect(rowOf((await get('/en/towns/?sort=population')).body)).toContain('183,000');
    const fields = await formOf('temirtau', townAdmin);
    const response = await save('temirtau', { ...fields, population: '179 500', population_year: '2024', address: 'Republic Avenue 1, Temirtau', phone: '+7 7213 44 00 00' }, townAdmin);
    expect(response.status).toBe(200);
    const body = await response.text();
    expect(body).toContain('The profile is saved (4 fields changed).');
    const history = textOf(body.slice(body.indexOf('id="profile-history-title"')));
    expect(history).toContain('Gulnara Akhmetova');
    expect(history).toContain('Population: 183,000 → 179,500');
    expect(history).toContain('Address: (empty) → Republic Avenue 1, Temirtau');

    const profile = textOf((await get('/en/towns/temirtau/')).body);
    expect(profile).toContain('179,500 (in 2024)');
    expect(profile).toContain('Republic Avenue 1, Temirtau');
    expect(profile).toContain('+7 7213 44 00 00');
    expect(rowOf((await get('/en/towns/?sort=population')).body)).toContain('179,500');
    // The editor sees the same history; a member does not.
    expect((await get('/en/towns/temirtau/edit/', editor)).body).toContain('Republic Avenue 1, Temirtau');
  });

  it.each([
    ['an invalid phone', { phone: 'call the akimat' }, 'phone', 'Write a telephone number with 5 to 15 digits'],
    ['an invalid email', { email: 'akimat at temirtau' }, 'email', 'Write an email address like name@example.kz.'],
    ['a web address without https://', { website: 'temirtau.kz' }, 'website', 'Write a full web address starting with https://'],
    ['a javascript: address', { website: 'javascript:alert(1)' }, 'website', 'Write a full web address starting with https://'],
    ['a population with a comma', { population: '49,000' }, 'population', 'Write the population as a whole number'],
    ['a population of zero', { population: '0' }, 'population', 'Write the population as a whole number'],
    ['a year in the future', { population_year: String(new Date().getUTCFullYear() + 1) }, 'population_year', 'Write a year from 1900 to this year'],
    ['no name in any language', { name_kk: '', name_ru: '', name_en: '' }, 'name_en', 'Give the town’s name in at least one language.'],
    ['an unknown industry', { industry: 'unicorns' }, 'industry', 'Choose an industry from the list.'],
  ])('%s comes back to the form with a message and what was typed, and nothing is stored', async (_case, change, field, message) => {
    const fields = await formOf('temirtau', townAdmin);
    const before = await changeCount();
    const response = await save('temirtau', { ...fields, ...change, address: 'Typed but not saved' }, townAdmin);
    const body = await response.text();
    expect(response.status).toBe(400);
    expectCleanClientError(response.status, body);
    expect(textOf(body).replace(/'/g, '’')).toContain(message.replace(/'/g, '’'));
    expect(body).toContain(`id="field-${field}-error"`);
    expect(body).toContain('value="Typed but not saved"');
    for (const [name, value] of Object.entries(change)) if (value && name !== 'industry') expect(decode(body)).toContain(`value="${value}"`);
    expect(await changeCount()).toBe(before);
  });
});

describe('a newly approved town', () => {
  beforeAll(async () => {
    // As approving an application makes it: the one name typed, copied into all three languages,
    // and the towns' change counter moved, as every writer of towns does (src/server/cache/changes.ts).
    await withServerDatabase(server.databaseUrl, async (db) => {
      await db.insertInto('towns').values({ slug: 'baikonur', name_kk: 'Baikonur', name_ru: 'Baikonur', name_en: 'Baikonur', region: 'ulytau', population: null, main_industry: null, founding_enterprise_kk: null, founding_enterprise_ru: null, founding_enterprise_en: null, economic_potential: null, created_at: 1_800_000_000, updated_at: 1_800_000_000 }).execute();
      await recordChange(db, 'towns');
    });
  });

  it('shows no blanks and no Latin names as its Kazakh and Russian names', async () => {
    for (const lang of ['kk', 'ru', 'en']) {
      const { status, body } = await get(`/${lang}/towns/baikonur/`);
      expect(status).toBe(200);
      const facts = body.slice(body.indexOf('class="summary-list town-facts"'), body.indexOf('</dl>'));
      expect(facts).toMatch(/<span lang="en"[^>]*>Baikonur<\/span>/);
      expect(facts).not.toContain('lang="kk"');
      expect(facts).not.toContain('lang="ru"');
      expect(textOf(body)).not.toMatch(/Not given|Не указан|Көрсетілмеген/);
    }
    // On a Russian page its heading says the name is English.
    expect((await get('/ru/towns/baikonur/')).body).toMatch(/<h1 lang="en"[^>]*>Baikonur<\/h1>/);
  });

  it('is in the directory’s table and on its map at once', async () => {
    const { body } = await get('/en/towns/?region=ulytau');
    expect(body).toContain('<tr><th scope="row"><a href="/en/towns/baikonur/">Baikonur</a></th><td>Ulytau Region</td><td class="numeric">—</td><td>—</td><td>—</td></tr>');
    expect(body).toMatch(/<ul class="region-grid__towns"[^>]*>[^]*?<li><a href="\/en\/towns\/baikonur\/">Baikonur<\/a><\/li>/);
  });

  it('still gets towns like it, by its profile alone', async () => {
    const { body } = await get('/en/towns/baikonur/');
    const peers = textOf(body.slice(body.indexOf('class="peer-towns"'), body.indexOf('The town\'s cases')));
    expect(peers).toContain('Towns like Baikonur');
    expect(peers).toContain('same region: Ulytau Region');
  });

  it('its editor gives the Kazakh and Russian names, and the profile shows them', async () => {
    const fields = await formOf('baikonur', editor);
    expect(fields.name_kk).toBe('');
    expect(fields.name_en).toBe('Baikonur');
    const response = await save('baikonur', { ...fields, name_kk: 'Байқоңыр', name_ru: 'Байконур' }, editor);
    expect(response.status).toBe(200);
    const { body } = await get('/ru/towns/baikonur/');
    expect(body).toMatch(/<h1[^>]*>Байконур<\/h1>/);
    expect(body).toMatch(/<span lang="kk"[^>]*>Байқоңыр<\/span>/);
  });
});

describe('towns like yours on a profile', () => {
  it('lists five towns with their reasons and one link comparing with all of them', async () => {
    const { body } = await get('/en/towns/balkhash/');
    const section = body.slice(body.indexOf('class="peer-towns"'), body.indexOf('</section>', body.indexOf('class="peer-towns"')));
    const items = [...section.matchAll(/<li[\s>][\s\S]*?<\/li>/g)].map((match) => textOf(match[0]));
    expect(items.filter((item) => item.includes('Compare with'))).toHaveLength(5);
    expect(section).toContain('same industry: copper industry');
    const all = section.match(/<a class="button" href="([^"]+)"/)![1]!.replace(/&amp;|&#38;/g, '&');
    expect(all).toMatch(/^\/en\/towns\/compare\/\?indicator=[a-z-]+&towns=balkhash(,[a-z-]+){5}$/);
    const compared = await get(all);
    expect(compared.status).toBe(200);
    expect((compared.body.match(/class="chart__series /g) ?? []).length).toBe(6);
  });

  it.each([
    ['kk', 'Балқаш қаласына ұқсас қалалар', 'сала бірдей'],
    ['ru', 'Города, похожие на Балхаш', 'та же отрасль'],
  ])('gives the reasons in the reader’s language (%s)', async (lang, title, reason) => {
    const text = textOf((await get(`/${lang}/towns/balkhash/`)).body);
    expect(text).toContain(title);
    expect(text).toContain(reason);
    expect(text).not.toMatch(/peers\.|\{[a-z]+\}/);
  });
});
