import rss from '@astrojs/rss';
import type { APIContext } from 'astro';
import { createTranslator, isLanguage, LOCALES } from '../../i18n/index.ts';
import { loadItems } from './items.ts';
import { SECTIONS, type SectionCollection } from './sections.ts';

/** The RSS feed of one collection in one language: the items written in that language, newest first. */
export async function collectionFeed(collection: SectionCollection, context: APIContext): Promise<Response> {
  const lang = context.params.lang;
  if (!isLanguage(lang)) return new Response(null, { status: 404 });
  const t = createTranslator(lang);
  const section = SECTIONS[collection];
  const site = context.site ?? context.url;
  const entries = (await loadItems(collection))
    .map((item) => item.versions[lang])
    .filter((entry) => entry !== undefined)
    .sort((a, b) => b.data.date.getTime() - a.data.date.getTime());
  return rss({
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
}
