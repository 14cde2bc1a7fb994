import rss from '@astrojs/rss';
import type { APIContext } from 'astro';
import type { Kysely } from 'kysely';
import { createTranslator, isLanguage, LOCALES } from '~/i18n/index.ts';
import { SECTIONS, type SectionCollection } from '~/lib/knowledge/sections.ts';
import type { Database } from '~/server/db/schema.ts';
import { loadItems } from './items.ts';

/**
 * The RSS feed of one collection in one language: the items written in that language,
 * newest first. Given the database (the on-demand cases feed), member cases are in it too.
 */
export async function collectionFeed(collection: SectionCollection, context: APIContext, db?: Kysely<Database>): Promise<Response> {
  const lang = context.params.lang;
  if (!isLanguage(lang)) return new Response(null, { status: 404 });
  const t = createTranslator(lang);
  const section = SECTIONS[collection];
  const site = context.site ?? context.url;
  const entries = (await loadItems(collection, db))
    .map((item) => item.versions[lang])
    .filter((entry) => entry !== undefined)
    .sort((a, b) => b.data.date.getTime() - a.data.date.getTime());
  const response = await rss({
    title: `${t(section.title)} — ${t('site.name')}`,
    description: t(section.intro),
    site,
    items: entries.map((entry) => ({
      title: entry.data.title,
      description: entry.data.summary,
      pubDate: entry.data.date,
      link: `/${lang}/${section.path}/${entry.id.split('/')[1]}/`,
      categories: entry.data.topics,
    })),
    customData: `<language>${LOCALES[lang]}</language>`,
  });
  if (db) response.headers.set('Cache-Control', 'public, max-age=300');
  return response;
}
