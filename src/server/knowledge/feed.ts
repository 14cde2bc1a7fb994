import rss from '@astrojs/rss';
import type { APIContext } from 'astro';
import type { Kysely } from 'kysely';
import { createTranslator, isLanguage, LOCALES, type Language } from '~/i18n/index.ts';
import { escapeHtml } from '~/lib/html.ts';
import { SECTIONS, type SectionCollection } from '~/lib/knowledge/sections.ts';
import { TAXONOMIES, termLabel } from '~/schemas/taxonomy.ts';
import type { Database } from '~/server/db/schema.ts';
import { shareWithAnonymousReaders } from '~/server/cache/shared-pages.ts';
import { loadItems, type KnowledgeEntry, type KnowledgeItem } from './items.ts';
import { keptPerObject } from '~/lib/kept-per-object.ts';

const ATOM = 'http://www.w3.org/2005/Atom';

/** How many items a feed holds, newest first. */
export const FEED_ITEMS = 100;

/**
 * The RSS feed of one collection in one language: the items written in that language,
 * newest first. Given the database (the on-demand cases feed), member cases are in it too.
 * The channel links its own section page (not the site's root), names its own address
 * (atom:link rel="self", which feed readers and validators expect) and says when it last
 * changed: the newest item's date, so a rebuild with nothing new changes nothing.
 * Categories are the topics' labels in the feed's language, never their ids.
 */
export async function collectionFeed(collection: SectionCollection, context: APIContext, db?: Kysely<Database>): Promise<Response> {
  const lang = context.params.lang;
  if (!isLanguage(lang)) return new Response(null, { status: 404 });
  const t = createTranslator(lang);
  const section = SECTIONS[collection];
  const site = context.site ?? context.url;
  const sectionPage = new URL(`/${lang}/${section.path}/`, site);
  const self = new URL(`/${lang}/${section.path}/rss.xml`, site);
  // The same for every reader who is not signed in: kept (src/node/page-cache.ts) until what it lists changes.
  if (db) shareWithAnonymousReaders(context.locals, collection === 'cases' ? ['cases', 'towns'] : ['editorial']);
  const entries = newestEntries(await loadItems(collection, db), lang);
  const lastChange = entries[0]?.data.date ?? new Date(0);
  const response = await rss({
    title: `${t(section.title)} — ${t('site.name')}`,
    description: t(section.intro),
    // @astrojs/rss writes `site` as the channel's <link>; item links are absolute paths, resolved against it.
    site: sectionPage,
    xmlns: { atom: ATOM },
    items: entries.map((entry) => ({
      title: entry.data.title,
      description: entry.data.summary,
      pubDate: entry.data.date,
      link: `/${lang}/${section.path}/${entry.id.split('/')[1]}/`,
      categories: entry.data.topics.map((topic) => termLabel(TAXONOMIES.topics, topic, lang)),
    })),
    customData: [
      `<language>${LOCALES[lang]}</language>`,
      `<lastBuildDate>${lastChange.toUTCString()}</lastBuildDate>`,
      `<atom:link href="${escapeHtml(self.href)}" rel="self" type="application/rss+xml"/>`,
    ].join(''),
  });
  if (db) response.headers.set('Cache-Control', 'public, max-age=300');
  return response;
}

const newest = keptPerObject<KnowledgeItem[], Language, KnowledgeEntry[]>();

/**
 * The newest FEED_ITEMS versions written in a language: feed readers want what is new
 * (thousands of portal items would make every poll megabytes). Sorted once per list of
 * items (until the items change), not on every poll.
 */
function newestEntries(items: KnowledgeItem[], lang: Language): KnowledgeEntry[] {
  return newest(items, lang, () =>
    items
      .map((item) => item.versions[lang])
      .filter((entry) => entry !== undefined)
      .sort((a, b) => b.data.date.getTime() - a.data.date.getTime())
      .slice(0, FEED_ITEMS),
  );
}
