import { parseFeed } from '@rowanmanning/feed-parser';
import { XMLParser } from 'fast-xml-parser';
import { beforeAll, describe, expect, it } from 'vitest';
import { TAXONOMIES } from '~/schemas/taxonomy.ts';
import { SEED_TOWNS } from '../../db/seed/towns.ts';
import { COLLECTIONS, itemsOf, LANGS, SECTION_PATHS, textOf, type Lang } from '../helpers/content.ts';
import { signIn } from '../helpers/http.ts';
import { listedHrefs, message, resultCount } from '../helpers/knowledge.ts';
import { useServer } from '../helpers/server.ts';
import { expectCleanClientError, request } from './support.ts';

/**
 * What a reader notices (issue 21), against the built server on both engines: the
 * resources list's facets, complete RSS feeds read by a real feed parser, a sitemap that
 * names every public page (and only those) with full hreflang alternates, and the
 * header's Join and Home links.
 */
const server = useServer();
const DEMO_PASSWORD = 'demo-qala-2026';

async function get(path: string, cookie?: string): Promise<{ status: number; body: string; type: string }> {
  const response = await request(server.url, path, cookie ? { cookie } : {});
  return { status: response.status, body: await response.text(), type: response.headers.get('content-type') ?? '' };
}

/** The choices of a filter select: value → visible label. */
function choices(html: string, name: string): Map<string, string> {
  const select = html.match(new RegExp(`<select id="filter-${name}" name="${name}">([\\s\\S]*?)</select>`))?.[1] ?? '';
  return new Map([...select.matchAll(/<option value="([^"]*)"[^>]*>([^<]*)<\/option>/g)].map((match) => [match[1]!, textOf(match[2]!)]));
}

/** The resources in English whose frontmatter names these values (every file read directly). */
function resourcesWith(filter: { programme?: string; town?: string; region?: string }, lang: Lang = 'en'): string[] {
  const townRegion = new Map(TAXONOMIES.towns.map((town) => [town.id, town.region]));
  return itemsOf('resources')
    .filter((item) => {
      const data = (item.versions[lang] ?? item.versions[item.languages[0]!])!.data;
      const towns: string[] = data.towns ?? [];
      const regions: string[] = [...(data.regions ?? []), ...towns.map((town) => townRegion.get(town)!)];
      if (filter.programme && !(data.programmes ?? []).includes(filter.programme)) return false;
      if (filter.town && !towns.includes(filter.town)) return false;
      if (filter.region && !regions.includes(filter.region)) return false;
      return true;
    })
    .map((item) => item.slug)
    .sort();
}

const slugsOf = (html: string) => listedHrefs(html).map((href) => href.split('/')[3]!).sort();

describe('resource facets', () => {
  it('filter by programme, region and town, each in the query string, with the count of what each choice lists', async () => {
    const all = await get('/en/resources/');
    expect(all.status).toBe(200);
    for (const name of ['programme', 'region', 'town']) expect(all.body).toContain(`<select id="filter-${name}" name="${name}">`);

    const programme = 'indicator-pilot-grants';
    const expected = resourcesWith({ programme });
    expect(expected.length).toBeGreaterThan(1);
    const filtered = await get(`/en/resources/?programme=${programme}`);
    expect(filtered.status).toBe(200);
    expect(slugsOf(filtered.body)).toEqual(expected);
    expect(resultCount(filtered.body)).toBe(message('en', 'list.count', { count: expected.length }));
    // The choice is labelled with the programme's title and how many resources it lists.
    expect(choices(all.body, 'programme').get(programme)).toBe(`Indicator pilot grants: measure what matters to residents (${expected.length})`);

    const byTown = resourcesWith({ town: 'ridder' });
    expect((await get('/en/resources/?town=ridder')).body).toContain(message('en', 'list.count', { count: byTown.length }));
    expect(choices(all.body, 'town').get('ridder')).toBe(`Ridder (${byTown.length})`);
    // A town's region lists it too.
    const byRegion = resourcesWith({ region: 'east-kazakhstan' });
    expect(byRegion).toEqual(expect.arrayContaining(byTown));
    expect(slugsOf((await get('/en/resources/?region=east-kazakhstan')).body)).toEqual(byRegion);
  });

  it('combine, and the counts follow the other filters chosen', async () => {
    const combined = resourcesWith({ programme: 'indicator-pilot-grants', region: 'east-kazakhstan' });
    expect(combined.length).toBeGreaterThan(0);
    expect(combined.length).toBeLessThan(resourcesWith({ programme: 'indicator-pilot-grants' }).length);
    const page = await get('/en/resources/?programme=indicator-pilot-grants&region=east-kazakhstan');
    expect(page.status).toBe(200);
    expect(slugsOf(page.body)).toEqual(combined);
    // Each town counts only the resources the other chosen filters (programme, region) keep.
    const towns = choices(page.body, 'town');
    expect(towns.get('ridder')).toBe(`Ridder (${resourcesWith({ programme: 'indicator-pilot-grants', region: 'east-kazakhstan', town: 'ridder' }).length})`);
    expect(towns.get('temirtau')).toBe('Temirtau (0)');
    // …while a region's count ignores the region chosen (choosing another would replace it).
    const regions = choices(page.body, 'region');
    expect(regions.get('karaganda')).toBe(`Karaganda Region (${resourcesWith({ programme: 'indicator-pilot-grants', region: 'karaganda' }).length})`);
    expect(resourcesWith({ programme: 'indicator-pilot-grants', region: 'karaganda' }).length).toBeGreaterThan(0);
    // The chosen values stay selected in the form.
    expect(page.body).toMatch(/<option value="indicator-pilot-grants" selected>/);
    expect(page.body).toMatch(/<option value="east-kazakhstan" selected>/);
  });

  it('label every choice in the reader’s language, never an id', async () => {
    const ru = await get('/ru/resources/');
    const regions = choices(ru.body, 'region');
    expect(regions.get('east-kazakhstan')).toMatch(/^Восточно-Казахстанская область \(\d+\)$/);
    for (const [value, label] of [...choices(ru.body, 'programme'), ...regions, ...choices(ru.body, 'town')]) {
      if (value === '') continue;
      expect(label, value).not.toContain(value);
    }
  });

  it('answer 400 with the form shown again and a message for a value that does not exist', async () => {
    for (const [search, problem] of [
      ['programme=free-money', 'list.problem.programme'],
      ['town=almaty', 'list.problem.town'],
      ['region=mars', 'list.problem.region'],
    ] as const) {
      const { status, body } = await get(`/en/resources/?${search}&topic=indicators-data`);
      expect(status, search).toBe(400);
      expectCleanClientError(status, body);
      expect(body).toContain(message('en', problem));
      expect(body).toContain('<form class="filters" method="get" action="/en/resources/"');
      // What was right is kept.
      expect(body).toMatch(/<option value="indicators-data" selected>/);
    }
  });
});

describe('RSS feeds, read by a feed parser', () => {
  const topicLabels = (lang: Lang) => new Set(TAXONOMIES.topics.map((topic) => topic[lang]));

  describe.each(COLLECTIONS)('%s', (collection) => {
    it.each(LANGS)('in %s: self link, last build date, the section page as link, topic labels as categories', async (lang) => {
      const path = `/${lang}/${SECTION_PATHS[collection]}/rss.xml`;
      const { status, body } = await get(path);
      expect(status).toBe(200);
      const feed = parseFeed(body);
      expect(feed.meta.type).toBe('rss');
      const origin = new URL(feed.url!).origin;
      expect(feed.url).toBe(`${origin}/${lang}/${SECTION_PATHS[collection]}/`);
      expect(feed.self).toBe(`${origin}${path}`);
      expect(feed.updated).toBeInstanceOf(Date);
      const newest = Math.max(...feed.items.map((item) => item.published!.getTime()));
      if (feed.items.length) expect(feed.updated!.getTime()).toBe(newest);
      const labels = topicLabels(lang);
      const ids = new Set(TAXONOMIES.topics.map((topic) => topic.id));
      for (const item of feed.items) {
        expect(item.categories.length, item.title ?? '').toBeGreaterThan(0);
        for (const category of item.categories) {
          expect(labels, `${category.term} in ${path}`).toContain(category.term);
          expect(ids).not.toContain(category.term);
        }
      }
    });
  });
});

describe('the sitemap', () => {
  type Entry = { loc: string; alternates: Array<{ hreflang: string; href: string }> };
  const entries: Entry[] = [];
  const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', isArray: (name) => ['url', 'sitemap', 'xhtml:link'].includes(name) });

  beforeAll(async () => {
    const index = parser.parse((await get('/sitemap-index.xml')).body);
    for (const sitemap of index.sitemapindex.sitemap as any[]) {
      const { status, body } = await get(new URL(String(sitemap.loc)).pathname);
      expect(status, String(sitemap.loc)).toBe(200);
      for (const url of parser.parse(body).urlset.url as any[]) {
        entries.push({ loc: String(url.loc), alternates: ((url['xhtml:link'] ?? []) as any[]).map((link) => ({ hreflang: String(link['@hreflang']), href: String(link['@href']) })) });
      }
    }
  });
  const pathOf = (entry: Entry) => { const url = new URL(entry.loc); return `${url.pathname}${url.search}`; };
  const paths = () => new Set(entries.map(pathOf));

  it('names every town profile, the directory, the indicator catalogue and comparison presets, in every language', () => {
    expect(SEED_TOWNS.length).toBe(27);
    for (const lang of LANGS) {
      for (const town of SEED_TOWNS) expect(paths(), `${lang} ${town.slug}`).toContain(`/${lang}/towns/${town.slug}/`);
      expect(paths()).toContain(`/${lang}/towns/`);
      expect(paths()).toContain(`/${lang}/indicators/`);
      expect([...paths()].filter((path) => path.startsWith(`/${lang}/towns/compare/?indicator=`)).length).toBeGreaterThan(5);
      for (const collection of COLLECTIONS) expect(paths()).toContain(`/${lang}/${SECTION_PATHS[collection]}/`);
      expect(paths()).toContain(`/${lang}/knowledge/`);
    }
  });

  it('names the public working groups and their list, never a private one', () => {
    for (const lang of LANGS) {
      expect(paths()).toContain(`/${lang}/groups/`);
      for (const slug of ['utilities-renewal', 'economic-diversification', 'youth-skills']) expect(paths()).toContain(`/${lang}/groups/${slug}/`);
      expect(paths()).not.toContain(`/${lang}/groups/municipal-finance/`);
    }
  });

  it('never names a page for members, for one person or behind a form', () => {
    const privatePages = [...paths()].filter((path) => /\/(account|admin|editor|exchange|members|sign-in|sign-out|password|invitation|user-menu|feedback|membership\/apply)\/|\/indicators\.(csv|json)|\/towns\/[a-z-]+\/indicators\/|\/groups\/[a-z-]+\/(members|lead|threads)/.test(path));
    expect(privatePages).toEqual([]);
  });

  it('lists pages that answer 200 to a visitor, are not noindex, and say the same canonical address', async () => {
    const onDemand = entries.filter((entry) => /\/(towns|groups)\//.test(entry.loc));
    expect(onDemand.length).toBeGreaterThan(81);
    for (const entry of onDemand) {
      const { status, body } = await get(pathOf(entry));
      expect(status, entry.loc).toBe(200);
      expect(body, entry.loc).not.toMatch(/<meta name="robots" content="noindex/);
      const canonical = body.match(/<link rel="canonical" href="([^"]+)"/)?.[1]?.replace(/&amp;/g, '&');
      expect(canonical, entry.loc).toBe(entry.loc);
    }
  });

  it('gives every page in several languages alternates for each language, itself included, and an x-default', () => {
    const several = entries.filter((entry) => entry.alternates.length > 0);
    expect(several.length).toBeGreaterThan(100);
    for (const entry of several) {
      expect(entry.alternates.map((link) => link.href), entry.loc).toContain(entry.loc);
      expect(entry.alternates.filter((link) => link.hreflang === 'x-default'), entry.loc).toHaveLength(1);
    }
    const home = entries.find((entry) => new URL(entry.loc).pathname === '/en/')!;
    expect(home.alternates.find((link) => link.hreflang === 'x-default')!.href).toBe(`${new URL(home.loc).origin}/`);
  });

  it('and each page’s head agrees: its own language, the others and an x-default', async () => {
    for (const path of ['/ru/towns/ridder/', '/en/resources/', '/kk/about/', '/en/groups/youth-skills/']) {
      const { body } = await get(path);
      const links = [...body.matchAll(/<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">/g)].map((match) => ({ hreflang: match[1]!, href: new URL(match[2]!).pathname }));
      expect(links.map((link) => link.hreflang).sort(), path).toEqual(['en', 'kk', 'ru', 'x-default']);
      expect(links.find((link) => link.hreflang === path.split('/')[1])!.href).toBe(path);
      expect(links.find((link) => link.hreflang === 'x-default')!.href).toBe(`/kk/${path.split('/').slice(2).join('/')}`);
    }
  });
});

describe('the header’s own links', () => {
  it('offers visitors "Join" (the membership page) beside "Sign in", in their language', async () => {
    for (const [lang, path] of [['en', '/en/towns/'], ['ru', '/ru/'], ['kk', '/kk/resources/']] as const) {
      const { body } = await get(path);
      expect(body, path).toContain(`<a class="user-menu__join" href="/${lang}/membership/">${message(lang, 'details.nav.join')}</a>`);
    }
    expect((await get('/en/user-menu/')).body).toContain('href="/en/membership/"');
  });

  it('offers a signed-in member "Home" (their dashboard) and the notifications count, and no "Join"', async () => {
    const cookie = await signIn(server.url, 'temirtau@example.org', DEMO_PASSWORD);
    for (const path of ['/en/towns/', '/en/user-menu/']) {
      const { body } = await get(path, cookie);
      expect(body, path).toContain(`<a href="/en/account/">${message('en', 'details.nav.memberHome')}</a>`);
      expect(body, path).toMatch(/class="notify-badge[^"]*" href="\/en\/account\/notifications\/"/);
      expect(body, path).not.toContain('user-menu__join');
    }
  });
});

describe('a resource’s page', () => {
  it('names the programmes, regions and towns it concerns, linked to the programme and to the filtered list', async () => {
    const { status, body } = await get('/ru/resources/monotown-indicator-toolkit/');
    expect(status).toBe(200);
    const facts = body.match(/<aside class="facts"[\s\S]*?<\/aside>/)?.[0] ?? '';
    expect(facts).toContain('<a href="/ru/funding/indicator-pilot-grants/">');
    expect(facts).toContain('Восточно-Казахстанская область');
    expect(facts).toContain('<a href="/ru/resources/?town=ridder">Риддер</a>');
  });
});

describe('dates in the association’s time zone', () => {
  it('a member case approved at 00:30 on 7 December in Almaty (still the 6th in UTC) says "7 December", on its page and in its list', async () => {
    const { withServerDatabase } = await import('../helpers/server-database.ts');
    const approvedAt = Date.UTC(2026, 11, 6, 19, 30) / 1000;
    const { recordChange } = await import('~/server/cache/changes.ts');
    // Written directly, so the change is recorded as every writer of cases does (src/server/cache/changes.ts).
    await withServerDatabase(server.databaseUrl, async (db) => {
      await db.updateTable('member_cases').set({ published_at: approvedAt }).where('slug', '=', 'shakhtinsk-youth-coworking').execute();
      await recordChange(db, 'cases');
    });
    // The case is written in Kazakh: its page says the day as a Kazakh reader writes it.
    const { formatDate } = await import('~/lib/format.ts');
    const seventh = formatDate(new Date(Date.UTC(2026, 11, 7, 12)), 'kk');
    const sixth = formatDate(new Date(Date.UTC(2026, 11, 6, 12)), 'kk');
    const page = await get('/kk/cases/shakhtinsk-youth-coworking/');
    expect(page.status).toBe(200);
    expect(page.body).toContain(`<time datetime="2026-12-07">${seventh}</time>`);
    expect(page.body).not.toContain(sixth);
    const list = await get('/en/cases/?town=shakhtinsk');
    expect(list.body).toContain('7 December 2026');
    expect(list.body).not.toContain('6 December 2026');
    // …and the year it counts for is Almaty's: approved at 00:30 on 1 January 2027 there, it is a 2027 case.
    await withServerDatabase(server.databaseUrl, async (db) => {
      await db.updateTable('member_cases').set({ published_at: Date.UTC(2026, 11, 31, 19, 30) / 1000 }).where('slug', '=', 'shakhtinsk-youth-coworking').execute();
      await recordChange(db, 'cases');
    });
    expect(listedHrefs((await get('/en/cases/?year=2027')).body)).toContain('/en/cases/shakhtinsk-youth-coworking/');
    expect(listedHrefs((await get('/en/cases/?year=2026')).body)).not.toContain('/en/cases/shakhtinsk-youth-coworking/');
  });
});
