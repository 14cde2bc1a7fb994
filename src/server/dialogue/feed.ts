import rss from '@astrojs/rss';
import type { APIContext } from 'astro';
import type { Kysely } from 'kysely';
import { createTranslator, isLanguage, LOCALES } from '~/i18n/index.ts';
import { escapeHtml } from '~/lib/html.ts';
import { TAXONOMIES, termLabel } from '~/schemas/taxonomy.ts';
import type { Database } from '~/server/db/schema.ts';
import { markdownToText } from '~/server/markdown.ts';
import { publicTopics, topicIdsOf } from './topics.ts';

const ATOM = 'http://www.w3.org/2005/Atom';

/**
 * The RSS feed of public dialogue topics (members-only and waiting ones never), in the
 * reader's interface language; each topic is written in one language and linked in the
 * reader's. Shaped like the knowledge feeds (src/server/knowledge/feed.ts).
 */
export async function dialogueFeed(context: APIContext, db: Kysely<Database>): Promise<Response> {
  const lang = context.params.lang;
  if (!isLanguage(lang)) return new Response(null, { status: 404 });
  const t = createTranslator(lang);
  const site = context.site ?? context.url;
  const topics = await publicTopics(db);
  const lastChange = new Date((topics[0]?.updated_at ?? 0) * 1000);
  const response = await rss({
    title: `${t('dialogue.title')} — ${t('site.name')}`,
    description: t('dialogue.intro'),
    site: new URL(`/${lang}/dialogue/`, site),
    xmlns: { atom: ATOM },
    items: topics.map((topic) => ({
      title: topic.title,
      description: markdownToText(topic.body, 300),
      pubDate: new Date((topic.approved_at ?? topic.updated_at) * 1000),
      link: `/${lang}/dialogue/${topic.id}/`,
      categories: [t(`dialogue.kind.${topic.kind}`), ...topicIdsOf(topic).map((id) => termLabel(TAXONOMIES.topics, id, lang))],
    })),
    customData: [
      `<language>${LOCALES[lang]}</language>`,
      `<lastBuildDate>${lastChange.toUTCString()}</lastBuildDate>`,
      `<atom:link href="${escapeHtml(new URL(`/${lang}/dialogue/rss.xml`, site).href)}" rel="self" type="application/rss+xml"/>`,
    ].join(''),
  });
  response.headers.set('Cache-Control', 'public, max-age=300');
  return response;
}
