import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { DEMO_MEMBER_CASES } from '../../db/seed/cases.ts';
import { SEED_TOWNS } from '../../db/seed/towns.ts';

/**
 * The knowledge centre's content as the tests see it: read straight from
 * content/<collection>/<lang>/<slug>.md with node:fs and a plain frontmatter split,
 * never through the app's own loaders, so expectations are computed independently.
 */
export const CONTENT_DIR = join(process.cwd(), 'content');

/** The UI languages, in the portal's order (a reader without their own version sees the first that exists). */
export const LANGS = ['kk', 'ru', 'en'] as const;
export type Lang = (typeof LANGS)[number];

/** Knowledge-centre collections and the URL segment each is listed under. */
export const SECTION_PATHS = { resources: 'resources', cases: 'cases', programmes: 'funding', news: 'news', events: 'events' } as const;
export type Collection = keyof typeof SECTION_PATHS;
export const COLLECTIONS = Object.keys(SECTION_PATHS) as Collection[];

/** The association's own pages (content/pages). */
export const CONTENT_PAGES = ['about', 'membership', 'privacy', 'accessibility', 'contact'] as const;

/** One markdown file. */
export interface ContentFile {
  collection: string;
  /** The folder it sits in (a language, if the file is where it should be). */
  folder: string;
  slug: string;
  file: string;
  data: Record<string, any>;
  body: string;
}

/** One item: the same slug in one or more languages. */
export interface Item {
  collection: Collection;
  slug: string;
  languages: Lang[];
  versions: Partial<Record<Lang, ContentFile>>;
}

/** Splits `---\n<yaml>\n---\n<body>`. */
export function splitFrontmatter(text: string): { frontmatter: string; body: string } {
  const match = text.match(/^---\r?\n([\s\S]*?)\r?\n---\r?\n?([\s\S]*)$/);
  if (!match) throw new Error('no frontmatter');
  return { frontmatter: match[1]!, body: match[2]! };
}

let files: ContentFile[] | undefined;

/** Every markdown file under content/, whatever folder it is in. */
export function contentFiles(): ContentFile[] {
  if (files) return files;
  files = [];
  for (const collection of readdirSync(CONTENT_DIR)) {
    const collectionDir = join(CONTENT_DIR, collection);
    if (!statSync(collectionDir).isDirectory() || collection === 'taxonomies') continue;
    for (const entry of readdirSync(collectionDir)) {
      const path = join(collectionDir, entry);
      const inFolder = statSync(path).isDirectory() ? readdirSync(path).map((name) => join(path, name)) : [path];
      for (const file of inFolder.filter((name) => name.endsWith('.md'))) {
        const { frontmatter, body } = splitFrontmatter(readFileSync(file, 'utf8'));
        files.push({
          collection,
          folder: statSync(path).isDirectory() ? entry : '',
          slug: file.slice(file.lastIndexOf('/') + 1, -'.md'.length),
          file: file.slice(process.cwd().length + 1),
          data: parse(frontmatter) as Record<string, any>,
          body,
        });
      }
    }
  }
  return files;
}

let items: Item[] | undefined;

/** Every knowledge-centre item, grouped across languages. */
export function knowledgeItems(): Item[] {
  if (items) return items;
  const bySlug = new Map<string, Item>();
  for (const file of contentFiles()) {
    if (!(file.collection in SECTION_PATHS) || !(LANGS as readonly string[]).includes(file.folder)) continue;
    const collection = file.collection as Collection;
    const key = `${collection}/${file.slug}`;
    const item = bySlug.get(key) ?? { collection, slug: file.slug, languages: [], versions: {} };
    item.versions[file.folder as Lang] = file;
    bySlug.set(key, item);
  }
  items = [...bySlug.values()];
  for (const item of items) item.languages = LANGS.filter((lang) => item.versions[lang]);
  // The demo database's published member cases are listed beside the file cases.
  items.push(...demoMemberCaseItems());
  return items;
}

/**
 * The member towns' cases the demo database publishes (db/seed/cases.ts), as the
 * knowledge centre shows them: one text under each language it is written in, with the
 * same facts a file case has.
 */
export function demoMemberCaseItems(): Item[] {
  return DEMO_MEMBER_CASES.filter((demo) => demo.status === 'approved' && demo.slug).map((demo) => {
    const { content } = demo;
    const data = {
      title: content.title,
      summary: content.summary,
      date: new Date(demo.publishedAt! * 1000).toISOString(),
      topics: content.topics,
      town: demo.town,
      region: SEED_TOWNS.find((town) => town.slug === demo.town)!.region,
      period: content.period,
      cost: content.cost ?? undefined,
      funding: content.funding,
      contact: { name: content.contact.name, role: content.contact.role, ...(content.contact.email ? { email: content.contact.email } : {}) },
      indicators: content.indicators,
      illustrative: true,
      featured: false,
    };
    const languages = LANGS.filter((lang) => content.languages.includes(lang));
    const body = Object.values(content.sections).map((text) => `## …\n\n${text}`).join('\n\n');
    const versions = Object.fromEntries(languages.map((lang) => [lang, { collection: 'cases', folder: lang, slug: demo.slug!, file: 'db/seed/cases.ts', data, body }]));
    return { collection: 'cases' as const, slug: demo.slug!, languages, versions };
  });
}

export function itemsOf(collection: Collection): Item[] {
  return knowledgeItems().filter((item) => item.collection === collection);
}

export function findItem(collection: Collection, slug: string): Item {
  const item = knowledgeItems().find((candidate) => candidate.collection === collection && candidate.slug === slug);
  if (!item) throw new Error(`no item ${collection}/${slug} in content/`);
  return item;
}

/** The page of an item in a language. */
export function itemPath(collection: Collection, slug: string, lang: Lang): string {
  return `/${lang}/${SECTION_PATHS[collection]}/${slug}/`;
}

/** The version a reader of `lang` sees: their own, else the first that exists (kk, ru, en). */
export function versionFor(item: Item, lang: Lang): { lang: Lang; file: ContentFile } {
  const chosen = item.versions[lang] ? lang : item.languages[0]!;
  return { lang: chosen, file: item.versions[chosen]! };
}

/** A date from frontmatter (YAML gives strings for dates). */
export function asDate(value: unknown): Date {
  return value instanceof Date ? value : new Date(String(value));
}

/** Today's calendar date in Almaty, where the association works. */
export function almatyToday(now = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Almaty', year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}

/** A programme is open through its deadline day, closed after it, rolling without one. */
export function expectedProgrammeStatus(data: Record<string, any>, now = new Date()): 'open' | 'closed' | 'rolling' {
  if (data.deadline === undefined) return 'rolling';
  return almatyToday(now) <= asDate(data.deadline).toISOString().slice(0, 10) ? 'open' : 'closed';
}

/** An event is past once its end (or its start) has gone by. */
export function expectedEventIsPast(data: Record<string, any>, now = new Date()): boolean {
  return asDate(data.end ?? data.start).getTime() < now.getTime();
}

/** Decodes the few HTML entities Astro writes into text. */
export function decodeHtml(text: string): string {
  return text
    .replace(/&#x([0-9a-f]+);/gi, (_, hex: string) => String.fromCodePoint(parseInt(hex, 16)))
    .replace(/&#(\d+);/g, (_, dec: string) => String.fromCodePoint(Number(dec)))
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

/** The text of an HTML fragment, tags dropped, entities decoded, spaces collapsed. */
export function textOf(html: string): string {
  return decodeHtml(html.replace(/<[^>]*>/g, ' ')).replace(/\s+/g, ' ').trim();
}

/** The value of a `<meta property|name="…" content="…">`. */
export function metaContent(html: string, name: string): string | undefined {
  const tag = html.match(new RegExp(`<meta (?:property|name)="${name}" content="([^"]*)"`))?.[1];
  return tag === undefined ? undefined : decodeHtml(tag);
}
