import { describe, expect, it } from 'vitest';
import { COLLECTIONS, decodeHtml, itemsOf, LANGS, SECTION_PATHS, asDate, type Collection, type Lang } from '../helpers/content.ts';
import { expectedCards, listedCards, message, nextPageLink, query, resultCount, type Filters } from '../helpers/knowledge.ts';
import { useServer } from '../helpers/server.ts';
import { expectCleanClientError, htmlLang, request } from './support.ts';

/**
 * The knowledge centre's lists: one per section and language, rendered on demand,
 * filtered by the query string. Expectations come from the content files.
 */
const server = useServer();

async function get(path: string): Promise<{ status: number; body: string }> {
  const response = await request(server.url, path);
  return { status: response.status, body: await response.text() };
}

const PAGE_SIZE = 10;
/** The language each card's text was in, by link, on the list read last (links are all in the reader's language). */
const shownLanguage = new Map<string, Lang>();
const langOf = (href: string) => shownLanguage.get(href)!;
function listedHrefs(html: string): string[] {
  const cards = listedCards(html);
  for (const card of cards) shownLanguage.set(card.href, card.lang);
  return cards.map((card) => card.href);
}

/** Every card of a list, following its "next page" links. */
async function wholeList(path: string): Promise<{ hrefs: string[]; count: string; pages: number }> {
  const first = await get(path);
  expect(first.status, path).toBe(200);
  const hrefs = listedHrefs(first.body);
  let next = nextPageLink(first.body);
  let pages = 1;
  while (next) {
    const page = await get(next);
    expect(page.status, next).toBe(200);
    hrefs.push(...listedHrefs(page.body));
    next = nextPageLink(page.body);
    pages += 1;
    expect(pages).toBeLessThan(10);
  }
  return { hrefs, count: resultCount(first.body), pages };
}

/** Asserts a filtered list shows exactly the expected items and says how many. */
async function expectFiltered(collection: Collection, lang: Lang, filters: Filters): Promise<string[]> {
  const path = `/${lang}/${SECTION_PATHS[collection]}/${query(filters)}`;
  const expected = expectedCards(collection, lang, filters).map((card) => card.href);
  expect(expected.length, `${path} should match something in the content`).toBeGreaterThan(0);
  const { hrefs, count } = await wholeList(path);
  expect([...hrefs].sort(), path).toEqual([...expected].sort());
  expect(count, path).toBe(message(lang, 'list.count', { count: expected.length }));
  return hrefs;
}

describe.each(COLLECTIONS)('the %s list', (collection) => {
  it.each(LANGS)('answers in %s with the result count and the items', async (lang) => {
    const path = `/${lang}/${SECTION_PATHS[collection]}/`;
    const { status, body } = await get(path);
    expect(status).toBe(200);
    expect(htmlLang(body)).toBe(lang);
    const all = expectedCards(collection, lang);
    expect(resultCount(body)).toBe(message(lang, 'list.count', { count: all.length }));
    const hrefs = listedHrefs(body);
    expect(hrefs).toHaveLength(Math.min(PAGE_SIZE, all.length));
    expect(all.map((card) => card.href)).toEqual(expect.arrayContaining(hrefs));
    // The filter form is a GET form on the list itself, so filters land in the URL.
    expect(body).toContain(`<form class="filters" method="get" action="${path}"`);
    expect(body).toContain(`<a href="${path}rss.xml">`);
  });
});

describe('filters', () => {
  const resourceTopic = 'planning-governance';

  it('?topic= keeps the items with that topic, in every list', async () => {
    await expectFiltered('resources', 'en', { topic: resourceTopic });
    await expectFiltered('cases', 'ru', { topic: 'utilities-housing' });
    await expectFiltered('programmes', 'kk', { topic: 'youth-skills' });
    await expectFiltered('news', 'en', { topic: 'indicators-data' });
    await expectFiltered('events', 'en', { topic: 'utilities-housing' });
  });

  it('?type= keeps one kind of resource', async () => {
    for (const type of ['guide', 'template', 'policy-brief']) await expectFiltered('resources', 'en', { type });
  });

  it('?town= and ?region= keep one town\'s or one region\'s cases', async () => {
    const ridder = await expectFiltered('cases', 'en', { town: 'ridder' });
    expect(ridder).toEqual(['/en/cases/ridder-heat-network/']);
    const pavlodar = await expectFiltered('cases', 'kk', { region: 'pavlodar' });
    expect(pavlodar.length).toBeGreaterThanOrEqual(2);
    await expectFiltered('cases', 'ru', { region: 'karaganda' });
  });

  it('the chosen filter stays chosen in the form', async () => {
    const { body } = await get('/en/cases/?town=ridder&topic=utilities-housing');
    expect(body).toContain('<option value="ridder" selected>');
    expect(body).toContain('<option value="utilities-housing" selected>');
  });

  it.each(LANGS)('?language=%s shows only items written in that language, in that language', async (language) => {
    for (const collection of COLLECTIONS) {
      const hrefs = await expectFiltered(collection, 'en', { language });
      expect(hrefs.every((href) => langOf(href) === language), hrefs.join(' ')).toBe(true);
      expect(hrefs.length).toBe(itemsOf(collection).filter((item) => item.languages.includes(language)).length);
    }
  });

  it('?year= keeps the items dated that year', async () => {
    await expectFiltered('resources', 'en', { year: 2025 });
    await expectFiltered('cases', 'ru', { year: 2026 });
    await expectFiltered('news', 'kk', { year: 2026 });
  });

  it.each(['open', 'closed', 'rolling'] as const)('?status=%s on funding follows each programme\'s deadline and today', async (status) => {
    for (const lang of LANGS) await expectFiltered('programmes', lang, { status });
  });

  it('funding statuses split the programmes with none left over', () => {
    const total = itemsOf('programmes').length;
    const counted = (['open', 'closed', 'rolling'] as const).reduce((sum, status) => sum + expectedCards('programmes', 'en', { status }).length, 0);
    expect(counted).toBe(total);
  });

  it.each(['upcoming', 'past'] as const)('?when=%s on events', async (when) => {
    for (const lang of LANGS) await expectFiltered('events', lang, { when });
  });

  it('upcoming events come soonest first, before past ones', async () => {
    const { hrefs } = await wholeList('/en/events/');
    const now = Date.now();
    const cards = expectedCards('events', 'en');
    const starts = hrefs.map((href) => cards.find((card) => card.href === href)!).map((card) => ({
      past: new Date(String(card.data.end ?? card.data.start)).getTime() < now,
      start: new Date(String(card.data.start)).getTime(),
    }));
    const firstPast = starts.findIndex((event) => event.past);
    const upcoming = firstPast === -1 ? starts : starts.slice(0, firstPast);
    const past = firstPast === -1 ? [] : starts.slice(firstPast);
    expect(past.every((event) => event.past)).toBe(true);
    expect(upcoming.map((event) => event.start)).toEqual([...upcoming.map((event) => event.start)].sort((a, b) => a - b));
    expect(past.map((event) => event.start)).toEqual([...past.map((event) => event.start)].sort((a, b) => b - a));
  });

  it('?q= finds words in titles and summaries, in the language shown', async () => {
    const heating = await expectFiltered('cases', 'en', { q: 'heating' });
    expect(heating).toContain('/en/cases/ridder-heat-network/');
    const russian = await expectFiltered('cases', 'ru', { q: 'теплосет' });
    expect(russian).toContain('/ru/cases/ridder-heat-network/');
    await expectFiltered('resources', 'en', { q: 'MONOTOWN' });
    await expectFiltered('programmes', 'kk', { q: 'грант' });
  });

  it('?q= with nothing to find says there are no results', async () => {
    const { status, body } = await get('/en/resources/?q=zzzqqq');
    expect(status).toBe(200);
    expect(listedHrefs(body)).toEqual([]);
    expect(resultCount(body)).toBe(message('en', 'list.noResults'));
  });

  it('filters combine', async () => {
    await expectFiltered('resources', 'en', { type: 'guide', language: 'ru' });
    await expectFiltered('cases', 'en', { region: 'pavlodar', year: 2026 });
  });

  it('a searched word is written back into the form, escaped', async () => {
    const q = '"><img src=x onerror=alert(1)>';
    const { status, body } = await get(`/en/resources/${query({ q })}`);
    expect(status).toBe(200);
    // Inside a quoted attribute only the quote needs escaping: the value cannot break out.
    const value = body.match(/id="filter-q" name="q" type="search" value="([^"]*)"/)?.[1];
    expect(value).toMatch(/^(?:&#34;|&quot;)/);
    expect(decodeHtml(value ?? '')).toBe(q);
  });
});

describe("the reader's language comes first", () => {
  const ordered: Collection[] = ['resources', 'cases', 'programmes', 'news'];

  it.each(ordered.flatMap((collection) => LANGS.map((lang) => [collection, lang] as const)))('in %s for %s, then newest first', async (collection, lang) => {
    const { hrefs } = await wholeList(`/${lang}/${SECTION_PATHS[collection]}/`);
    const expected = expectedCards(collection, lang);
    expect([...hrefs].sort()).toEqual(expected.map((card) => card.href).sort());
    const own = hrefs.filter((href) => langOf(href) === lang);
    expect(hrefs.slice(0, own.length), `own-language items first in ${hrefs.join(' ')}`).toEqual(own);
    for (const group of [hrefs.slice(0, own.length), hrefs.slice(own.length)]) {
      const dates = group.map((href) => asDate(expected.find((card) => card.href === href)!.data.date).getTime());
      expect(dates).toEqual([...dates].sort((a, b) => b - a));
    }
  });

  it('a card in another language says so in the reader\'s language', async () => {
    const { body } = await get('/en/cases/');
    // The link stays in English; the card says its text is Russian.
    expect(body).toContain(`<a href="/en/cases/saran-water-metering/" hreflang="ru" lang="ru">`);
    expect(body).toContain(message('en', 'item.shownIn', { language: message('en', 'language.ru') }));
  });
});

describe('pagination', () => {
  it('/en/resources/ has ten items and a link to page 2, which shows the rest', async () => {
    const all = expectedCards('resources', 'en').map((card) => card.href);
    expect(all.length).toBeGreaterThan(PAGE_SIZE);
    const first = await get('/en/resources/');
    expect(listedHrefs(first.body)).toHaveLength(PAGE_SIZE);
    expect(nextPageLink(first.body)).toBe('/en/resources/?page=2');
    expect(first.body).toContain('<span aria-current="page">1</span>');

    const second = await get('/en/resources/?page=2');
    expect(second.status).toBe(200);
    expect(listedHrefs(second.body)).toHaveLength(all.length - PAGE_SIZE);
    expect(second.body).toContain('<a href="/en/resources/" rel="prev">');
    expect(second.body).toContain('<span aria-current="page">2</span>');
    expect(nextPageLink(second.body)).toBeUndefined();
    expect([...listedHrefs(first.body), ...listedHrefs(second.body)].sort()).toEqual([...all].sort());
  });

  it.each(LANGS)('?page=99999 in %s is an empty page that says it is past the last one', async (lang) => {
    const { status, body } = await get(`/${lang}/resources/?page=99999`);
    expect(status).toBe(200);
    expect(htmlLang(body)).toBe(lang);
    expect(listedHrefs(body)).toEqual([]);
    expect(resultCount(body)).toContain(message(lang, 'list.pastEnd'));
    expect(body).toContain(`<a href="/${lang}/resources/">${message(lang, 'list.firstPage')}</a>`);
  });
});

describe('bad input gets 400 with a clear message, never a 500', () => {
  const cases: Array<[string, string, Parameters<typeof message>[1]]> = [
    ['/en/resources/', 'topic=<script>alert(1)</script>', 'list.problem.topic'],
    ['/en/resources/', 'page=-1', 'list.problem.page'],
    ['/en/resources/', 'page=abc', 'list.problem.page'],
    ['/en/resources/', 'page=0', 'list.problem.page'],
    ['/en/news/', 'year=20x6', 'list.problem.year'],
    ['/en/cases/', 'language=de', 'list.problem.language'],
    ['/en/resources/', `q=${'a'.repeat(101)}`, 'list.problem.q'],
    ['/en/cases/', 'town=almaty', 'list.problem.town'],
    ['/en/cases/', 'region=atlantis', 'list.problem.region'],
    ['/en/resources/', 'type=podcast', 'list.problem.type'],
    ['/en/funding/', 'status=pending', 'list.problem.status'],
    ['/en/events/', 'when=tomorrow', 'list.problem.when'],
  ];

  it.each(cases)('%s?%s', async (path, search, problem) => {
    const { status, body } = await get(`${path}?${search.replace('<script>alert(1)</script>', encodeURIComponent('<script>alert(1)</script>'))}`);
    expect(status).toBe(400);
    expectCleanClientError(status, body);
    expect(htmlLang(body)).toBe('en');
    expect(body).toContain(message('en', 'list.problemTitle'));
    expect(body).toContain(message('en', problem));
    expect(listedHrefs(body)).toEqual([]);
    // The form is still there to fix the filters.
    expect(body).toContain(`<form class="filters" method="get" action="${path}"`);
  });

  it('a script in a filter value never comes back unescaped', async () => {
    const { body } = await get(`/en/resources/?topic=${encodeURIComponent('<script>alert(1)</script>')}`);
    expect(body).not.toContain('<script>alert(1)');
    expect(body).not.toMatch(/<script>(?!<\/script>)[^<]*alert/);
  });

  it('the message is in the reader\'s language', async () => {
    const ru = await get('/ru/cases/?town=almaty');
    expect(ru.status).toBe(400);
    expect(ru.body).toContain(message('ru', 'list.problem.town'));
    const kk = await get('/kk/funding/?status=x');
    expect(kk.status).toBe(400);
    expect(kk.body).toContain(message('kk', 'list.problem.status'));
  });

  it('every wrong filter is named at once', async () => {
    const { status, body } = await get('/en/cases/?topic=x&year=20x6&page=abc');
    expect(status).toBe(400);
    for (const problem of ['list.problem.topic', 'list.problem.year', 'list.problem.page'] as const) expect(body).toContain(message('en', problem));
  });
});

describe('parameters a list does not know', () => {
  it('are ignored', async () => {
    const plain = await get('/en/resources/');
    for (const search of ['utm_source=newsletter', 'foo=bar&baz', 'status=open', 'when=past', 'illustrative=true']) {
      const { status, body } = await get(`/en/resources/?${search}`);
      expect(status, search).toBe(200);
      expect(resultCount(body), search).toBe(resultCount(plain.body));
    }
  });

  it('empty filters mean "any"', async () => {
    const { status, body } = await get('/en/cases/?topic=&town=&region=&language=&year=&q=');
    expect(status).toBe(200);
    expect(resultCount(body)).toBe(message('en', 'list.count', { count: itemsOf('cases').length }));
  });
});

describe('open programmes on prerendered pages', () => {
  it('the lists (rendered per request) say "Open"; prerendered pages show the deadline, which cannot go stale', async () => {
    const list = await get('/en/funding/?status=open');
    expect(list.body).toContain('status--open');
    // The knowledge centre's front page is rendered per request too (member towns' cases join it).
    expect((await get('/en/knowledge/')).body).toContain('status--open');
    const home = await get('/en/');
    expect(home.status).toBe(200);
    expect(home.body).not.toContain('status--open');
  });
});
