import { createTranslator, type MessageKey } from '~/i18n/index.ts';
import {
  asDate,
  expectedEventIsPast,
  expectedProgrammeStatus,
  itemPath,
  itemsOf,
  textOf,
  versionFor,
  type Collection,
  type ContentFile,
  type Item,
  type Lang,
} from './content.ts';

/**
 * What a knowledge-centre list should show, computed from the content files, and
 * readers for the list pages' HTML.
 */

/** A list's filters as the URL carries them. */
export interface Filters {
  topic?: string;
  type?: string;
  region?: string;
  town?: string;
  language?: Lang;
  year?: number;
  status?: 'open' | 'closed' | 'rolling';
  when?: 'upcoming' | 'past';
  q?: string;
}

/** One expected card. */
export interface ExpectedCard {
  item: Item;
  lang: Lang;
  href: string;
  data: ContentFile['data'];
}

/** The items a list shows a reader for these filters (in no particular order). */
export function expectedCards(collection: Collection, readerLang: Lang, filters: Filters = {}, now = new Date()): ExpectedCard[] {
  return itemsOf(collection)
    .map((item) => {
      const { lang, file } = versionFor(item, filters.language ?? readerLang);
      // Links stay in the reader's interface, whatever language the card's text is in.
      return { item, lang, href: itemPath(collection, item.slug, readerLang), data: file.data };
    })
    .filter(({ item, data }) => {
      if (filters.topic && !(data.topics as string[]).includes(filters.topic)) return false;
      if (filters.type && data.type !== filters.type) return false;
      if (filters.region && data.region !== filters.region) return false;
      if (filters.town && data.town !== filters.town) return false;
      if (filters.language && !item.languages.includes(filters.language)) return false;
      if (filters.year && asDate(data.date).getUTCFullYear() !== filters.year) return false;
      if (filters.status && expectedProgrammeStatus(data, now) !== filters.status) return false;
      if (filters.when && expectedEventIsPast(data, now) !== (filters.when === 'past')) return false;
      if (filters.q && !`${data.title} ${data.summary}`.toLocaleLowerCase().includes(filters.q.toLocaleLowerCase())) return false;
      return true;
    });
}

/** The links of the item cards on a list page, in order. */
export function listedHrefs(html: string): string[] {
  return listedCards(html).map((card) => card.href);
}

/** The item cards on a list page, in order: each link and the language its text is in (hreflang, else the page's). */
export function listedCards(html: string): Array<{ href: string; lang: Lang }> {
  return [...html.matchAll(/class="item-card__title"><a href="([^"]+)"(?: hreflang="([^"]+)")?/g)].map((match) => ({
    href: match[1]!,
    lang: (match[2] ?? match[1]!.split('/')[1]) as Lang,
  }));
}

/** The text of the result count line. */
export function resultCount(html: string): string {
  const match = html.match(/<p class="result-count" role="status">([\s\S]*?)<\/p>/);
  return match ? textOf(match[1]!) : '';
}

/** The page's `rel="next"` pagination link, if any. */
export function nextPageLink(html: string): string | undefined {
  return html.match(/<a href="([^"]+)" rel="next">/)?.[1]?.replace(/&amp;/g, '&');
}

/** A message in a language, placeholders filled. */
export function message(lang: Lang, key: MessageKey, params?: Record<string, string | number>): string {
  return createTranslator(lang)(key, params);
}

/** The query string for filters. */
export function query(filters: Filters & { page?: number | string }): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(filters)) if (value !== undefined) params.set(name, String(value));
  const search = params.toString();
  return search ? `?${search}` : '';
}
