import type { Kysely } from 'kysely';
import type { Language } from '~/i18n/index.ts';
import { PAGE_SIZE, type ListQuery } from '~/lib/knowledge/list-query.ts';
import type { Section } from '~/lib/knowledge/sections.ts';
import { eventIsPast, programmeStatus } from '~/lib/knowledge/status.ts';
import type { Database } from '~/server/db/schema.ts';
import { byReaderLanguageThenDate, loadItems, toCard, type ItemCard } from './items.ts';

/** One page of a filtered list, with what the filter form needs. */
export interface ListPage {
  cards: ItemCard[];
  total: number;
  page: number;
  pages: number;
  /** Values present in this collection, for the filter form's choices. */
  options: { topics: string[]; types: string[]; regions: string[]; towns: string[]; years: number[] };
}

/** Whether a card passes a list's filters (the events calendar filters its month with it too). */
export function matches(card: ItemCard, query: ListQuery, now: Date): boolean {
  if (query.topic && !card.topics.includes(query.topic)) return false;
  if (query.type && card.type !== query.type) return false;
  if (query.region && card.region !== query.region) return false;
  if (query.town && card.town !== query.town) return false;
  if (query.language && !card.languages.includes(query.language)) return false;
  if (query.year && card.date.getUTCFullYear() !== query.year) return false;
  if (query.status && programmeStatus(card.deadline, now) !== query.status) return false;
  if (query.format && card.format !== query.format) return false;
  if (query.when && card.start && eventIsPast(card.start, card.end, now) !== (query.when === 'past')) return false;
  if (query.q) {
    const needle = query.q.toLocaleLowerCase();
    if (!`${card.title} ${card.summary}`.toLocaleLowerCase().includes(needle)) return false;
  }
  return true;
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

const distinct = <T,>(values: Array<T | undefined>) => [...new Set(values.filter((value): value is T => value !== undefined))];

/**
 * Filters, orders and pages one collection for a reader. A page past the end is
 * simply empty (the page says so); it is not an error.
 */
export async function listPage(section: Section, query: ListQuery, readerLang: Language, now: Date, db?: Kysely<Database>): Promise<ListPage> {
  const items = await loadItems(section.collection, db);
  const all = items.map((item) => toCard(item, readerLang));
  // With the language filter set, show that language's version.
  const shown = query.language ? items.map((item) => toCard(item, query.language!)) : all;
  const matching = shown.filter((card) => matches(card, query, now));
  matching.sort(section.collection === 'events' ? upcomingThenPast(now) : byReaderLanguageThenDate(query.language ?? readerLang));
  const pages = Math.max(1, Math.ceil(matching.length / PAGE_SIZE));
  return {
    cards: matching.slice((query.page - 1) * PAGE_SIZE, query.page * PAGE_SIZE),
    total: matching.length,
    page: query.page,
    pages,
    options: {
      topics: distinct(all.flatMap((card) => card.topics)),
      types: distinct(all.map((card) => card.type)),
      regions: distinct(all.map((card) => card.region)),
      towns: distinct(all.map((card) => card.town)),
      years: distinct(all.map((card) => card.date.getUTCFullYear())).sort((a, b) => b - a),
    },
  };
}
