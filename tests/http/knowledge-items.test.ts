import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SEED_TOWNS } from '../../db/seed/towns.ts';
import {
  CONTENT_PAGES,
  COLLECTIONS,
  contentFiles,
  expectedEventIsPast,
  expectedProgrammeStatus,
  findItem,
  itemPath,
  itemsOf,
  knowledgeItems,
  LANGS,
  metaContent,
  SECTION_PATHS,
  textOf,
  versionFor,
  type Item,
  type Lang,
} from '../helpers/content.ts';
import { expectedCards, message } from '../helpers/knowledge.ts';
import { startServer, type RunningServer } from '../helpers/server.ts';
import { htmlLang, request } from './support.ts';

/**
 * Every item has a page in every UI language: the item itself where it is written in
 * that language, else a notice in the reader's language linking the versions there are.
 */
let server: RunningServer;
const pages = new Map<string, { status: number; body: string }>();

beforeAll(async () => {
  server = await startServer();
  // Fetch every item page once, a few at a time; the tests below read them.
  const paths = knowledgeItems().flatMap((item) => LANGS.map((lang) => itemPath(item.collection, item.slug, lang)));
  for (let i = 0; i < paths.length; i += 12) {
    await Promise.all(
      paths.slice(i, i + 12).map(async (path) => {
        const response = await request(server.url, path);
        pages.set(path, { status: response.status, body: await response.text() });
      }),
    );
  }
});

afterAll(async () => {
  await server?.stop();
});

function page(item: Item, lang: Lang): string {
  const path = itemPath(item.collection, item.slug, lang);
  const fetched = pages.get(path);
  expect(fetched?.status, path).toBe(200);
  return fetched!.body;
}

/** The page's <main>, without header and footer. */
const mainOf = (html: string) => html.match(/<main[^>]*>([\s\S]*)<\/main>/)?.[1] ?? '';
const h1Of = (html: string) => {
  const match = mainOf(html).match(/<h1([^>]*)>([\s\S]*?)<\/h1>/);
  return match ? { attributes: match[1]!, text: textOf(match[2]!) } : undefined;
};
const alternates = (html: string) =>
  [...html.matchAll(/<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">/g)].map((match) => ({ lang: match[1]!, href: match[2]! }));
const canonicalOf = (html: string) => html.match(/<link rel="canonical" href="([^"]+)">/)?.[1];

const all = knowledgeItems();
const written = all.flatMap((item) => item.languages.map((lang) => ({ name: `${itemPath(item.collection, item.slug, lang)}`, item, lang })));
const missing = all.flatMap((item) =>
  LANGS.filter((lang) => !item.languages.includes(lang)).map((lang) => ({ name: itemPath(item.collection, item.slug, lang), item, lang })),
);

describe('every item in every UI language', () => {
  it('answers 200 with the page in that language', () => {
    expect(pages.size).toBe(all.length * 3);
    const wrong = [...pages].filter(([path, { status, body }]) => status !== 200 || htmlLang(body) !== path.split('/')[1]).map(([path, { status }]) => `${path}: ${status}`);
    expect(wrong).toEqual([]);
  });

  it('there are items both written and not written in each language', () => {
    for (const lang of LANGS) {
      expect(written.some((entry) => entry.lang === lang)).toBe(true);
      expect(missing.some((entry) => entry.lang === lang)).toBe(true);
    }
  });
});

describe('an item written in the reader\'s language', () => {
  it.each(written)('$name shows the item, with canonical, alternates and Open Graph', ({ item, lang }) => {
    const html = page(item, lang);
    const path = itemPath(item.collection, item.slug, lang);
    const data = item.versions[lang]!.data;

    expect(h1Of(html)?.text).toBe(data.title);
    expect(html).not.toMatch(/<meta name="robots"/);

    const canonical = canonicalOf(html);
    expect(canonical && new URL(canonical).pathname).toBe(path);
    expect(metaContent(html, 'og:url')).toBe(canonical);
    expect(metaContent(html, 'og:title')).toBe(data.title);
    expect(metaContent(html, 'og:type')).toBe('article');
    expect(metaContent(html, 'og:description')).toBe(data.summary);

    // Alternates name every language the item is written in, this one included, and an
    // x-default (the Kazakh version, else the first); an item in one language has none.
    const links = alternates(html);
    const expectedLangs = item.languages.length > 1 ? [...item.languages, 'x-default'] : [];
    expect(links.map((link) => link.lang).sort()).toEqual([...expectedLangs].sort());
    for (const link of links) {
      const target = link.lang === 'x-default' ? (item.languages.includes('kk') ? 'kk' : item.languages[0]!) : (link.lang as Lang);
      expect(new URL(link.href).pathname).toBe(itemPath(item.collection, item.slug, target));
      expect(new URL(link.href).origin).toBe(new URL(canonical!).origin);
    }

    // Related items, starting with those the item names.
    const related = html.match(/<section class="related"[^>]*>([\s\S]*?)<\/section>/)?.[1];
    expect(related, 'related section').toBeDefined();
    expect(related).toContain(`<h2 id="related-title">${message(lang, 'item.related')}</h2>`);
    for (const reference of (data.related ?? []) as string[]) {
      const [collection, slug] = reference.split('/') as [Item['collection'], string];
      const other = findItem(collection, slug);
      // In the reader's interface, saying which language the text is in when it is not theirs.
      const shown = versionFor(other, lang).lang;
      expect(related, `related ${reference}`).toContain(`href="${itemPath(collection, slug, lang)}"${shown === lang ? '' : ` hreflang="${shown}"`}`);
    }
    expect(related).not.toContain(`href="${path}"`);

    // "Was this page helpful?" about this very page.
    expect(html).toContain(`<form class="feedback" method="post" action="/${lang}/feedback/?_action=feedback.submit"`);
    expect(html).toContain(`<input type="hidden" name="page" value="${path}">`);
  });

  it.each(written)('$name has a table of contents when it has three sections or more', ({ item, lang }) => {
    const html = page(item, lang);
    const headings = [...item.versions[lang]!.body.matchAll(/^## /gm)].length;
    const toc = html.match(/<nav class="toc"[^>]*>([\s\S]*?)<\/nav>/)?.[1];
    if (headings < 3) {
      expect(toc).toBeUndefined();
      return;
    }
    expect(toc, 'table of contents').toBeDefined();
    const targets = [...toc!.matchAll(/<a href="#([^"]+)">/g)].map((match) => match[1]!);
    expect(targets).toHaveLength(headings);
    const ids = new Set([...html.matchAll(/\sid="([^"]+)"/g)].map((match) => match[1]!));
    expect(targets.filter((target) => !ids.has(decodeURIComponent(target)))).toEqual([]);
    expect(new Set(targets).size).toBe(targets.length);
  });
});

describe('an item not written in the reader\'s language', () => {
  it.each(missing)('$name stays in the reader\'s interface and shows the text marked with its language', ({ item, lang }) => {
    const html = page(item, lang);
    const main = mainOf(html);
    const shown = item.languages[0]!;
    expect(htmlLang(html)).toBe(lang);
    expect(main).toContain(message(lang, 'textLanguage.notice', { language: message(lang, `language.${shown}`) }));
    for (const other of item.languages) {
      expect(main).toContain(`<a href="${itemPath(item.collection, item.slug, other)}" hreflang="${other}">${message(lang, `language.${other}`)}</a>`);
    }
    // The title and the text are the first version's, marked as the language they are written in.
    const h1 = h1Of(html)!;
    expect(h1.attributes).toContain(`lang="${shown}"`);
    expect(h1.text).toBe(item.versions[shown]!.data.title);
    expect(main).toMatch(new RegExp(`<div class="prose" lang="${shown}"`));
    // Kept out of search engines: the page in its own language is the one to find.
    expect(metaContent(html, 'robots')).toMatch(/\bnoindex\b/);
    expect(canonicalOf(html)).toBeUndefined();
    expect(alternates(html)).toEqual([]);
    expect(html).not.toContain('class="feedback"');
  });

  it('reads as promised in English, Russian and Kazakh', () => {
    const saran = findItem('cases', 'saran-water-metering');
    expect(saran.languages).toEqual(['ru']);
    expect(mainOf(page(saran, 'en'))).toContain('This text is in Russian');
    expect(mainOf(page(saran, 'kk'))).toContain('Бұл мәтін мына тілде: орыс тілі');
    const kurchatov = findItem('cases', 'kurchatov-science-town');
    expect(kurchatov.languages).toEqual(['en']);
    expect(mainOf(page(kurchatov, 'ru'))).toContain('Этот текст на языке: английский');
  });
});

describe('a case page', () => {
  const cases = written.filter(({ item }) => item.collection === 'cases');

  it.each(cases)('$name has the case at a glance: town, period, funding and indicators', ({ item, lang }) => {
    const html = page(item, lang);
    const data = item.versions[lang]!.data;
    const facts = html.match(/<aside class="facts"[^>]*>([\s\S]*?)<\/aside>/)?.[1];
    expect(facts, 'summary box').toBeDefined();
    const text = textOf(facts!);
    const town = SEED_TOWNS.find((candidate) => candidate.slug === data.town)!;
    expect(text).toContain(message(lang, 'case.facts'));
    expect(text).toContain(town.name[lang]);
    expect(facts).toContain(`<a href="/${lang}/cases/?town=${data.town}">`);
    expect(text).toContain(data.period);
    expect(text).toContain(data.funding);
    expect(text).toContain(data.contact.name);
    const indicators = (data.indicators ?? []) as Array<{ name: string }>;
    if (indicators.length > 0) {
      const table = facts!.match(/<table class="indicators">([\s\S]*?)<\/table>/)?.[1];
      expect(table, 'indicators table').toBeDefined();
      expect(table).toContain(`<caption>${message(lang, 'case.indicators')}</caption>`);
      expect([...table!.matchAll(/<th scope="row">([\s\S]*?)<\/th>/g)].map((match) => textOf(match[1]!))).toEqual(indicators.map((indicator) => indicator.name));
    }
    const illustrative = mainOf(html).includes(`<strong>${message(lang, 'case.illustrative')}.</strong>`);
    expect(illustrative).toBe(data.illustrative === true);
  });

  it('the Ridder case says "Illustrative example"', () => {
    expect(mainOf(page(findItem('cases', 'ridder-heat-network'), 'en'))).toContain('Illustrative example');
  });
});

describe('a funding programme page', () => {
  const programmes = written.filter(({ item }) => item.collection === 'programmes');

  it.each(programmes)('$name says where applications stand', ({ item, lang }) => {
    const main = mainOf(page(item, lang));
    const status = expectedProgrammeStatus(item.versions[lang]!.data);
    expect(main.includes(message(lang, 'programme.closedNotice')), `closed notice (${status})`).toBe(status === 'closed');
    expect(main.includes(message(lang, 'programme.rolling')), `rolling (${status})`).toBe(status === 'rolling');
  });

  it('there are closed, open and rolling programmes to show', () => {
    const statuses = new Set(programmes.map(({ item, lang }) => expectedProgrammeStatus(item.versions[lang]!.data)));
    expect(statuses).toEqual(new Set(['open', 'closed', 'rolling']));
  });

  it('a closed one says applications have closed; a rolling one says they are accepted at any time', () => {
    expect(mainOf(page(findItem('programmes', 'heat-network-audit-vouchers'), 'ru'))).toContain('Приём заявок в эту программу завершён.');
    expect(mainOf(page(findItem('programmes', 'business-roadmap'), 'en'))).toContain('applications are accepted at any time');
  });
});

describe('an event page', () => {
  const events = written.filter(({ item }) => item.collection === 'events');

  it.each(events)('$name says when it has taken place', ({ item, lang }) => {
    const main = mainOf(page(item, lang));
    expect(main.includes(message(lang, 'event.tookPlace'))).toBe(expectedEventIsPast(item.versions[lang]!.data));
  });
});

describe('the knowledge centre landing page', () => {
  it.each(LANGS)('/%s/knowledge/ links every section and each topic\'s filtered lists', async (lang) => {
    const response = await request(server.url, `/${lang}/knowledge/`);
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(htmlLang(html)).toBe(lang);
    expect(h1Of(html)?.text).toBe(message(lang, 'knowledge.title'));
    expect(html).toContain(`<a href="/${lang}/search/">`);
    for (const collection of COLLECTIONS) {
      const path = `/${lang}/${SECTION_PATHS[collection]}/`;
      expect(html).toContain(`<a href="${path}">`);
      const topics = new Set(itemsOf(collection).flatMap((item) => versionFor(item, lang).file.data.topics as string[]));
      expect(topics.size).toBeGreaterThan(0);
      for (const topic of topics) {
        const count = expectedCards(collection, lang, { topic }).length;
        const sectionTitle = textOf(html.match(new RegExp(`<h2 id="newest-${SECTION_PATHS[collection]}"><a href="${path}">([^<]*)</a>`))?.[1] ?? '');
        expect(html, `${collection} ?topic=${topic}`).toContain(`<a href="${path}?topic=${topic}">${sectionTitle} (${count})</a>`);
      }
    }
  });

  it('a topic entry point leads to the list filtered by that topic', async () => {
    const response = await request(server.url, '/ru/cases/?topic=utilities-housing');
    expect(response.status).toBe(200);
    expect(await response.text()).toContain(message('ru', 'list.count', { count: expectedCards('cases', 'ru', { topic: 'utilities-housing' }).length }));
  });
});

describe("the association's own pages", () => {
  const contentPages = LANGS.flatMap((lang) => CONTENT_PAGES.map((slug) => ({ path: `/${lang}/${slug}/`, lang, slug })));

  it.each(contentPages)('$path answers 200 in its language', async ({ path, lang, slug }) => {
    const response = await request(server.url, path);
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(htmlLang(html)).toBe(lang);
    const file = contentFiles().find((candidate) => candidate.collection === 'pages' && candidate.folder === lang && candidate.slug === slug)!;
    expect(h1Of(html)?.text).toBe(file.data.title);
  });
});
