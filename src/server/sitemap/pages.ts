import type { Kysely } from 'kysely';
import { LANGUAGES, type Language } from '~/i18n/index.ts';
import { INDICATORS } from '~/lib/indicators/catalogue.ts';
import { compareHref, DEFAULT_COMPARE_TOWNS } from '~/lib/indicators/compare-query.ts';
import { KNOWLEDGE_EDITORIAL_COLLECTIONS } from '~/lib/editorial/frontmatter.ts';
import { ASSOCIATION_PAGE_SLUGS, associationPagePath, editorialPublicPath } from '~/lib/editorial/pages.ts';
import { SECTION_LIST } from '~/lib/knowledge/sections.ts';
import { publishedPortalItems } from '~/server/editorial/published.ts';
import type { Database } from '~/server/db/schema.ts';
import { publicTopics } from '~/server/dialogue/topics.ts';
import { listPublicGroups } from '~/server/groups/groups.ts';
import { listPublicPositions } from '~/server/positions/positions.ts';
import { listTowns } from '~/server/towns/towns.ts';

/**
 * One public page for the sitemap: its address in each language it exists in, without
 * the language prefix (`towns/ridder/`), optionally with a query string that is part
 * of what the page is (a comparison preset).
 */
export interface SitemapPage {
  path: string;
  search?: string;
  /** The languages the page exists in; all three when absent. */
  languages?: readonly Language[];
}

type PageSource = (db: Kysely<Database>) => SitemapPage[] | Promise<SitemapPage[]>;

/** A page that exists in every language. */
const page = (path: string, search?: string): SitemapPage => (search ? { path, search } : { path });

/**
 * Every public page rendered on demand, for /sitemap-pages.xml. Prerendered pages are
 * listed by the build (@astrojs/sitemap in astro.config.mjs) and case pages by
 * /sitemap-cases.xml. A new public on-demand page is one line here; a page for
 * members, for one person or behind a form never is (tests/http/sitemap.test.ts checks
 * every listed page answers 200 to a visitor and is not noindex).
 */
export const ON_DEMAND_PUBLIC_PAGES: readonly PageSource[] = [
  // The home page (it reads the next events and newest items from the database) and the committees.
  () => [page(''), page('committees/')],
  // The knowledge centre and its lists (filters live in the URL, so they are rendered per request).
  () => [page('knowledge/'), ...SECTION_LIST.map((section) => page(`${section.path}/`))],
  // Resources, programmes, news and events published in the editorial workspace (rendered
  // on demand), each in the languages it is written in; file items are prerendered, so the
  // build's sitemap lists them.
  async (db) =>
    (await Promise.all(KNOWLEDGE_EDITORIAL_COLLECTIONS.map((collection) => publishedPortalItems(db, collection))))
      .flat()
      .map((item) => ({ path: editorialPublicPath(item.collection, item.slug).slice(1), languages: item.languages })),
  // The association's own pages (about, privacy, …): on demand, as the portal may have a newer version than the file.
  () => ASSOCIATION_PAGE_SLUGS.map(associationPagePath).filter((path) => path !== '/').map((path) => page(path.slice(1))),
  // The town directory and every town's public profile.
  () => [page('towns/')],
  async (db) => (await listTowns(db)).map((town) => page(`towns/${town.slug}/`)),
  // Comparisons worth indexing: each catalogue indicator across the default towns.
  () => INDICATORS.map((indicator) => {
    const href = compareHref('kk', { indicator: indicator.id, towns: DEFAULT_COMPARE_TOWNS });
    return page('towns/compare/', href.slice(href.indexOf('?')));
  }),
  // Working groups: the public list and each group that is not private (nor archived).
  () => [page('groups/')],
  async (db) => (await listPublicGroups(db, 'en')).map((group) => page(`groups/${group.slug}/`)),
  // Positions: the list, and each in consultation or adopted (drafts never).
  () => [page('positions/')],
  async (db) => {
    const { consultation, adopted } = await listPublicPositions(db);
    return [...consultation, ...adopted].map((position) => page(`positions/${position.slug}/`));
  },
  // The dialogue space: the list, and each public topic (members-only and waiting ones never).
  () => [page('dialogue/')],
  async (db) => (await publicTopics(db, 10_000)).map((topic) => page(`dialogue/${topic.id}/`)),
];

/** All on-demand public pages, from every source above. */
export async function onDemandPublicPages(db: Kysely<Database>): Promise<SitemapPage[]> {
  const lists = await Promise.all(ON_DEMAND_PUBLIC_PAGES.map((source) => source(db)));
  return lists.flat();
}

/** The languages a sitemap page exists in. */
export function pageLanguages(entry: SitemapPage): readonly Language[] {
  return entry.languages ?? LANGUAGES;
}
