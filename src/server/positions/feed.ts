import rss from '@astrojs/rss';
import type { APIContext } from 'astro';
import type { Kysely } from 'kysely';
import { createTranslator, isLanguage, LOCALES } from '~/i18n/index.ts';
import { escapeHtml } from '~/lib/html.ts';
import { TAXONOMIES, termLabel } from '~/schemas/taxonomy.ts';
import type { Database } from '~/server/db/schema.ts';
import { listPublicPositions } from './positions.ts';

/**
 * The RSS feed of adopted positions, newest first, in the reader's interface language
 * (each position's text is in the language it was written in). Positions still in
 * consultation are not in it: the feed announces what the association now says.
 */
export async function adoptedPositionsFeed(context: APIContext, db: Kysely<Database>): Promise<Response> {
  const lang = context.params.lang;
  if (!isLanguage(lang)) return new Response(null, { status: 404 });
  const t = createTranslator(lang);
  const site = context.site ?? context.url;
  const page = new URL(`/${lang}/positions/`, site);
  const self = new URL(`/${lang}/positions/rss.xml`, site);
  const { adopted } = await listPublicPositions(db);
  const lastChange = new Date((adopted[0]?.adoptedAt ?? 0) * 1000);
  const response = await rss({
    title: `${t('positions.feed.title')} — ${t('site.name')}`,
    description: t('positions.intro'),
    site: page,
    xmlns: { atom: 'http://www.w3.org/2005/Atom' },
    items: adopted.map((position) => ({
      title: position.text.title,
      description: position.text.summary,
      pubDate: new Date((position.adoptedAt ?? 0) * 1000),
      link: `/${lang}/positions/${position.slug}/`,
      categories: position.topics.map((topic) => termLabel(TAXONOMIES.topics, topic, lang)),
    })),
    customData: [`<language>${LOCALES[lang]}</language>`, `<lastBuildDate>${lastChange.toUTCString()}</lastBuildDate>`, `<atom:link href="${escapeHtml(self.href)}" rel="self" type="application/rss+xml"/>`].join(''),
  });
  response.headers.set('Cache-Control', 'public, max-age=300');
  return response;
}
