import type { Kysely } from 'kysely';
import type { Language } from '~/i18n/index.ts';
import { zonedYear } from '~/lib/format.ts';
import { PAGE_SIZE, type ListQuery } from '~/lib/knowledge/list-query.ts';
import type { FilterName, Section } from '~/lib/knowledge/sections.ts';
import { eventIsPast, programmeStatus } from '~/lib/knowledge/status.ts';
import type { Database } from '~/server/db/schema.ts';
import { byReaderLanguageThenDate, loadItems, toCard, type ItemCard, type KnowledgeItem } from './items.ts';

/** One value of a filter and how many items it would show, the other filters kept. */
export interface FacetValue {
  value: string;
  count: number;
}

/** One page of a filtered list, with what the filter form needs. */
export interface ListPage {
  cards: ItemCard[];
  total: number;
  page: number;
  pages: number;
  /**
   * For each of the section's filters, the values present in this collection, each with
   * how many items choosing it would list given the other filters now set (so the
   * counts say what combining leads to).
   */
  facets: Partial<Record<FilterName, FacetValue[]>>;
}

const years = new Map<number, string>();
/** The year of a date in the association's time zone, remembered (Intl formatting per card per request is the list's main cost). */
function yearOf(date: Date): string {
  const time = date.getTime();
  let year = years.get(time);
  if (year === undefined) {
    year = String(zonedYear(date));
    if (years.size > 50_000) years.clear();
    years.set(time, year);
  }
  return year;
}

/** The values an item has for one filter (an item may have several, or none). */
function valuesOf(card: ItemCard, name: FilterName, now: Date): string[] {
  switch (name) {
    case 'topic':
      return card.topics;
    case 'type':
      return card.type ? [card.type] : [];
    case 'programme':
      return card.programmes;
    case 'region':
      return card.regions;
    case 'town':
      return card.towns;
    case 'language':
      return card.languages;
    case 'year':
      return [yearOf(card.date)];
    case 'status':
      return card.collection === 'programmes' ? [programmeStatus(card.deadline, now)] : [];
    case 'when':
      return card.start ? [eventIsPast(card.start, card.end, now) ? 'past' : 'upcoming'] : [];
    case 'format':
      return card.format ? [card.format] : [];
  }
}

/** The filters set in a query, as strings (the form's values). */
function chosen(query: ListQuery, section: Section): Array<[FilterName, string]> {
  return section.filters.flatMap((name) => {
    const value = (query as unknown as Record<string, unknown>)[name];
    return value === undefined ? [] : [[name, String(value)] as [FilterName, string]];
  });
}

function matchesText(card: ItemCard, q: string | undefined): boolean {
  if (!q) return true;
  return `${card.title} ${card.summary}`.toLocaleLowerCase().includes(q.toLocaleLowerCase());
}

/** Whether a card passes a section's chosen filters and text search (the events calendar filters its month with it too). */
export function matchesQuery(card: ItemCard, query: ListQuery, section: Section, now: Date): boolean {
  return matchesText(card, query.q) && matches(card, chosen(query, section), now);
}

/** Whether a card passes every chosen filter except `except`. */
function matches(card: ItemCard, filters: Array<[FilterName, string]>, now: Date, except?: FilterName): boolean {
  return filters.every(([name, value]) => name === except || valuesOf(card, name, now).includes(value));
}

/** Events: upcoming ones first, soonest first; then past ones, latest first. */
function upcomingThenPast(now: Date) {
  return (a: ItemCard, b: ItemCard) => {
    const aPast = eventIsPast(a.start!, a.end, now);
    const bPast = eventIsPast(b.start!, b.end, now);
    if (aPast !== bPast) return aPast ? 1 : -1;
    return aPast ? b.start!.getTime() - a.start!.getTime() : a.start!.getTime() - b.start!.getTime();
  };
}

/**
 * The facets of a list: for each filter, each value present in the collection (the
 * chosen one even when nothing matches), counted over the items that pass the text
 * search and every other chosen filter.
 */
function facetsOf(cards: readonly ItemCard[], section: Section, filters: Array<[FilterName, string]>, q: string | undefined, now: Date): ListPage['facets'] {
  const facets: ListPage['facets'] = {};
  const searched = cards.filter((card) => matchesText(card, q));
  for (const name of section.filters) {
    const counts = new Map<string, number>();
    for (const card of cards) for (const value of valuesOf(card, name, now)) counts.set(value, 0);
    for (const card of searched) {
      if (!matches(card, filters, now, name)) continue;
      for (const value of new Set(valuesOf(card, name, now))) counts.set(value, (counts.get(value) ?? 0) + 1);
    }
    const current = filters.find(([filter]) => filter === name)?.[1];
    if (current !== undefined && !counts.has(current)) counts.set(current, 0);
    facets[name] = [...counts].map(([value, count]) => ({ value, count }));
  }
  return facets;
}

/**
 * Filters, orders and pages one collection for a reader, and counts each filter's
 * values. A page past the end is simply empty (the page says so); it is not an error.
 */
export async function listPage(section: Section, query: ListQuery, readerLang: Language, now: Date, db?: Kysely<Database>): Promise<ListPage> {
  const items = await loadItems(section.collection, db);
  // The same items (files, and portal items unchanged since) give the same page: kept per list
  // of items, by query and reader; lists whose facets depend on the time (events, programmes) per minute.
  const timed = section.filters.includes('when') || section.filters.includes('status');
  const key = `${readerLang}|${timed ? Math.floor(now.getTime() / 60_000) : ''}|${JSON.stringify(query)}`;
  let pages = keptPages.get(items);
  if (!pages) {
    pages = new Map();
    keptPages.set(items, pages);
  }
  let page = pages.get(key);
  if (!page) {
    if (pages.size >= 500) pages.clear();
    page = computeListPage(items, section, query, readerLang, now);
    pages.set(key, page);
  }
  return { ...page, cards: [...page.cards], facets: { ...page.facets } };
}

const keptPages = new WeakMap<KnowledgeItem[], Map<string, ListPage>>();

function computeListPage(items: KnowledgeItem[], section: Section, query: ListQuery, readerLang: Language, now: Date): ListPage {
  // With the language filter set, show that language's version.
  const shown = items.map((item) => toCard(item, readerLang, query.language));
  const filters = chosen(query, section);
  const matching = shown.filter((card) => matchesText(card, query.q) && matches(card, filters, now));
  matching.sort(section.collection === 'events' ? upcomingThenPast(now) : byReaderLanguageThenDate(query.language ?? readerLang));
  const pages = Math.max(1, Math.ceil(matching.length / PAGE_SIZE));
  return {
    cards: matching.slice((query.page - 1) * PAGE_SIZE, query.page * PAGE_SIZE),
    total: matching.length,
    page: query.page,
    pages,
    facets: facetsOf(shown, section, filters, query.q, now),
  };
}
