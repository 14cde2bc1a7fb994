import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Language } from '~/i18n/languages.ts';
import { snippetHtml } from '~/lib/search/snippet.ts';
import { deletionVariants, deletionVariantsTwice, editDistance, foldKazakhLetters, MIN_TYPO_LENGTH } from '~/lib/search/spelling.ts';
import { stemKazakh } from '~/lib/search/kazakh-stemmer.ts';
import { indexTerm, queryTerms } from '~/lib/search/terms.ts';
import { alphabetOf, words } from '~/lib/search/text.ts';
import { cyrillicToLatin, latinToCyrillic } from '~/lib/search/transliterate.ts';
import { escapeHtml } from '~/lib/html.ts';
import { engineOf } from '~/server/db/dialect.ts';
import type { Database } from '~/server/db/schema.ts';
import type { SearchReader } from './audiences.ts';

/** Results on one page. */
export const PAGE_SIZE = 10;
/** The longest text searched, in characters. */
export const MAX_QUERY_LENGTH = 200;
/** The most words one search looks for. */
export const MAX_QUERY_WORDS = 8;
/** The last page one may ask for. */
export const MAX_PAGE = 50;
/** Terms one typed word may stand for at most (its stems, typo neighbours, transliterations). */
const MAX_ALTERNATIVES = 16;

export interface SearchQuery {
  text: string;
  reader: SearchReader;
  section?: string | undefined;
  lang?: Language | undefined;
  /** From 1. */
  page: number;
}

export interface SearchResult {
  key: string;
  title: string;
  /** The title, escaped, matched words in `<mark>`. */
  titleHtml: string;
  section: string;
  /** Without the language prefix: open it as `/<readerLang><path>`. */
  path: string;
  lang: Language;
  /** A passage around the matched words, escaped, matched words in `<mark>`. */
  snippetHtml: string;
  publishedAt: number | null;
}

export interface SearchAnswer {
  results: SearchResult[];
  total: number;
  /** True when there are more results than `total` (MAX_COUNTED): the reader sees "500+". */
  totalAtLeast: boolean;
  /** How many results each section has, with the language filter applied (not the section's). */
  sections: Record<string, number>;
  /** How many results each language has, with the section filter applied (not the language's). */
  languages: Partial<Record<Language, number>>;
  /** True when the section and language counts are lower bounds: counted among the first MAX_COUNTED matches only. */
  countsAtLeast: boolean;
  /** When nothing is found: a nearby query that finds something for this reader. */
  suggestion: string | null;
}

const EMPTY: SearchAnswer = { results: [], total: 0, totalAtLeast: false, sections: {}, languages: {}, countsAtLeast: false, suggestion: null };

/** One typed word and the terms it may stand for. */
interface QueryWord {
  word: string;
  terms: string[];
  /** Whether the word itself (or its spelling in the other alphabet) is known, not only words near it. */
  exact?: boolean;
  /** The nearest known word, when the word was taken as a typo of it. */
  nearest?: string;
}

/** The words of a search as the reader typed them (normalised, each once, at most MAX_QUERY_WORDS). */
export function queryWords(text: string): string[] {
  return [...new Set(words(text.slice(0, MAX_QUERY_LENGTH)))].slice(0, MAX_QUERY_WORDS);
}

/** The same word in the other alphabet, when it is written in Latin or Cyrillic letters. */
function transliterations(word: string): string[] {
  const alphabet = alphabetOf(word);
  if (alphabet === 'latin') return [latinToCyrillic(word)];
  if (alphabet === 'cyrillic' || alphabet === 'kazakh') return [cyrillicToLatin(word)];
  return [];
}

/** Known words one edit away from each of `surfaces`, with their terms. */
async function nearbyWords(db: Kysely<Database>, surfaces: readonly string[], twice = false): Promise<Array<{ surface: string; word: string; term: string; distance: number }>> {
  if (surfaces.length === 0) return [];
  const variants = new Set<string>();
  for (const surface of surfaces) for (const variant of twice ? deletionVariantsTwice(surface) : deletionVariants(surface)) variants.add(variant);
  const rows = await db
    .selectFrom('search_spellings as s')
    .innerJoin('search_words as w', 'w.word', 's.word')
    .select(['s.word', 'w.term'])
    .distinct()
    .where('s.variant', 'in', [...variants])
    .execute();
  const found: Array<{ surface: string; word: string; term: string; distance: number }> = [];
  for (const surface of surfaces) {
    for (const row of rows) {
      const distance = editDistance(surface, row.word);
      if (distance > 0 && distance <= (twice ? 2 : 1)) found.push({ surface, word: row.word, term: row.term, distance });
    }
  }
  return found;
}

/** Known words spelt with Kazakh letters that read as `surfaces` in Russian letters ("темиртау" → "теміртау"). */
async function kazakhSpellings(db: Kysely<Database>, surfaces: readonly string[]): Promise<Array<{ surface: string; term: string }>> {
  const cyrillic = surfaces.filter((surface) => alphabetOf(surface) === 'cyrillic' || alphabetOf(surface) === 'kazakh');
  if (cyrillic.length === 0) return [];
  const folded = new Map(cyrillic.map((surface) => [surface, foldKazakhLetters(surface)]));
  const rows = await db
    .selectFrom('search_spellings as s')
    .innerJoin('search_words as w', 'w.word', 's.word')
    .select(['s.word', 'w.term'])
    .distinct()
    .where('s.variant', 'in', [...new Set(folded.values())])
    .execute();
  return cyrillic.flatMap((surface) => rows.filter((row) => foldKazakhLetters(row.word) === folded.get(surface)).map((row) => ({ surface, term: row.term })));
}

/**
 * What each typed word may mean: its stems (and those of its transliteration, when
 * known), and known words that differ only in Kazakh letters; when none of them is a known term and the word has 5+ letters, the terms of
 * known words one edit away from it or its transliteration.
 */
async function expand(db: Kysely<Database>, typed: readonly string[]): Promise<QueryWord[]> {
  const candidates = typed.map((word) => ({ word, translits: transliterations(word) }));
  const allTerms = new Set<string>();
  for (const { word, translits } of candidates) for (const surface of [word, ...translits]) for (const term of queryTerms(surface)) allTerms.add(term);
  const known = new Set((await db.selectFrom('search_words').select('term').distinct().where('term', 'in', [...allTerms]).execute()).map((row) => row.term));
  const expanded = candidates.map(({ word, translits }) => {
    const terms = new Set(queryTerms(word));
    for (const surface of translits) for (const term of queryTerms(surface)) if (known.has(term)) terms.add(term);
    return { word, translits, terms, knownTerm: [...terms].some((term) => known.has(term)) };
  });
  // Also the Kazakh stem: "Темиртаудың" is "Теміртау" in the genitive.
  const spelt = expanded.map((entry) => ({ entry, surfaces: [entry.word, stemKazakh(entry.word), ...entry.translits] }));
  for (const found of await kazakhSpellings(db, [...new Set(spelt.flatMap((item) => item.surfaces))])) {
    for (const { entry, surfaces } of spelt) {
      if (surfaces.includes(found.surface)) {
        entry.terms.add(found.term);
        entry.knownTerm = true;
      }
    }
  }
  const needTypos = expanded.filter((entry) => !entry.knownTerm && [...entry.word].length >= MIN_TYPO_LENGTH);
  const surfaces = needTypos.flatMap((entry) => [entry.word, ...entry.translits]);
  const nearby = await nearbyWords(db, surfaces);
  const nearest = new Map<string, string>();
  for (const entry of needTypos) {
    const mine = new Set([entry.word, ...entry.translits]);
    for (const found of nearby) {
      if (!mine.has(found.surface)) continue;
      entry.terms.add(found.term);
      if (found.surface === entry.word && !nearest.has(entry.word)) nearest.set(entry.word, found.word);
    }
  }
  return expanded.map((entry) => ({ word: entry.word, terms: [...entry.terms].slice(0, MAX_ALTERNATIVES), exact: entry.knownTerm, nearest: nearest.get(entry.word) }));
}

/** Which documents the reader may find: the audiences they hold (and every group's, for editors). */
function audienceFilter(reader: SearchReader, column: string): RawBuilder<boolean> {
  const audiences = reader.audiences.length > 0 ? reader.audiences : ['public'];
  // One audience (a visitor's) as `=`, so PostgreSQL can use the index of public documents' terms (migration 0022).
  const held = audiences.length === 1 ? sql<boolean>`${sql.ref(column)} = ${audiences[0]}` : sql<boolean>`${sql.ref(column)} in (${sql.join(audiences)})`;
  return reader.everyGroup ? sql<boolean>`(${held} or ${sql.ref(column)} like 'group:%')` : held;
}

/** A term as FTS5 reads it: a quoted string. Terms hold letters and digits only, so no escaping is needed, but quotes are doubled anyway. */
const ftsString = (term: string) => `"${term.replaceAll('"', '""')}"`;
const tsString = (term: string) => `'${term.replaceAll('\\', '\\\\').replaceAll("'", "''")}'`;

/** Every word must match one of its terms. */
function matchExpression(db: Kysely<Database>, query: readonly QueryWord[]): string {
  if (engineOf(db) === 'postgres') return query.map((word) => `(${word.terms.map(tsString).join(' | ')})`).join(' & ');
  return query.map((word) => `(${word.terms.map(ftsString).join(' OR ')})`).join(' AND ');
}

interface Filters {
  section?: string | undefined;
  lang?: Language | undefined;
}

/**
 * Matches counted and ranked at most: every page one may open lies within them
 * (MAX_PAGE × PAGE_SIZE). Past it, a common word would make every search read, count
 * and rank most of the index (tens of thousands of rows at national scale): the answer
 * says "500+" instead, and ranks the first 500 matches the index yields.
 */
export const MAX_COUNTED = MAX_PAGE * PAGE_SIZE;

/** One matching document the reader may find, with its score (higher is better). */
interface Match {
  key: string;
  section: string;
  lang: string;
  publishedAt: number | null;
  score: number;
}

/**
 * Up to `limit` matching documents the reader may find, in the index's own order (on
 * SQLite the most recently indexed first; on PostgreSQL the table's order), each with
 * its score: title weighs most, then summary, then body. Stops reading the index once
 * `limit` are found, so its cost follows `limit`, not how common the words are.
 */
async function matches(db: Kysely<Database>, match: string, reader: SearchReader, filters: Filters, limit: number): Promise<Match[]> {
  if (engineOf(db) === 'postgres') {
    const section = filters.section ? sql`section = ${filters.section} and` : sql``;
    const lang = filters.lang ? sql`lang = ${filters.lang} and` : sql``;
    // Weights in ts_rank's order D, C, B, A: body (C) 0.1, summary (B) 0.4, title (A) 1.
    const { rows } = await withoutSequentialScan(db, (connection) =>
      sql<{ key: string; section: string; lang: string; published_at: number | null; score: number }>`
        select key, section, lang, published_at, ts_rank('{0.05, 0.1, 0.4, 1.0}', terms, ${match}::tsquery) as score from search_vectors
        where ${section} ${lang} ${audienceFilter(reader, 'audience')} and terms @@ ${match}::tsquery
        limit ${limit}`.execute(connection),
    );
    return rows.map((row) => ({ key: row.key, section: row.section, lang: row.lang, publishedAt: row.published_at === null ? null : Number(row.published_at), score: Number(row.score) }));
  }
  const section = filters.section ? sql`and e.section = ${filters.section}` : sql``;
  const lang = filters.lang ? sql`and e.lang = ${filters.lang}` : sql``;
  // bm25 is smaller for better matches; columns title, summary, body weigh 10, 4, 1.
  const { rows } = await sql<{ key: string; section: string; lang: string; published_at: number | null; score: number }>`
    select e.key, e.section, e.lang, e.published_at, -bm25(search_index, 10.0, 4.0, 1.0) as score
    from search_index join search_entries as e on e.id = search_index.rowid
    where search_index match ${match} and ${audienceFilter(reader, 'e.audience')} ${section} ${lang}
    order by search_index.rowid desc
    limit ${limit}`.execute(db);
  return rows.map((row) => ({ key: row.key, section: row.section, lang: row.lang, publishedAt: row.published_at === null ? null : Number(row.published_at), score: row.score }));
}

/**
 * Runs a PostgreSQL search statement with sequential scans ruled out. With a LIMIT and a
 * common word, the planner reads the table in order until enough rows pass, costing each
 * `@@` as one operator; but each row's tsvector is unpacked (de-TOASTed) first, and when
 * a filter or a member's few groups leave few rows passing, that read goes through most of
 * the table (0.7–1.8 s at 210,000 documents). Through the indexes (terms, partial terms of
 * public documents, section/language with audience: migrations 0019, 0022) the cost
 * follows the words' postings instead. Set for the one statement's connection, then reset;
 * inside a caller's transaction the statement runs as it is.
 */
async function withoutSequentialScan<T>(db: Kysely<Database>, work: (db: Kysely<Database>) => Promise<T>): Promise<T> {
  if (db.isTransaction) return work(db);
  return db.connection().execute(async (connection) => {
    await sql`set enable_seqscan = off`.execute(connection);
    try {
      return await work(connection);
    } finally {
      await sql`reset enable_seqscan`.execute(connection);
    }
  });
}

/** Best first: the higher score, then the newer, then by key (so pages never overlap). */
function byRank(a: Match, b: Match): number {
  if (a.score !== b.score) return b.score - a.score;
  if (a.publishedAt !== b.publishedAt) return a.publishedAt === null ? 1 : b.publishedAt === null ? -1 : b.publishedAt - a.publishedAt;
  return a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
}

/** The results of one page, with titles and snippets marked where the reader's words matched. */
async function resultsFor(db: Kysely<Database>, keys: readonly string[], query: readonly QueryWord[]): Promise<SearchResult[]> {
  if (keys.length === 0) return [];
  const rows = await db
    .selectFrom('search_documents')
    .select(['key', 'section', 'lang', 'path', 'title', 'summary', 'body', 'published_at'])
    .where('key', 'in', [...keys])
    .execute();
  const byKey = new Map(rows.map((row) => [row.key, row]));
  const wanted = new Set(query.flatMap((word) => word.terms));
  return keys.flatMap((key) => {
    const row = byKey.get(key);
    if (!row) return [];
    const matches = (word: string) => wanted.has(indexTerm(word, row.lang));
    const summaryMatches = snippetHtml(row.summary, matches);
    const passage = summaryMatches.includes('<mark>') || row.body === '' ? summaryMatches : snippetHtml(row.body, matches);
    return [{
      key,
      title: row.title,
      titleHtml: snippetHtml(row.title, matches, Number.MAX_SAFE_INTEGER),
      section: row.section,
      path: row.path,
      lang: row.lang,
      snippetHtml: passage === '' ? escapeHtml(row.summary) : passage,
      publishedAt: row.published_at === null ? null : Number(row.published_at),
    }];
  });
}

/**
 * A nearby query that finds something for this reader: each word the vocabulary does not
 * know replaced by the closest known word (two edits at most), tried closest first.
 * Checked against the reader's audiences, so it never names a word only others may find.
 */
async function suggest(db: Kysely<Database>, query: readonly QueryWord[], reader: SearchReader): Promise<string | null> {
  const unknown = query.filter((word) => !word.exact && [...word.word].length >= 3);
  if (unknown.length === 0) return null;
  const nearby = await nearbyWords(db, unknown.map((word) => word.word), true);
  const options = new Map<string, QueryWord[]>();
  for (const word of unknown) {
    const choices = new Map<string, { distance: number; terms: Set<string> }>();
    // A typo already forgiven: its nearest word is the suggestion for it.
    if (word.nearest) choices.set(word.nearest, { distance: 0, terms: new Set(word.terms) });
    for (const found of nearby.filter((candidate) => candidate.surface === word.word)) {
      const choice = choices.get(found.word) ?? { distance: found.distance, terms: new Set<string>() };
      choice.terms.add(found.term);
      choices.set(found.word, choice);
    }
    const ordered = [...choices].sort((a, b) => a[1].distance - b[1].distance || a[0].localeCompare(b[0])).slice(0, 4);
    if (ordered.length > 0) options.set(word.word, ordered.map(([spelling, choice]) => ({ word: spelling, terms: [...choice.terms] })));
  }
  if (options.size === 0) return null;
  // The closest choice for every word first; then one word at a time on its next choices.
  const attempts: Array<Map<string, QueryWord>> = [new Map([...options].map(([word, list]) => [word, list[0]!]))];
  for (const [word, list] of options) for (const choice of list.slice(1)) attempts.push(new Map([...attempts[0]!, [word, choice]]));
  for (const attempt of attempts.slice(0, 8)) {
    const candidate = query.map((word) => attempt.get(word.word) ?? word);
    if ((await matches(db, matchExpression(db, candidate), reader, {}, 1)).length > 0) return candidate.map((word) => word.word).join(' ');
  }
  return null;
}

/** Searches what `reader` may find. The text is cut to MAX_QUERY_LENGTH characters and MAX_QUERY_WORDS words; callers check the bounds first. */
export async function search(db: Kysely<Database>, options: SearchQuery): Promise<SearchAnswer> {
  const typed = queryWords(options.text);
  if (typed.length === 0) return EMPTY;
  const query = await expand(db, typed);
  const match = matchExpression(db, query);
  // The counts come from the matches without filters; the filtered matches are among them, unless they were cut.
  const found = await matches(db, match, options.reader, {}, MAX_COUNTED + 1);
  const countsAtLeast = found.length > MAX_COUNTED;
  const counted = found.slice(0, MAX_COUNTED);
  const sections: Record<string, number> = {};
  const languages: Partial<Record<Language, number>> = {};
  for (const row of counted) {
    if (!options.lang || row.lang === options.lang) sections[row.section] = (sections[row.section] ?? 0) + 1;
    if (!options.section || row.section === options.section) languages[row.lang as Language] = (languages[row.lang as Language] ?? 0) + 1;
  }
  const filters: Filters = { section: options.section, lang: options.lang };
  const filtered = !filters.section && !filters.lang ? found : !countsAtLeast ? found.filter((row) => (!filters.section || row.section === filters.section) && (!filters.lang || row.lang === filters.lang)) : await matches(db, match, options.reader, filters, MAX_COUNTED + 1);
  const totalAtLeast = filtered.length > MAX_COUNTED;
  const ranked = filtered.slice(0, MAX_COUNTED).sort(byRank);
  const page = Math.min(Math.max(1, Math.trunc(options.page)), MAX_PAGE);
  const keys = ranked.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE).map((row) => row.key);
  const results = await resultsFor(db, keys, query);
  const suggestion = found.length === 0 ? await suggest(db, query, options.reader) : null;
  return { results, total: ranked.length, totalAtLeast, sections, languages, countsAtLeast, suggestion };
}
