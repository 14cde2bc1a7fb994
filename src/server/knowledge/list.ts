import type { Kysely } from 'kysely';
import type { Language } from '~/i18n/index.ts';
import { zonedYear } from '~/lib/format.ts';
import { PAGE_SIZE, type ListQuery } from '~/lib/knowledge/list-query.ts';
import type { FilterName, Section } from '~/lib/knowledge/sections.ts';
import { eventIsPast, programmeStatus } from '~/lib/knowledge/status.ts';
import type { Database } from '~/server/db/schema.ts';
import { byReaderLanguageThenDate, loadItems, toCard, type ItemCard, type KnowledgeItem } from './items.ts';
import { keptPerObject } from '~/lib/kept-per-object.ts';

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
 * Filters, orders and pages one collection for a reader, and counts each filter's
 * values. A page past the end is simply empty (the page says so); it is not an error.
 */
export async function listPage(section: Section, query: ListQuery, readerLang: Language, now: Date, db?: Kysely<Database>): Promise<ListPage> {
  const items = await loadItems(section.collection, db);
  // The same items (files, and portal items unchanged since) give the same page: kept per list
  // of items, by query and reader; lists whose facets depend on the time (events, programmes) per minute.
  const timed = section.filters.includes('when') || section.filters.includes('status');
  const key = `${readerLang}|${timed ? Math.floor(now.getTime() / 60_000) : ''}|${JSON.stringify(query)}`;
  const page = keptPages(items, key, () => computeListPage(items, section, query, readerLang, now));
  return { ...page, cards: [...page.cards], facets: { ...page.facets } };
}

/** The list pages of one list of items, by reader language, time and query (at most 500 each: readers choose the queries). */
const keptPages = keptPerObject<KnowledgeItem[], string, ListPage>(500);

/** The filters whose values depend on the time (a programme's status, an event being past). */
const TIMED: ReadonlySet<FilterName> = new Set(['status', 'when']);

/**
 * A collection's cards for one reader and text language, worked out once per list of items
 * (so once per change of the portal's published items, not per request): each card's values
 * for the filters that do not depend on the time, as numbers (positions in the values
 * present), its lowercased text for the search box, the cards in the list's order, and (for
 * lists without time-dependent filters) the facets with nothing chosen.
 */
interface PreparedList {
  /** The cards in the items' order. */
  cards: readonly ItemCard[];
  /** Per untimed filter, the values present in the collection, in the order first met. */
  present: Partial<Record<FilterName, readonly string[]>>;
  /** Per untimed filter, per card (same positions as `cards`), its distinct values as positions in `present`. */
  valueIds: Partial<Record<FilterName, ReadonlyArray<readonly number[]>>>;
  /** Per card, its title and summary lowercased (what the search box matches). */
  text: readonly string[];
  /** Card positions in the list's order (reader's language first, then newest); events are ordered per request. */
  order: readonly number[];
  /** The facets of the whole list (no filter, no search), for sections without timed filters. */
  unfiltered?: ListPage['facets'];
}

const preparedLists = keptPerObject<KnowledgeItem[], string, PreparedList>();

function preparedList(items: KnowledgeItem[], section: Section, readerLang: Language, textLang: Language | undefined): PreparedList {
  return preparedLists(items, `${readerLang}/${textLang ?? ''}`, () => prepare(items, section, readerLang, textLang));
}

/** Each card's distinct values of one filter as positions in the values present (the values present, in the order first met). */
function valueIdsOf(cards: readonly ItemCard[], name: FilterName, now: Date): { present: string[]; ids: number[][] } {
  const positions = new Map<string, number>();
  const ids = cards.map((card) => {
    const own: number[] = [];
    for (const value of valuesOf(card, name, now)) {
      let id = positions.get(value);
      if (id === undefined) positions.set(value, (id = positions.size));
      if (!own.includes(id)) own.push(id);
    }
    return own;
  });
  return { present: [...positions.keys()], ids };
}

function prepare(items: KnowledgeItem[], section: Section, readerLang: Language, textLang: Language | undefined): PreparedList {
  // With the language filter set, show that language's version.
  const cards = items.map((item) => toCard(item, readerLang, textLang));
  const present: PreparedList['present'] = {};
  const valueIds: Partial<Record<FilterName, number[][]>> = {};
  for (const name of section.filters) {
    if (TIMED.has(name)) continue;
    const values = valueIdsOf(cards, name, new Date(0)); // untimed filters do not read the time
    present[name] = values.present;
    valueIds[name] = values.ids;
  }
  const positions = cards.map((_, position) => position);
  // A stable sort of every card gives, filtered, the order a sort of the filtered cards gives.
  const byDate = byReaderLanguageThenDate(textLang ?? readerLang);
  const order = section.collection === 'events' ? positions : positions.sort((a, b) => byDate(cards[a]!, cards[b]!));
  const text = cards.map((card) => `${card.title} ${card.summary}`.toLocaleLowerCase());
  const prepared: PreparedList = { cards, present, valueIds, text, order };
  if (section.filters.every((name) => !TIMED.has(name))) prepared.unfiltered = countFacets(prepared, section, [], undefined, new Date(0)).facets;
  return prepared;
}

/**
 * One pass over the cards: those passing the text search and every chosen filter (in the
 * list's order), and each filter's facet counted over the cards passing the search and
 * every other chosen filter: a card failing no filter counts in every facet, one failing
 * exactly one filter counts in that filter's facet only, the others in none. Values are
 * counted by number, in arrays: no string hashing per card.
 */
function countFacets(prepared: PreparedList, section: Section, filters: Array<[FilterName, string]>, q: string | undefined, now: Date): { matching: number[]; facets: ListPage['facets'] } {
  const { cards, text, order } = prepared;
  const names = section.filters;
  // The time-dependent filters' values are worked out now; the others were prepared.
  const present: string[][] = [];
  const ids: Array<ReadonlyArray<readonly number[]>> = [];
  for (const name of names) {
    if (TIMED.has(name)) {
      const values = valueIdsOf(cards, name, now);
      present.push(values.present);
      ids.push(values.ids);
    } else {
      present.push(prepared.present[name] as string[]);
      ids.push(prepared.valueIds[name]!);
    }
  }
  const counts = present.map((values) => new Array<number>(values.length).fill(0));
  // Each chosen filter as (filter's position, the chosen value's id); a value no card has is -1.
  const wanted = filters.map(([name, value]) => {
    const at = names.indexOf(name);
    return { at, id: present[at]!.indexOf(value) };
  });
  const needle = q ? q.toLocaleLowerCase() : undefined;
  const matching: number[] = [];
  for (const position of order) {
    if (needle !== undefined && !text[position]!.includes(needle)) continue;
    let failed = -1;
    let failures = 0;
    for (const { at, id } of wanted) {
      if (id !== -1 && ids[at]![position]!.includes(id)) continue;
      failed = at;
      if (++failures > 1) break;
    }
    if (failures === 0) {
      matching.push(position);
      for (let at = 0; at < names.length; at++) for (const id of ids[at]![position]!) counts[at]![id]! += 1;
    } else if (failures === 1) {
      for (const id of ids[failed]![position]!) counts[failed]![id]! += 1;
    }
  }
  const facets: ListPage['facets'] = {};
  names.forEach((name, at) => {
    const values = present[at]!.map((value, id) => ({ value, count: counts[at]![id]! }));
    const current = filters.find(([filter]) => filter === name)?.[1];
    if (current !== undefined && !present[at]!.includes(current)) values.push({ value: current, count: 0 });
    facets[name] = values;
  });
  return { matching, facets };
}

function computeListPage(items: KnowledgeItem[], section: Section, query: ListQuery, readerLang: Language, now: Date): ListPage {
  const prepared = preparedList(items, section, readerLang, query.language);
  const filters = chosen(query, section);
  const everything = filters.length === 0 && !query.q && prepared.unfiltered !== undefined;
  const counted = everything ? { matching: prepared.order, facets: prepared.unfiltered! } : countFacets(prepared, section, filters, query.q, now);
  const from = (query.page - 1) * PAGE_SIZE;
  const to = query.page * PAGE_SIZE;
  // Only the page's cards are made into the page (events are ordered by the time first).
  const cards =
    section.collection === 'events'
      ? counted.matching.map((position) => prepared.cards[position]!).sort(upcomingThenPast(now)).slice(from, to)
      : counted.matching.slice(from, to).map((position) => prepared.cards[position]!);
  return {
    cards,
    total: counted.matching.length,
    page: query.page,
    pages: Math.max(1, Math.ceil(counted.matching.length / PAGE_SIZE)),
    facets: everything ? copiedFacets(counted.facets) : counted.facets,
  };
}

/** A copy of kept facets (each page gets its own arrays). */
function copiedFacets(facets: ListPage['facets']): ListPage['facets'] {
  return Object.fromEntries(Object.entries(facets).map(([name, values]) => [name, values!.map((value) => ({ ...value }))]));
}
