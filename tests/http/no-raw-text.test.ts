import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { dictionaries, LANGUAGES, type Language } from '~/i18n/index.ts';
import { TAXONOMIES } from '~/schemas/taxonomy.ts';
import { notifyMembers } from '~/server/groups/notify.ts';
import { postForm, signIn } from '../helpers/http.ts';
import { testNotifier } from '../helpers/notified.ts';
import { readRows, withServerDatabase } from '../helpers/server-database.ts';
import { DEMO_PASSWORD, useServer } from '../helpers/server.ts';
import { request } from './support.ts';

/**
 * No raw text ever reaches a person: signed in as each demo role, the crawl follows the
 * portal's own links from a few starting pages, in kk, ru and en, and reads every page's
 * visible text (and the attributes people read: alt, title, aria-label, placeholder).
 * It fails on a link into another language's pages that is not a deliberate choice of
 * language (`hreflang`), a leftover `{placeholder}`, a value printed raw (`[object Object]`,
 * `undefined`), a dictionary key, a snake_case or dotted id,
 * a region or topic id, an internal user id, or another language's interface text left
 * unmarked (English on a kk/ru page, a Russian heading on a Kazakh one). Text marked with another language (`lang="…"`: a case written only in
 * English, a language's own name) is the author's words, not the interface, and is skipped;
 * so is `<code>`, which shows machine text on purpose (a cookie's name, a file's columns).
 */
const server = useServer();

/** The pages the crawl starts from for each role; it follows links from them. */
const ROLES: Array<{ name: string; email?: string; start: string[] }> = [
  { name: 'public', start: ['', 'knowledge/', 'resources/', 'cases/', 'news/', 'events/', 'funding/', 'towns/', 'groups/', 'indicators/', 'membership/', 'committees/', 'about/', 'sign-in/', 'password/forgot/', 'search/', 'search/?q=temirtau', 'search/?q=heat&section=nowhere', 'positions/', 'positions/utilities-renewal-transfer/versions/2/', 'dialogue/', 'partners/apply/'] },
  { name: 'member', email: 'temirtau@example.org', start: ['account/', 'account/profile/', 'account/notifications/', 'exchange/', 'exchange/new/', 'exchange/watch/', 'groups/', 'members/', 'search/?q=утечек', 'positions/utilities-renewal-transfer/', 'dialogue/', 'dialogue/new/'] },
  { name: 'town admin', email: 'temirtau-admin@example.org', start: ['account/', 'account/colleagues/', 'account/cases/', 'account/cases/new/', 'towns/temirtau/', 'groups/', 'positions/utilities-renewal-transfer/'] },
  { name: 'editor', email: 'editor@example.org', start: ['editor/applications/', 'editor/cases/', 'editor/groups/', 'editor/feedback/', 'editor/positions/', 'editor/positions/new/', 'editor/partners/', 'editor/partners/?status=approved', 'dialogue/', 'editor/content/', 'editor/content/translations/'] },
  { name: 'partner', email: 'partner-agency@example.org', start: ['account/', 'account/colleagues/', 'account/notifications/', 'dialogue/', 'dialogue/new/'] },
  { name: 'author', email: 'author@example.org', start: ['editor/content/', 'editor/content/new/?collection=events', 'editor/content/new/?collection=programmes', 'editor/content/translations/'] },
  { name: 'admin', email: 'admin@example.org', start: ['admin/accounts/', 'admin/audit/', 'admin/outbox/', 'admin/jobs/', 'editor/feedback/', 'editor/groups/', 'editor/applications/'] },
];

/** Pages one role reads in one language, at most: enough for every page type, few enough to be quick. */
const PAGE_LIMIT = 90;
/** Pages of one kind (the same path but for an id or slug) the crawl reads: one is enough to judge its words. */
const PER_KIND = 2;

/** Links the crawl does not follow: feeds, calendars, downloads, sign-out, actions, other sites. */
const SKIP = /(\.xml|\.ics|\.csv|\.json|\/files\/|sign-out|_action=)/;

/**
 * Texts that look like raw values but are a name or proper noun, each with its reason. Empty
 * today: towns, people and titles in the demo data match none of the id patterns, the
 * portal's name "Qala" is the same in every dictionary, and authors' text in another
 * language is marked `lang`. Add an entry only with its reason.
 */
const ALLOWED: ReadonlyArray<{ text: string; why: string }> = [];
const allowed = new Set(ALLOWED.map((entry) => entry.text));

const HTML_VOID = new Set(['area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'source', 'track', 'wbr']);
const READ_ATTRIBUTES = ['alt', 'title', 'aria-label', 'placeholder'];
/** Elements whose text is machine text shown as such. */
const MACHINE_TEXT = new Set(['code', 'kbd', 'samp']);
const MACHINE = 'machine text';

const decode = (text: string) =>
  text
    .replace(/&#(\d+);/g, (_, code: string) => String.fromCodePoint(Number(code)))
    .replace(/&#x([0-9a-f]+);/gi, (_, code: string) => String.fromCodePoint(Number.parseInt(code, 16)))
    .replace(/&quot;/g, '"')
    .replace(/&#39;|&apos;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&nbsp;/g, ' ')
    .replace(/&amp;/g, '&');

/**
 * The text a reader of the page's language reads: text nodes and read attributes outside
 * script/style and outside any element marked with another language.
 */
export function readableText(html: string, pageLang: string): string[] {
  const body = html.replace(/<!--[\s\S]*?-->|<!DOCTYPE[^>]*>/gi, '').replace(/<(script|style|template)\b[\s\S]*?<\/\1>/gi, '');
  const stack: Array<{ name: string; lang: string }> = [];
  const texts: string[] = [];
  const langHere = () => stack.at(-1)?.lang ?? pageLang;
  for (const token of body.matchAll(/<\/?([a-zA-Z][\w-]*)([^>]*)>|([^<]+)/g)) {
    const [whole, name, attributes = '', text] = token;
    if (text !== undefined) {
      if (langHere() === pageLang && text.trim()) texts.push(decode(text).trim());
      continue;
    }
    const tag = name!.toLowerCase();
    if (whole.startsWith('</')) {
      const index = stack.map((entry) => entry.name).lastIndexOf(tag);
      if (index >= 0) stack.length = index;
      continue;
    }
    const lang = MACHINE_TEXT.has(tag) ? MACHINE : (attributes.match(/\slang="([^"]*)"/)?.[1] ?? langHere());
    if (lang === pageLang && !/\saria-hidden="true"/.test(attributes)) {
      for (const attribute of READ_ATTRIBUTES) {
        const value = attributes.match(new RegExp(`\\s${attribute}="([^"]*)"`))?.[1];
        if (value?.trim()) texts.push(decode(value).trim());
      }
    }
    if (!HTML_VOID.has(tag) && !attributes.trimEnd().endsWith('/')) stack.push({ name: tag, lang });
  }
  return texts;
}

const KEYS = new Set(Object.keys(dictionaries.en));
/** Region, topic and other taxonomy ids that are written with a hyphen, the way none of their labels is. */
const TERM_IDS = new Set(
  [TAXONOMIES.regions, TAXONOMIES.topics, TAXONOMIES.resourceTypes, TAXONOMIES.industries].flat().map((term) => term.id).filter((id) => id.includes('-')),
);
/**
 * Interface text of another language that must not stand unmarked on a page: every other
 * language's dictionary values that differ from this language's, without placeholders, of
 * four characters or more (shorter ones are abbreviations such as "PDF"). On kk and ru
 * pages that is above all English; it also catches a Russian heading on a Kazakh page.
 */
function foreignInterface(lang: Language): Map<string, Language> {
  const own = new Set(Object.values(dictionaries[lang]).map((value) => value.trim()));
  const foreign = new Map<string, Language>();
  for (const other of LANGUAGES.filter((candidate) => candidate !== lang)) {
    for (const [key, value] of Object.entries(dictionaries[other])) {
      const text = value.trim();
      if (text !== dictionaries[lang][key as keyof typeof dictionaries.en].trim() && !own.has(text) && !text.includes('{') && text.length >= 4) foreign.set(text, other);
    }
  }
  return foreign;
}

/** What is wrong with one piece of readable text, if anything. */
function problemsIn(text: string, lang: Language, foreign: Map<string, Language>, userIds: readonly string[]): string[] {
  if (allowed.has(text)) return [];
  const problems: string[] = [];
  if (/\[object \w+\]|^(?:undefined|null|NaN)$/.test(text)) problems.push('a value printed raw');
  const placeholder = text.match(/\{[a-zA-Z_][\w.]*\}/);
  if (placeholder) problems.push(`placeholder ${placeholder[0]}`);
  for (const word of text.match(/[a-zA-Z][\w-]*(?:\.[a-zA-Z][\w-]*)+/g) ?? []) {
    if (KEYS.has(word)) problems.push(`dictionary key ${word}`);
  }
  const snake = text.match(/(?<![\w@.\/-])[a-z]+(?:_[a-z]+)+(?:\.[a-z_]+)?(?![\w@\/-])/);
  if (snake) problems.push(`id ${snake[0]}`);
  // A term id standing for its label (alone, or in a list of values); inside prose "iron-ore" is just a word.
  if (/^[a-z-]+(?:, [a-z-]+)*$/.test(text)) {
    for (const word of text.split(', ')) if (TERM_IDS.has(word)) problems.push(`term id ${word}`);
  }
  for (const id of userIds) if (text.includes(id) || text.includes(id.slice(0, 6) + '…')) problems.push(`user id ${id}`);
  const other = foreign.get(text);
  if (other) problems.push(`${other} interface text "${text}"`);
  return problems;
}

/**
 * Links that would move the reader out of their interface language: a link into another
 * language's pages is only right as a deliberate choice of language, which says so with
 * `hreflang` (the language switcher, an item's "versions" links).
 */
export function linksLeavingLanguage(html: string, lang: Language): string[] {
  return [...html.matchAll(/<a\s([^>]*)>/g)]
    .map(([, attributes]) => ({ href: attributes!.match(/href="([^"]*)"/)?.[1] ?? '', attributes: attributes! }))
    .filter(({ href, attributes }) => /^\/(kk|ru|en)\//.test(href) && !href.startsWith(`/${lang}/`) && !/\shreflang="/.test(` ${attributes}`))
    .map(({ href }) => `link leaves the reader's language: ${href}`);
}

/** The kind of a page, for PER_KIND: its path with numbers and the last slug made general. */
function kindOf(path: string): string {
  const parts = path.split('?')[0]!.split('/').filter(Boolean).slice(1);
  return parts.map((part, index) => (/^\d+$/.test(part) ? ':id' : index >= 1 && index === parts.length - 1 && parts.length > 1 ? ':slug' : part)).join('/');
}

async function crawl(lang: Language, start: readonly string[], cookie: string | undefined, userIds: readonly string[]): Promise<{ visited: string[]; problems: string[] }> {
  const foreign = foreignInterface(lang);
  const queue = start.map((path) => `/${lang}/${path}`);
  const seen = new Set(queue);
  const kinds = new Map<string, number>();
  const visited: string[] = [];
  const problems: string[] = [];
  while (queue.length > 0 && visited.length < PAGE_LIMIT) {
    const path = queue.shift()!;
    const kind = kindOf(path);
    // The pages it starts from are read whatever their kind.
    if ((kinds.get(kind) ?? 0) >= PER_KIND && !start.includes(path.slice(lang.length + 2))) continue;
    kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
    const response = await request(server.url, path, cookie ? { cookie } : {});
    if (!(response.headers.get('content-type') ?? '').includes('text/html')) continue;
    const html = await response.text();
    if (response.status >= 500) problems.push(`${path}: ${response.status}`);
    // A refusal (403, 404, 400) is a page too, with words to judge; a redirect is not.
    if (response.status >= 300 && response.status < 400) continue;
    visited.push(path);
    for (const text of readableText(html, lang)) {
      for (const problem of problemsIn(text, lang, foreign, userIds)) problems.push(`${path}: ${problem} in "${text.slice(0, 120)}"`);
    }
    for (const problem of linksLeavingLanguage(html, lang)) problems.push(`${path}: ${problem}`);
    for (const [, href] of html.matchAll(/<a [^>]*href="(\/[^"#]*)/g)) {
      const target = decode(href!);
      if (!target.startsWith(`/${lang}/`) || SKIP.test(target) || seen.has(target)) continue;
      // One filtered or paged list is enough: filters are judged on the list itself.
      if (target.includes('?') && seen.has(target.split('?')[0]!)) continue;
      seen.add(target);
      queue.push(target);
    }
  }
  return { visited, problems };
}

describe('no raw text on any page', () => {
  // The demo data has no membership application: one from a region whose id has a hyphen
  // gives the editors' queue and its page something to show (and the editors a notification).
  beforeAll(async () => {
    const applied = await postForm(server.url, '/ru/membership/apply/?_action=membership.apply', {
      townName: 'Риддер',
      region: 'east-kazakhstan',
      population: '48000',
      mainIndustry: 'Цветная металлургия',
      contactName: 'Ирина Соколова',
      email: 'i.sokolova@ridder.example.kz',
      phone: '+7 (72336) 4-12-34',
      motivation: 'Хотим делиться опытом обновления теплосетей и учиться у других моногородов.',
    });
    expect(applied.status).toBe(200);
    // And a notification whose names are stored with their translations, for the member's pages.
    const [member] = await readRows(server.databaseUrl, sql<{ id: string }>`select id from users where email = 'temirtau@example.org'`);
    const group = { kk: 'Коммуналдық желілерді жаңарту', ru: 'Обновление коммунальных сетей', en: 'Utilities renewal' };
    await withServerDatabase(server.databaseUrl, (db) =>
      notifyMembers(db, testNotifier(db).mailer, {
        recipients: [member!.id],
        actorId: null,
        kind: 'groups.added',
        params: (lang) => ({ name: 'Gulnara Akhmetova', group: group[lang] }),
        link: 'groups/utilities-renewal/',
        baseUrl: 'https://qala.test',
      }),
    );
  });

  it.each(ROLES.flatMap((role) => LANGUAGES.map((lang) => [role.name, lang, role] as const)))('%s in %s', async (_name, lang, role) => {
    const userIds = (await readRows(server.databaseUrl, sql<{ id: string }>`select id from users`)).map((row) => row.id);
    const cookie = role.email ? await signIn(server.url, role.email, DEMO_PASSWORD) : undefined;
    const { visited, problems } = await crawl(lang, role.start, cookie, userIds);
    // The crawl read every page it set out from (a missing one would hide everything behind it).
    expect(role.start.map((path) => `/${lang}/${path}`).filter((path) => !visited.includes(path))).toEqual([]);
    if (process.env.CRAWL_LOG) console.log(`${role.name} in ${lang}: ${visited.length} pages\n${visited.join('\n')}`);
    expect([...new Set(problems)]).toEqual([]);
  }, 120_000);
});

describe('the crawl\'s own checks', () => {
  const foreign = foreignInterface('ru');
  it('catch what they are for', () => {
    expect(problemsIn('New membership application from {town}', 'en', foreign, [])).not.toEqual([]);
    expect(problemsIn('sign_in.succeeded', 'ru', foreign, [])).not.toEqual([]);
    expect(problemsIn('east-kazakhstan', 'ru', foreign, [])).not.toEqual([]);
    expect(problemsIn('nav.home', 'kk', foreign, [])).not.toEqual([]);
    expect(problemsIn('Meeting of [object Object]', 'en', foreign, [])).not.toEqual([]);
    expect(problemsIn(dictionaries.en['notifications.markAllRead'], 'ru', foreign, [])).not.toEqual([]);
    expect(problemsIn('user: b14Ot2xyz', 'en', foreign, ['b14Ot2xyz'])).not.toEqual([]);
    expect(problemsIn(dictionaries.ru['notifications.markAllRead'], 'ru', foreign, [])).toEqual([]);
    // A case's Russian section heading, unmarked, on a Kazakh page.
    expect(problemsIn(dictionaries.ru['cases.section.challenge'], 'kk', foreignInterface('kk'), [])).not.toEqual([]);
  });

  it('catch a link into another language that does not say so', () => {
    expect(linksLeavingLanguage('<a href="/kk/resources/x/">T</a>', 'en')).toHaveLength(1);
    expect(linksLeavingLanguage('<a href="/kk/resources/x/" hreflang="kk">Қазақша</a><a href="/en/x/">x</a>', 'en')).toEqual([]);
  });

  it('skip text marked with another language', () => {
    expect(readableText('<main><p>Жылу</p><p lang="en">Mark all as read</p><img alt="Фото"></main>', 'ru')).toEqual(['Жылу', 'Фото']);
  });
});
