import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { itemPath, itemsOf, LANGS, metaContent, textOf, type Collection, type Item, type Lang } from '../helpers/content.ts';
import { message } from '../helpers/knowledge.ts';
import { useServer } from '../helpers/server.ts';
import { htmlLang, request } from './support.ts';

/**
 * A file item read in a language it is not written in is answered by one shared
 * on-demand page (src/pages/[lang]/<section>/[slug].astro), not by a copy
 * prerendered per item and language: the build writes only the versions there are.
 */
const server = useServer();
const FILE_COLLECTIONS: Collection[] = ['resources', 'news', 'events', 'programmes'];
const client = join(process.cwd(), 'dist', 'client');
const mainOf = (html: string) => html.match(/<main[^>]*>([\s\S]*)<\/main>/)?.[1] ?? '';
const alternates = (html: string) => [...html.matchAll(/<link rel="alternate" hreflang="([^"]+)"/g)].map((match) => match[1]);

/** Every item page in a language the item lacks, in the file collections. */
const missing = FILE_COLLECTIONS.flatMap((collection) =>
  itemsOf(collection).flatMap((item: Item) =>
    LANGS.filter((lang) => !item.languages.includes(lang)).map((lang) => ({ name: itemPath(collection, item.slug, lang), item, lang })),
  ),
);
/** Of those, one per collection and one per interface language. */
const cases = [
  ...new Set([
    ...FILE_COLLECTIONS.map((collection) => missing.find((entry) => entry.item.collection === collection)!),
    ...LANGS.map((lang) => missing.find((entry) => entry.lang === lang)!),
  ]),
];

describe('the one on-demand page for an item in another language', () => {
  it('covers every file collection and every interface language', () => {
    expect(new Set(cases.map((entry) => entry.item.collection))).toEqual(new Set(FILE_COLLECTIONS));
    expect(new Set(cases.map((entry) => entry.lang))).toEqual(new Set(LANGS));
  });

  it('the build prerenders the versions an item is written in, and no copy for the other languages', () => {
    for (const { item, lang } of cases) {
      const file = (language: Lang) => join(client, itemPath(item.collection, item.slug, language), 'index.html');
      expect(existsSync(file(lang)), file(lang)).toBe(false);
      for (const written of item.languages) expect(existsSync(file(written)), file(written)).toBe(true);
    }
  });

  it.each(cases)('$name answers 200 in the reader’s interface, the text marked with its language, under a notice', async ({ item, lang }) => {
    const path = itemPath(item.collection, item.slug, lang);
    const response = await request(server.url, path);
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('public, max-age=0, must-revalidate');
    const html = await response.text();
    const main = mainOf(html);
    const shown = item.languages[0]!;
    expect(htmlLang(html)).toBe(lang);
    expect(main).toMatch(new RegExp(`<h1 lang="${shown}">`));
    expect(textOf(main.match(/<h1[^>]*>([\s\S]*?)<\/h1>/)![1]!)).toBe(item.versions[shown]!.data.title);
    expect(main).toMatch(new RegExp(`<div class="prose" lang="${shown}"`));
    expect(main).toContain(message(lang, 'textLanguage.notice', { language: message(lang, `language.${shown}`) }));
    for (const other of item.languages) {
      expect(main).toContain(`<a href="${itemPath(item.collection, item.slug, other)}" hreflang="${other}">${message(lang, `language.${other}`)}</a>`);
    }
    // Not for search engines: no canonical, no alternates, noindex; the language switcher stays on this address.
    expect(metaContent(html, 'robots')).toMatch(/\bnoindex\b/);
    expect(html).not.toContain('rel="canonical"');
    expect(alternates(html)).toEqual([]);
    for (const other of LANGS.filter((language) => language !== lang)) expect(html).toContain(`<a href="${itemPath(item.collection, item.slug, other)}" hreflang="${other}" lang="${other}">`);
  });

  it.each(LANGS)('an unknown item under /%s/ is 404 in that language', async (lang) => {
    for (const collection of FILE_COLLECTIONS) {
      const response = await request(server.url, itemPath(collection, 'no-such-item', lang));
      expect(response.status).toBe(404);
      expect(htmlLang(await response.text())).toBe(lang);
    }
  });
});
