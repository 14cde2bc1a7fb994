import type { Kysely } from 'kysely';
import { isLanguage, type Language, type MessageKey } from '~/i18n/index.ts';
import { isSearchSection } from '~/lib/search/section-labels.ts';
import { words } from '~/lib/search/text.ts';
import type { CurrentUser } from '~/server/auth/lucia.ts';
import type { Database } from '~/server/db/schema.ts';
import { searchReaderFor } from './audiences.ts';
import { indexingProgress } from './resync.ts';
import { MAX_PAGE, MAX_QUERY_LENGTH, MAX_QUERY_WORDS, PAGE_SIZE, search, type SearchAnswer } from './query.ts';

/** What the search form holds: as the reader sent it, so a form with a problem shows it again. */
export interface SearchForm {
  q: string;
  section: string;
  lang: string;
  page: number;
}

export interface SearchPage {
  form: SearchForm;
  /** What is wrong with the request (the page answers 400 and searches nothing). */
  problems: MessageKey[];
  answer: SearchAnswer | null;
  pages: number;
  /** While the background pass over the database runs: how far it is, in percent (results may miss things); null when complete. */
  indexing: number | null;
}

/** Reads the search page's query string, checks it, and searches what this reader may find. */
export async function loadSearchPage(db: Kysely<Database>, user: CurrentUser | null, params: URLSearchParams): Promise<SearchPage> {
  const rawPage = params.get('page') ?? '';
  const form: SearchForm = { q: params.get('q') ?? '', section: params.get('section') ?? '', lang: params.get('lang') ?? '', page: 1 };
  const problems: MessageKey[] = [];
  if (form.q.length > MAX_QUERY_LENGTH) problems.push('search.problem.tooLong');
  else if (words(form.q).length > MAX_QUERY_WORDS) problems.push('search.problem.tooManyWords');
  if (form.section !== '' && !isSearchSection(form.section)) problems.push('search.problem.section');
  if (form.lang !== '' && !isLanguage(form.lang)) problems.push('search.problem.language');
  if (rawPage !== '') {
    const page = /^\d{1,3}$/.test(rawPage) ? Number(rawPage) : Number.NaN;
    if (!(page >= 1 && page <= MAX_PAGE)) problems.push('search.problem.page');
    else form.page = page;
  }
  const indexing = await indexingProgress(db);
  if (problems.length > 0 || form.q.trim() === '') return { form, problems, answer: null, pages: 0, indexing };
  const reader = await searchReaderFor(db, user);
  const answer = await search(db, {
    text: form.q,
    reader,
    section: form.section || undefined,
    lang: (form.lang || undefined) as Language | undefined,
    page: form.page,
  });
  return { form, problems, answer, pages: Math.min(MAX_PAGE, Math.ceil(answer.total / PAGE_SIZE)), indexing };
}

/** The search page's query string for a form (empty fields left out). */
export function searchQueryString(form: Partial<SearchForm>): string {
  const params = new URLSearchParams();
  if (form.q) params.set('q', form.q);
  if (form.section) params.set('section', form.section);
  if (form.lang) params.set('lang', form.lang);
  if (form.page && form.page > 1) params.set('page', String(form.page));
  const text = params.toString();
  return text === '' ? '' : `?${text}`;
}
