import type { AstroGlobal } from 'astro';
import { parseListQuery, type ListQuery } from '~/lib/knowledge/list-query.ts';
import { SECTIONS, type Section, type SectionCollection } from '~/lib/knowledge/sections.ts';
import { shareWithAnonymousReaders } from '~/server/cache/shared-pages.ts';
import { db } from '~/server/db/index.ts';
import { loadFileItems, versionFor } from './items.ts';
import { listPage, type ListPage } from './list.ts';

/** Everything a list page renders. */
export interface ListRoute {
  section: Section;
  query: ListQuery;
  list: ListPage;
  /** Translated messages about filter values that cannot be right. */
  problems: string[];
  /** The funding programmes' titles in the reader's language (or the first they exist in), by slug: the programme filter's labels. */
  programmeTitles: Map<string, string>;
}

/**
 * Reads the filters from the URL and loads the page of results. Impossible filter
 * values answer 400 with the form and a message, never a 500.
 */
export async function loadListRoute(page: Pick<AstroGlobal, 'url' | 'response' | 'locals'>, collection: SectionCollection): Promise<ListRoute> {
  const section = SECTIONS[collection];
  const { lang, t } = page.locals;
  // Member cases carry their town's name; the other sections list files and portal items.
  shareWithAnonymousReaders(page.locals, collection === 'cases' ? ['cases', 'towns'] : ['editorial']);
  const programmes = section.filters.includes('programme') ? await loadFileItems('programmes') : [];
  const programmeTitles = new Map(programmes.map((item) => [item.slug, versionFor(item, lang).entry.data.title]));
  const parsed = parseListQuery(page.url.searchParams, section, { programmes: new Set(programmeTitles.keys()) });
  if (!parsed.ok) page.response.status = 400;
  const query = parsed.ok ? parsed.query : { page: 1 };
  // Lists are on demand: member towns' published cases are listed beside the file cases.
  const list = await listPage(section, query, lang, new Date(), db());
  if (!parsed.ok) list.cards = [];
  return { section, query: parsed.query, list, problems: parsed.ok ? [] : parsed.problems.map((key) => t(key)), programmeTitles };
}
