import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { postForm, signIn } from '../helpers/http.ts';
import { publishTownValues } from '~/server/indicators/values.ts';
import { readRows, withServerDatabase } from '../helpers/server-database.ts';
import { DEMO_PASSWORD, useServer } from '../helpers/server.ts';
import { expectCleanClientError, request } from './support.ts';

/** The directory, profiles, dashboards, compare and open data, over HTTP against the built server. */
const server = useServer();

const get = async (path: string, cookie?: string) => {
  const response = await request(server.url, path, { cookie });
  return { status: response.status, headers: response.headers, body: await response.text() };
};

/** The HTML of one indicator's panel on a profile page. */
function panel(body: string, indicator: string): string {
  const start = body.indexOf(`id="indicator-${indicator}"`);
  expect(start, `panel ${indicator}`).toBeGreaterThan(-1);
  const end = body.indexOf('<section', start + 1);
  return body.slice(start, end === -1 ? undefined : end);
}
const count = (text: string, pattern: RegExp) => (text.match(pattern) ?? []).length;

let member: string;
beforeAll(async () => {
  member = await signIn(server.url, 'temirtau@example.org', DEMO_PASSWORD);
});

describe('the directory', () => {
  it('lists all 27 member towns with a map of regions, and is in the navigation', async () => {
    const { status, body } = await get('/en/towns/');
    expect(status).toBe(200);
    expect(body).toContain('Towns shown: 27');
    expect(count(body, /<th scope="row"[^>]*><a href="\/en\/towns\/[a-z-]+\/"/g)).toBe(27);
    expect(body).toContain('class="region-grid"');
    expect(body).toMatch(/<a href="\/en\/towns\/"[^>]*>Towns<\/a>/);
  });

  it('filters by region, industry and potential and sorts by population, from the query string', async () => {
    const byRegion = await get('/en/towns/?region=east-kazakhstan&sort=population');
    const names = [...byRegion.body.matchAll(/<th scope="row"[^>]*><a href="\/en\/towns\/([a-z-]+)\/"/g)].map((match) => match[1]);
    expect(names).toEqual(['ridder', 'zyryanovsk', 'serebryansk']);
    const high = await get('/ru/towns/?potential=high');
    expect(high.body).toContain('Показано городов: 5');
    const coal = await get('/kk/towns/?industry=coal');
    expect(coal.body).toMatch(/Көрсетілген қалалар: 3/);
  });

  it.each(['/en/towns/?region=atlantis', '/en/towns/?sort=mood', '/en/towns/?potential=%E0%A4%A', '/en/towns/?region=abai&region=ulytau'])('answers %s with 400 and a message, never 500', async (path) => {
    const { status, body } = await get(path);
    expectCleanClientError(status, body);
    expect(body).toContain('These filters cannot be used');
  });
});

describe('a town profile', () => {
  it('shows names in three languages, facts, contacts, cases and the dashboard', async () => {
    const { status, body } = await get('/en/towns/ridder/');
    expect(status).toBe(200);
    for (const text of ['Риддер', 'East Kazakhstan Region', '49,000', 'Kazzinc', 'Polymetallic mining', 'High', 'akimat@ridder.example.kz', 'https://ridder.example.kz/']) expect(body).toContain(text);
    expect(body).toContain('/en/cases/ridder-heat-network/');
    expect(count(body, /class="indicator"/g)).toBe(10);
  });

  it('lists the public working groups its members are in, never a private one', async () => {
    const { body } = await get('/en/towns/ridder/');
    // Ridder's member is in three public groups (one by approval) and the private municipal-finance group.
    for (const slug of ['utilities-renewal', 'economic-diversification', 'youth-skills']) expect(body).toContain(`/en/groups/${slug}/`);
    expect(body).not.toContain('municipal-finance');
    expect(body).not.toContain('Municipal finance and funding access');
    const { body: aksu } = await get('/en/towns/aksu/');
    expect(aksu).toContain('/en/groups/environment-health/');
  });

  it('draws each chart as an accessible SVG with one marker per figure and a table of the figures', async () => {
    const { body } = await get('/en/towns/ridder/');
    const unemployment = panel(body, 'unemployment-rate');
    // 2013 and 2014 from the source document, 2019–2024 illustrative.
    expect(count(unemployment, /class="chart__point"/g)).toBe(8);
    expect(unemployment).toMatch(/<svg[^>]*role="img"[^>]*aria-labelledby="indicator-unemployment-rate-title indicator-unemployment-rate-desc"/);
    expect(unemployment).toMatch(/<title id="indicator-unemployment-rate-title"[^>]*>Unemployment rate \(%\), Ridder, by year<\/title>/);
    expect(unemployment).toMatch(/<desc id="indicator-unemployment-rate-desc"[^>]*>Unemployment rate in Ridder from 2013 to 2024: from 5\.0 to [\d.]+ %, 8 figures/);
    const table = unemployment.slice(unemployment.indexOf('<table'), unemployment.indexOf('</table>'));
    expect(count(table, /<th scope="row"[^>]*>\d{4}<\/th>/g)).toBe(8);
    expect(table).toMatch(/<th scope="row"[^>]*>2014<\/th>\s*<td[^>]*>4\.8<\/td>/);
    expect(unemployment).toContain('Place among towns, 2024');
    expect(unemployment).toContain('Illustrative demo figure');
  });

  it('answers 404 for a town that is not a member', async () => {
    const { status, body } = await get('/en/towns/atlantis/');
    expect(status).toBe(404);
    expect(body).toContain('Town not found');
  });
});

describe('unpublished figures', () => {
  // Seeded: Temirtau's 2025 unemployment rate (4.3) waits to be published.
  it('are hidden from the public on the page, in CSV and in JSON', async () => {
    const page = await get('/en/towns/temirtau/');
    expect(panel(page.body, 'unemployment-rate')).not.toContain('data-period="2025"');
    expect(page.body).not.toContain('Not yet published');
    for (const path of ['/en/towns/temirtau/indicators.csv', '/en/indicators/unemployment-rate.csv']) {
      const csv = await get(path);
      expect(csv.body).toContain('temirtau');
      expect(csv.body).not.toMatch(/temirtau,[^\r\n]*,2025,/);
    }
    for (const path of ['/en/towns/temirtau/indicators.json', '/en/indicators/unemployment-rate.json']) {
      const json = JSON.parse((await get(path)).body) as { values: Array<{ town: string; period: number }> };
      expect(json.values.some((row) => row.town === 'temirtau')).toBe(true);
      expect(json.values.some((row) => row.town === 'temirtau' && row.period === 2025)).toBe(false);
    }
  });

  it('are shown to members, marked as not yet published, and still never downloaded', async () => {
    const page = await get('/en/towns/temirtau/', member);
    expect(panel(page.body, 'unemployment-rate')).toContain('data-period="2025"');
    expect(page.body).toContain('Not yet published (members only): 2025');
    expect((await get('/en/towns/temirtau/indicators.csv', member)).body).not.toMatch(/temirtau,[^\r\n]*,2025,/);
  });
});

describe('a dashboard kept as HTML shows a change at the next view', () => {
  // The panels are kept by what they show (src/server/indicators/panel-html.ts): a new
  // figure must show on the very next view, in each language, without a restart.
  it('shows a figure entered since the last view to members, and still not to the public', async () => {
    const editor = await signIn(server.url, 'editor@example.org', DEMO_PASSWORD);
    const views = async () => ({
      en: panel((await get('/en/towns/aksu/', member)).body, 'small-enterprises'),
      ru: panel((await get('/ru/towns/aksu/', member)).body, 'small-enterprises'),
      anonymous: panel((await get('/en/towns/aksu/')).body, 'small-enterprises'),
    });
    const before = await views();
    for (const view of Object.values(before)) expect(view).not.toContain('data-period="2025"');
    const added = await postForm(server.url, '/en/towns/aksu/indicators/?_action=indicators.add', { town: 'aksu', indicator: 'small-enterprises', period: '2025', value: '1234', sourceNote: 'Registry, kept-panel test' }, { cookie: editor });
    expect(added.status).toBe(200);
    const after = await views();
    expect(after.en).toContain('data-period="2025" data-value="1234"');
    expect(after.en).toContain('Not yet published (members only): 2025');
    expect(after.ru).toContain('data-period="2025" data-value="1234"');
    expect(after.anonymous).not.toContain('data-period="2025"');
    expect(after.anonymous).toBe(before.anonymous);
  });

  // The public's figures come from kept columns of every published value (src/server/indicators/values.ts):
  // published by another handle (as by another instance), then corrected on the site.
  it('shows a figure to the public at the next view once published, and a correction of it at the next view after', async () => {
    const editor = await signIn(server.url, 'editor@example.org', DEMO_PASSWORD);
    const anonymous = async (lang: 'en' | 'ru') => panel((await get(`/${lang}/towns/aksu/`)).body, 'small-enterprises');
    expect(await anonymous('en')).not.toContain('data-period="2025"');
    const published = await withServerDatabase(server.databaseUrl, async (db) => {
      const town = await db.selectFrom('towns').select('id').where('slug', '=', 'aksu').executeTakeFirstOrThrow();
      const admin = await db.selectFrom('users').select('id').where('email', '=', 'editor@example.org').executeTakeFirstOrThrow();
      return publishTownValues(db, town.id, admin.id);
    });
    expect(published).toBeGreaterThan(0);
    expect(await anonymous('en')).toContain('data-period="2025" data-value="1234"');
    expect(await anonymous('ru')).toContain('data-period="2025" data-value="1234"');
    const corrected = await postForm(server.url, '/en/towns/aksu/indicators/?_action=indicators.correct', { town: 'aksu', indicator: 'small-enterprises', period: '2025', value: '1250', sourceNote: 'Registry, corrected' }, { cookie: editor });
    expect(corrected.status).toBe(200);
    const after = await anonymous('en');
    expect(after).toContain('data-period="2025" data-value="1250"');
    expect(after).not.toContain('data-value="1234"');
    expect(after).toContain('Registry, corrected');
  });
});

describe('open data', () => {
  it('serves CSV with its type, an attachment name and a header row', async () => {
    const { status, headers, body } = await get('/ru/indicators/average-wage.csv');
    expect(status).toBe(200);
    expect(headers.get('content-type')).toMatch(/^text\/csv; charset=utf-8/);
    expect(headers.get('content-disposition')).toBe('attachment; filename="average-wage-ru.csv"');
    const lines = body.replace(/^\uFEFF/, '').split('\r\n');
    expect(lines[0]).toBe('town,town_name,region,region_name,indicator,indicator_name,unit,direction,period,value,source_note,illustrative,published_at');
    expect(lines).toContain('aksai,Аксай,west-kazakhstan,Западно-Казахстанская область,average-wage,Среднемесячная заработная плата,тыс. тенге,higher,2018,448.8,"Junussova & Beimisheva (2017), OECD (2017)",false,' + lines.find((line) => line.startsWith('aksai,') && line.includes(',2018,'))!.split(',').at(-1));
  });

  it('serves JSON with its type and the documented columns', async () => {
    const { status, headers, body } = await get('/en/towns/ridder/indicators.json');
    expect(status).toBe(200);
    expect(headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(headers.get('content-disposition')).toBe('attachment; filename="ridder-indicators-en.json"');
    const json = JSON.parse(body) as { columns: string[]; values: Array<Record<string, unknown>> };
    expect(Object.keys(json.values[0]!)).toEqual(json.columns);
    expect(json.values.find((row) => row.indicator === 'industrial-output' && row.period === 2014)).toMatchObject({ value: 51378, illustrative: false });
  });

  it.each(['/en/indicators/happiness.csv', '/en/towns/atlantis/indicators.json', '/xx/indicators/average-wage.csv', '/en/indicators/%E0%A4%A.json'])('answers %s with 404', async (path) => {
    const { status, body } = await get(path);
    expectCleanClientError(status, body);
    expect(status).toBe(404);
  });
});

describe('compare', () => {
  it('shows one line per town and a table, and its shareable address round-trips', async () => {
    // What the form's checkboxes send: repeated towns.
    const first = await get('/en/towns/compare/?indicator=unemployment-rate&towns=ridder&towns=kurchatov&towns=zyryanovsk&towns=serebryansk');
    expect(first.status).toBe(200);
    const share = first.body.match(/class="compare-share"[^>]*>([^<]+)</)?.[1]?.replace(/&amp;/g, '&');
    expect(share).toBe(`${server.url}/en/towns/compare/?indicator=unemployment-rate&towns=ridder,kurchatov,zyryanovsk,serebryansk`);
    const again = await get(new URL(share!).pathname + new URL(share!).search);
    expect(again.status).toBe(200);
    for (const body of [first.body, again.body]) {
      expect(count(body, /class="chart__series /g)).toBe(4);
      expect(count(body, /class="chart__label"/g)).toBe(4);
      expect(count(body, /class="chart__point"/g)).toBe(32);
      expect(body).toMatch(/<th scope="col"[^>]*>Serebryansk<\/th>/);
    }
    // Each line has its own marker shape.
    const markers = new Set([...first.body.matchAll(/class="chart__point" d="([^"]+)"/g)].map((match) => match[1]));
    expect(markers.size).toBe(4);
  });

  it('starts from a town and its peers', async () => {
    const { status, body } = await get('/en/towns/compare/?town=saran');
    expect(status).toBe(200);
    expect(body).toMatch(/towns=saran,ekibastuz,shakhtinsk,balkhash,temirtau/);
  });

  it.each([
    '/en/towns/compare/?indicator=happiness',
    '/en/towns/compare/?towns=atlantis',
    '/en/towns/compare/?towns=%E0%A4%A',
    '/en/towns/compare/?indicator=population&indicator=average-wage',
    '/en/towns/compare/?towns=aksai,aksu,arkalyk,balkhash,ekibastuz,karatau,karazhal,kentau,khromtau',
  ])('answers %s with 400, a message and the default comparison', async (path) => {
    const { status, body } = await get(path);
    expectCleanClientError(status, body);
    expect(body).toContain('This comparison cannot be shown');
    expect(body).toMatch(/<th scope="col"[^>]*>Aksai<\/th>/);
  });
});

describe('entering figures: bad input is refused with a message and nothing is stored', () => {
  let townAdmin: string;
  beforeAll(async () => {
    townAdmin = await signIn(server.url, 'temirtau-admin@example.org', DEMO_PASSWORD);
  });
  const ADD = '/en/towns/temirtau/indicators/?_action=indicators.add';
  const VALID = { town: 'temirtau', indicator: 'resident-satisfaction', period: '2025', value: '57', sourceNote: 'Residents survey 2025' };
  const stored = async () => (await readRows(server.databaseUrl, sql<{ n: number }>`SELECT (SELECT count(*) FROM indicator_values) + (SELECT count(*) FROM indicator_value_history) AS n`))[0]!.n;

  it.each([
    ['a figure that is not a number', { value: 'about fifty' }, 400, 'Write a number'],
    ['an unemployment rate of 140 %', { indicator: 'unemployment-rate', period: '2024', value: '140' }, 400, 'outside the range allowed'],
    ['a future year', { period: String(new Date().getUTCFullYear() + 1) }, 400, 'This year is in the future'],
    ['a year that is not one', { period: '24' }, 400, 'four digits'],
    ['an unknown indicator', { indicator: 'happiness-index' }, 400, 'no such indicator'],
    ['a second figure for the same year', { indicator: 'unemployment-rate', period: '2024', value: '4.1' }, 409, 'already has a figure'],
    ['another town’s figure', { town: 'ridder' }, 403, 'your own town only'],
    ['no source note', { sourceNote: '' }, 400, 'Fill in this field'],
  ])('%s', async (_case, change, status, message) => {
    const before = await stored();
    const response = await postForm(server.url, ADD, { ...VALID, ...change }, { cookie: townAdmin });
    const body = await response.text();
    expect(response.status).toBe(status);
    expectCleanClientError(response.status, body);
    expect(body).toContain(message);
    expect(await stored()).toBe(before);
  });
});

describe('who may do what (role × action), on real requests', () => {
  type Who = 'anonymous' | 'member' | 'town_admin, own town' | 'town_admin, other town' | 'editor';
  const EMAILS: Record<Exclude<Who, 'anonymous'>, string> = {
    member: 'temirtau@example.org',
    'town_admin, own town': 'temirtau-admin@example.org',
    'town_admin, other town': 'temirtau-admin@example.org',
    editor: 'editor@example.org',
  };
  /** The town each row acts on: Temirtau's administrator tries Ridder as "another town". */
  const TOWN: Record<Who, string> = { anonymous: 'temirtau', member: 'temirtau', 'town_admin, own town': 'temirtau', 'town_admin, other town': 'ridder', editor: 'temirtau' };
  const TABLE: Array<[Who, { enter: boolean; publish: boolean; seeUnpublished: boolean; seeHistory: boolean }]> = [
    ['anonymous', { enter: false, publish: false, seeUnpublished: false, seeHistory: false }],
    ['member', { enter: false, publish: false, seeUnpublished: true, seeHistory: false }],
    ['town_admin, own town', { enter: true, publish: true, seeUnpublished: true, seeHistory: true }],
    ['town_admin, other town', { enter: false, publish: false, seeUnpublished: true, seeHistory: false }],
    ['editor', { enter: true, publish: false, seeUnpublished: true, seeHistory: true }],
  ];
  const cookies = new Map<Who, string | undefined>();
  beforeAll(async () => {
    for (const [who] of TABLE) cookies.set(who, who === 'anonymous' ? undefined : await signIn(server.url, EMAILS[who], DEMO_PASSWORD));
    // Something unpublished in both towns, entered by the editor.
    for (const town of ['temirtau', 'ridder']) {
      const response = await postForm(server.url, `/en/towns/${town}/indicators/?_action=indicators.add`, { town, indicator: 'housing-poor-condition', period: '2025', value: '7.5', sourceNote: 'Akimat survey' }, { cookie: cookies.get('editor') });
      expect(response.status).toBe(200);
    }
  });
  const unpublishedCount = async (town: string) =>
    (await readRows(server.databaseUrl, sql<{ n: number }>`SELECT count(*) AS n FROM indicator_values v JOIN towns t ON t.id = v.town_id WHERE t.slug = ${town} AND v.published_at IS NULL`))[0]!.n;

  it.each(TABLE)('%s: sees unpublished figures on the profile?', async (who, may) => {
    const { body } = await get(`/en/towns/${TOWN[who]}/`, cookies.get(who));
    expect(panel(body, 'housing-poor-condition').includes('data-period="2025"')).toBe(may.seeUnpublished);
  });

  it.each(TABLE)('%s: sees the history of changes?', async (who, may) => {
    const { status, body } = await get(`/en/towns/${TOWN[who]}/indicators/`, cookies.get(who));
    expect(status).toBe(who === 'anonymous' ? 303 : may.seeHistory ? 200 : 403);
    expect(body.includes('History of changes')).toBe(may.seeHistory);
    if (may.seeHistory) expect(body).toContain('Daniyar Seitkali');
  });

  it.each(TABLE)('%s: enters a figure?', async (who, may) => {
    const town = TOWN[who];
    const period = String(2000 + TABLE.findIndex(([row]) => row === who));
    const response = await postForm(server.url, `/en/towns/${town}/indicators/?_action=indicators.add`, { town, indicator: 'business-environment', period, value: '55', sourceNote: 'Survey' }, { cookie: cookies.get(who) });
    if (may.enter) expect(response.status).toBe(200);
    else expect([303, 401, 403]).toContain(response.status);
    const rows = await readRows(server.databaseUrl, sql`SELECT 1 FROM indicator_values v JOIN towns t ON t.id = v.town_id WHERE t.slug = ${town} AND v.indicator = 'business-environment' AND v.period = ${Number(period)}`);
    expect(rows.length).toBe(may.enter ? 1 : 0);
  });

  it.each(TABLE)('%s: publishes the town’s figures?', async (who, may) => {
    const town = TOWN[who];
    // Something new to publish in this town, whatever earlier rows did.
    const period = String(2000 + TABLE.findIndex(([row]) => row === who));
    const added = await postForm(server.url, `/en/towns/${town}/indicators/?_action=indicators.add`, { town, indicator: 'net-migration', period, value: '-4.2', sourceNote: 'Statistics' }, { cookie: cookies.get('editor') });
    expect(added.status).toBe(200);
    const before = await unpublishedCount(town);
    expect(before).toBeGreaterThan(0);
    const response = await postForm(server.url, `/en/towns/${town}/indicators/?_action=indicators.publish`, { town }, { cookie: cookies.get(who) });
    if (may.publish) {
      expect(response.status).toBe(200);
      expect(await unpublishedCount(town)).toBe(0);
      // Published means public: the anonymous profile now shows 2025.
      const { body } = await get(`/en/towns/${town}/`);
      expect(panel(body, 'housing-poor-condition')).toContain('data-period="2025"');
    } else {
      expect([303, 401, 403]).toContain(response.status);
      expect(await unpublishedCount(town)).toBe(before);
    }
  });
});
