import type { AstroGlobal } from 'astro';
import { parseListQuery, type ListQuery } from '~/lib/knowledge/list-query.ts';
import { SECTIONS, type Section, type SectionCollection } from '~/lib/knowledge/sections.ts';
import { db } from '~/server/db/index.ts';
import { listPage, type ListPage } from './list.ts';

/** Everything a list page renders. */
export interface ListRoute {
  section: Section;
  query: ListQuery;
  list: ListPage;
  /** Translated messages about filter values that cannot be right. */
  problems: string[];
}

/**
 * Reads the filters from the URL and loads the page of results. Impossible filter
 * values answer 400 with the form and a message, never a 500.
 */
export async function loadListRoute(page: Pick<AstroGlobal, 'url' | 'response' | 'locals'>, collection: SectionCollection): Promise<ListRoute> {
  const section = SECTIONS[collection];
  const parsed = parseListQuery(page.url.searchParams, section);
  const { lang, t } = page.locals;
  if (!parsed.ok) page.response.status = 400;
  const query = parsed.ok ? parsed.query : { page: 1 };
  // Lists are on demand: member towns' published cases are listed beside the file cases.
  const list = await listPage(section, query, lang, new Date(), db());
  if (!parsed.ok) list.cards = [];
  return { section, query: parsed.query, list, problems: parsed.ok ? [] : parsed.problems.map((key) => t(key)) };
}
