import type { Kysely } from 'kysely';
import { createTranslator, LANGUAGES, type Language } from '~/i18n/index.ts';
import type { Database } from '~/server/db/schema.ts';
import type { SearchDocument } from '../documents.ts';
import { pagedSource } from './paging.ts';
import { documentKey, replaceThing } from './store.ts';
import { truncateText } from '~/server/markdown.ts';
import { guessLanguage, inTransaction, joinText, plainText, parseList } from './text.ts';

/**
 * The expertise exchange, for members (src/server/exchange/rules.ts): a request every
 * member may read (published, not hidden) and its responses that are neither withdrawn
 * nor hidden. Drafts, withdrawn requests and hidden posts are seen only by their town,
 * author or editors, so they are not indexed at all.
 */
export const REQUESTS_SOURCE = 'requests';
export const RESPONSES_SOURCE = 'responses';

/** The statuses every member reads (as src/server/exchange/requests.ts PUBLISHED_STATUSES; not imported, which would make a cycle). */
const PUBLISHED_STATUSES: readonly string[] = ['open', 'in_progress', 'resolved'];

interface RequestFacts {
  id: number;
  title: string;
  body: string;
  topics: string;
  status: string;
  outcome: string | null;
  hidden_at: number | null;
  published_at: number | null;
  town: Record<Language, string>;
}

interface ResponseFacts {
  id: number;
  body: string;
  withdrawn_at: number | null;
  hidden_at: number | null;
  created_at: number;
}

/** Whether every member may read a request. */
export function requestIsFindable(request: Pick<RequestFacts, 'status' | 'hidden_at'>): boolean {
  return PUBLISHED_STATUSES.includes(request.status) && request.hidden_at === null;
}

/** A request's documents: one, in the language it is written in; none unless every member may read it. */
export function requestDocuments(request: RequestFacts): SearchDocument[] {
  if (!requestIsFindable(request)) return [];
  const body = plainText(request.body);
  const lang = guessLanguage(`${request.title} ${body}`, 'ru');
  return [{
    key: documentKey(REQUESTS_SOURCE, request.id, lang),
    source: REQUESTS_SOURCE,
    section: 'exchange',
    lang,
    path: `/exchange/${request.id}/`,
    title: request.title,
    summary: truncateText(body, 300),
    body: joinText(body, plainText(request.outcome), ...new Set(LANGUAGES.map((language) => request.town[language]))),
    topics: parseList(request.topics),
    audience: 'members',
    publishedAt: request.published_at,
  }];
}

/** A response's documents: none unless its request is findable and it is neither withdrawn nor hidden. */
export function responseDocuments(response: ResponseFacts, request: RequestFacts): SearchDocument[] {
  if (!requestIsFindable(request) || response.withdrawn_at !== null || response.hidden_at !== null) return [];
  const body = plainText(response.body);
  const lang = guessLanguage(body, guessLanguage(request.title, 'ru'));
  return [{
    key: documentKey(RESPONSES_SOURCE, response.id, lang),
    source: RESPONSES_SOURCE,
    section: 'exchange',
    lang,
    path: `/exchange/${request.id}/#response-${response.id}`,
    title: createTranslator(lang)('searchsources.responseTo', { title: request.title }),
    summary: truncateText(body, 300),
    body,
    audience: 'members',
    publishedAt: response.created_at,
  }];
}

function requestQuery(db: Kysely<Database>) {
  return db
    .selectFrom('help_requests')
    .innerJoin('towns', 'towns.id', 'help_requests.town_id')
    .select([
      'help_requests.id', 'help_requests.title', 'help_requests.body', 'help_requests.topics', 'help_requests.status', 'help_requests.outcome',
      'help_requests.hidden_at', 'help_requests.published_at', 'towns.name_kk', 'towns.name_ru', 'towns.name_en',
    ]);
}

function toRequestFacts(row: Omit<RequestFacts, 'town'> & { name_kk: string; name_ru: string; name_en: string }): RequestFacts {
  const { name_kk, name_ru, name_en, ...request } = row;
  return { ...request, town: { kk: name_kk, ru: name_ru, en: name_en } };
}

const RESPONSE_COLUMNS = ['id', 'request_id', 'body', 'withdrawn_at', 'hidden_at', 'created_at'] as const;

/** Writes a request's documents and its responses' (they follow the request), as they stand now. */
export async function syncRequest(db: Kysely<Database>, requestId: number): Promise<void> {
  await inTransaction(db, async (trx) => {
    const row = await requestQuery(trx).where('help_requests.id', '=', requestId).executeTakeFirst();
    const request = row ? toRequestFacts(row) : undefined;
    await replaceThing(trx, REQUESTS_SOURCE, requestId, request ? requestDocuments(request) : []);
    const responses = await trx.selectFrom('help_responses').select(RESPONSE_COLUMNS).where('request_id', '=', requestId).execute();
    for (const response of responses) await replaceThing(trx, RESPONSES_SOURCE, response.id, request ? responseDocuments(response, request) : []);
  });
}

/** Writes one response's documents as it stands now (posted, edited, withdrawn, hidden). */
export async function syncResponse(db: Kysely<Database>, responseId: number): Promise<void> {
  await inTransaction(db, async (trx) => {
    const response = await trx.selectFrom('help_responses').select(RESPONSE_COLUMNS).where('id', '=', responseId).executeTakeFirst();
    const row = response ? await requestQuery(trx).where('help_requests.id', '=', response.request_id).executeTakeFirst() : undefined;
    await replaceThing(trx, RESPONSES_SOURCE, responseId, response && row ? responseDocuments(response, toRequestFacts(row)) : []);
  });
}

/** Every request's documents, a page of requests at a time. */
export const requestsSource = pagedSource({
  documentSource: REQUESTS_SOURCE,
  table: 'help_requests',
  rowsAfter: async (db, afterId, limit) => (await requestQuery(db).where('help_requests.id', '>', afterId).orderBy('help_requests.id').limit(limit).execute()).map(toRequestFacts),
  documents: (_db, requests) => requests.flatMap(requestDocuments),
});

/** Every response's documents, a page of responses at a time. */
export const responsesSource = pagedSource({
  documentSource: RESPONSES_SOURCE,
  table: 'help_responses',
  rowsAfter: (db, afterId, limit) => db.selectFrom('help_responses').select(RESPONSE_COLUMNS).where('id', '>', afterId).orderBy('id').limit(limit).execute(),
  documents: async (db, responses) => {
    const requestIds = [...new Set(responses.map((response) => response.request_id))];
    const requests = new Map(requestIds.length === 0 ? [] : (await requestQuery(db).where('help_requests.id', 'in', requestIds).execute()).map((row) => [row.id, toRequestFacts(row)]));
    return responses.flatMap((response) => responseDocuments(response, requests.get(response.request_id)!));
  },
});
