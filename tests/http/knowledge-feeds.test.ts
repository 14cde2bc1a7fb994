import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { beforeAll, describe, expect, it } from 'vitest';
import { asDate, COLLECTIONS, itemPath, itemsOf, knowledgeItems, LANGS, SECTION_PATHS, type Lang } from '../helpers/content.ts';
import { useServer } from '../helpers/server.ts';
import { request } from './support.ts';

/**
 * RSS feeds per section and language, and the sitemap: well-formed XML that names
 * only real pages (never a "not in this language" notice).
 */
const server = useServer();

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  isArray: (name) => ['item', 'url', 'sitemap', 'xhtml:link', 'category'].includes(name),
});

async function getXml(path: string): Promise<{ status: number; type: string; xml: string; doc: any }> {
  const response = await request(server.url, path);
  const xml = await response.text();
  const valid = XMLValidator.validate(xml);
  expect(valid, `${path} is not well-formed: ${JSON.stringify(valid)}`).toBe(true);
  return { status: response.status, type: response.headers.get('content-type') ?? '', xml, doc: parser.parse(xml) };
}

const LOCALES: Record<Lang, string> = { kk: 'kk-KZ', ru: 'ru-RU', en: 'en-GB' };

describe.each(COLLECTIONS)('the %s feed', (collection) => {
  it.each(LANGS)('in %s is well-formed RSS of the items written in that language, newest first', async (lang) => {
    const path = `/${lang}/${SECTION_PATHS[collection]}/rss.xml`;
    const { status, type, doc } = await getXml(path);
    expect(status).toBe(200);
    expect(type).toMatch(/^(application\/rss\+xml|application\/xml|text\/xml)\b/);
    const channel = doc.rss?.channel;
    expect(doc.rss?.['@version']).toBe('2.0');
    expect(channel.language).toBe(LOCALES[lang]);
    expect(String(channel.title).length).toBeGreaterThan(3);

    const items: any[] = channel.item ?? [];
    const writtenHere = itemsOf(collection).filter((item) => item.languages.includes(lang));
    expect(items).toHaveLength(writtenHere.length);
    const links = items.map((item) => String(item.link));
    for (const link of links) {
      const url = new URL(link);
      expect(url.protocol).toMatch(/^https?:$/);
      expect(link).toBe(url.href);
      const slug = url.pathname.match(new RegExp(`^/${lang}/${SECTION_PATHS[collection]}/([a-z0-9-]+)/$`))?.[1];
      expect(slug, `${link} is an item page in ${lang}`).toBeDefined();
      expect(writtenHere.map((item) => item.slug), `${link} is written in ${lang}`).toContain(slug);
    }
    expect(new Set(links).size).toBe(links.length);

    // Each entry carries the title of the version written in this language.
    for (const entry of items) {
      const slug = new URL(String(entry.link)).pathname.split('/')[3]!;
      const version = writtenHere.find((item) => item.slug === slug)!.versions[lang]!;
      expect(String(entry.title)).toBe(version.data.title);
      expect(new Date(entry.pubDate).getTime()).toBe(asDate(version.data.date).getTime());
    }
    const dates = items.map((entry) => new Date(entry.pubDate).getTime());
    expect(dates).toEqual([...dates].sort((a, b) => b - a));
  });
});

describe('the sitemap', () => {
  let urls: Array<{ loc: string; alternates: string[] }> = [];
  let origin = '';

  beforeAll(async () => {
    const index = await getXml('/sitemap-index.xml');
    expect(index.status).toBe(200);
    const sitemaps: string[] = (index.doc.sitemapindex?.sitemap ?? []).map((entry: any) => String(entry.loc));
    expect(sitemaps.length).toBeGreaterThan(0);
    for (const loc of sitemaps) {
      origin = new URL(loc).origin;
      const sitemap = await getXml(new URL(loc).pathname);
      expect(sitemap.status, loc).toBe(200);
      for (const url of sitemap.doc.urlset.url as any[]) {
        urls.push({ loc: String(url.loc), alternates: ((url['xhtml:link'] ?? []) as any[]).map((link) => String(link['@href'])) });
      }
    }
  });

  const paths = () => new Set(urls.map((url) => new URL(url.loc).pathname));

  it('names every list page in every language', () => {
    const missing = LANGS.flatMap((lang) => COLLECTIONS.map((collection) => `/${lang}/${SECTION_PATHS[collection]}/`)).filter((path) => !paths().has(path));
    expect(missing).toEqual([]);
    for (const lang of LANGS) expect(paths()).toContain(`/${lang}/knowledge/`);
  });

  it('names every item page in each language the item is written in', () => {
    const missing = knowledgeItems()
      .flatMap((item) => item.languages.map((lang) => itemPath(item.collection, item.slug, lang)))
      .filter((path) => !paths().has(path));
    expect(missing).toEqual([]);
  });

  it('never names a "not in this language" notice, a 404 or a private page, not even as an alternate', () => {
    const notices = new Set(
      knowledgeItems().flatMap((item) => LANGS.filter((lang) => !item.languages.includes(lang)).map((lang) => itemPath(item.collection, item.slug, lang))),
    );
    expect(notices.size).toBeGreaterThan(0);
    const named = urls.flatMap((url) => [url.loc, ...url.alternates]).map((href) => new URL(href).pathname);
    expect(named.filter((path) => notices.has(path))).toEqual([]);
    expect(named.filter((path) => /(^|\/)404(\/|\.html|$)/.test(path))).toEqual([]);
    expect(named.filter((path) => /\/(account|sign-in|sign-out|editor|feedback|user-menu)\//.test(path))).toEqual([]);
  });

  it('uses absolute URLs on one origin, each once', () => {
    expect(urls.every((url) => new URL(url.loc).origin === origin)).toBe(true);
    expect(new Set(urls.map((url) => url.loc)).size).toBe(urls.length);
  });
});
