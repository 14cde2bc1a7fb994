import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, it } from 'vitest';
import type { Language } from '~/i18n/languages.ts';
import { words } from '~/lib/search/text.ts';
import type { SearchReader } from '~/server/search/audiences.ts';
import { saveSearchDocuments, type SearchDocument } from '~/server/search/documents.ts';
import { search } from '~/server/search/query.ts';
import { createTestDatabase } from '../helpers/database.ts';

// Search at national scale: 10,000 public items and 200,000 members' items (expertise
// requests, threads of 50 groups, profiles) in kk, ru and en, their text cut from the
// association's real content (content/**/*.md), so words, lengths and word frequencies
// are those of real pages. Prints the index build time and size, then p50/p95 of
// search() — the server's whole work for one query: expanding the words (stems, typos,
// the other alphabet), counting by section and language, one ranked page, snippets —
// for a visitor and for a member of five groups, with 1–3 words, typos and filters.
// Run on each engine:
//   QALA_TEST_ENGINE=sqlite npx vitest run --config vitest.bench.config.ts tests/bench/search.measure.ts
//   QALA_TEST_ENGINE=postgres npx vitest run --config vitest.bench.config.ts tests/bench/search.measure.ts
// BENCH_PUBLIC / BENCH_MEMBERS change the counts.
const PUBLIC = Number(process.env.BENCH_PUBLIC ?? 10_000);
const MEMBERS = Number(process.env.BENCH_MEMBERS ?? 200_000);
const QUERIES = 300;
const GROUPS = 50;
const engine = process.env.QALA_TEST_ENGINE ?? 'sqlite';

/** A small deterministic random generator (mulberry32), so every run indexes the same text. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
const rand = random(16);
const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)]!;

function* markdownFiles(dir: string): Generator<string> {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* markdownFiles(path);
    else if (name.endsWith('.md')) yield path;
  }
}

/** The real text of each language, as one stream of words (original spelling, as typed). */
function corpus(): Record<Language, string[]> {
  const streams: Record<Language, string[]> = { kk: [], ru: [], en: [] };
  for (const file of markdownFiles('content')) {
    const lang = file.split('/').find((part) => part === 'kk' || part === 'ru' || part === 'en') as Language | undefined;
    if (!lang) continue;
    const text = readFileSync(file, 'utf8').replace(/^---[\s\S]*?---/, '');
    for (const match of text.matchAll(/[\p{L}\p{N}]+/gu)) streams[lang].push(match[0]);
  }
  return streams;
}

const SECTIONS_PUBLIC = ['resources', 'cases', 'news', 'events', 'programmes', 'towns', 'groups', 'indicators'];
const SECTIONS_MEMBERS = ['exchange', 'threads', 'members'];
const LANGS: Language[] = ['kk', 'ru', 'en'];

let handle: Awaited<ReturnType<typeof createTestDatabase>>;
let stream: Record<Language, string[]>;
const passage = (lang: Language, length: number) => {
  const words = stream[lang];
  const start = Math.floor(rand() * (words.length - length));
  return words.slice(start, start + length).join(' ');
};

function document(index: number, members: boolean): SearchDocument {
  const lang = pick(LANGS);
  const section = pick(members ? SECTIONS_MEMBERS : SECTIONS_PUBLIC);
  const audience = !members ? 'public' : section === 'threads' ? (`group:${1 + (index % GROUPS)}` as const) : section === 'members' ? 'signed_in' : 'members';
  return {
    key: `${section}:${members ? 'm' : 'p'}${index}:${lang}`,
    source: section,
    section,
    lang,
    path: `/${section}/${index}/`,
    title: passage(lang, 4 + Math.floor(rand() * 8)),
    summary: passage(lang, 15 + Math.floor(rand() * 20)),
    body: passage(lang, 60 + Math.floor(rand() * 120)),
    audience,
    publishedAt: 1_600_000_000 + Math.floor(rand() * 200_000_000),
  };
}

async function indexSize(): Promise<string> {
  const { db } = handle;
  if (engine === 'postgres') {
    const { rows } = await sql<{ name: string; bytes: string }>`
      select relname as name, pg_total_relation_size(oid) as bytes from pg_class
      where relname in ('search_documents', 'search_vectors', 'search_words', 'search_spellings')`.execute(db);
    return rows.map((row) => `${row.name} ${(Number(row.bytes) / 1_048_576).toFixed(0)} MiB`).join(', ');
  }
  const { rows } = await sql<{ name: string; bytes: number }>`
    select case when name like 'search_index%' then 'search_index (FTS5)' else name end as name, sum(pgsize) as bytes from dbstat
    where name like 'search%' or name like 'sqlite_autoindex_search%' group by 1`.execute(db).catch(() => ({ rows: [] as Array<{ name: string; bytes: number }> }));
  if (rows.length === 0) return `database file ${(statSync(handle.path).size / 1_048_576).toFixed(0)} MiB`;
  return rows.map((row) => `${row.name} ${(row.bytes / 1_048_576).toFixed(0)} MiB`).join(', ');
}

beforeAll(async () => {
  stream = corpus();
  handle = await createTestDatabase();
  const started = performance.now();
  const batch = 500;
  for (const [count, members] of [[PUBLIC, false], [MEMBERS, true]] as const) {
    for (let start = 0; start < count; start += batch) {
      const documents = Array.from({ length: Math.min(batch, count - start) }, (_, k) => document(start + k, members));
      await saveSearchDocuments(handle.db, documents);
    }
  }
  const seconds = (performance.now() - started) / 1000;
  if (engine === 'postgres') await sql`vacuum analyze`.execute(handle.db);
  else await sql`analyze`.execute(handle.db);
  console.log(`${engine}: indexed ${PUBLIC} public + ${MEMBERS} members' documents in ${seconds.toFixed(0)} s (${((PUBLIC + MEMBERS) / seconds).toFixed(0)} documents/s); ${await indexSize()}`);
}, 3_600_000);
afterAll(() => handle?.cleanup());

/** A typo in a word: one letter swapped with the next, dropped, doubled or replaced. */
function typo(word: string): string {
  const letters = [...word];
  const at = 1 + Math.floor(rand() * (letters.length - 2));
  const kind = Math.floor(rand() * 4);
  if (kind === 0) [letters[at], letters[at + 1]] = [letters[at + 1]!, letters[at]!];
  else if (kind === 1) letters.splice(at, 1);
  else if (kind === 2) letters.splice(at, 0, letters[at]!);
  else letters[at] = letters[at] === 'а' || letters[at] === 'a' ? (/[a-z]/.test(letters[at]!) ? 'e' : 'е') : /[a-z]/.test(letters[at]!) ? 'a' : 'а';
  return letters.join('');
}

interface Query {
  text: string;
  section?: string;
  lang?: Language;
}

function queries(): Query[] {
  const list: Query[] = [];
  for (let n = 0; n < QUERIES; n++) {
    const lang = pick(LANGS);
    const count = 1 + (n % 3);
    const typed = Array.from({ length: count }, () => {
      // Words people search for: 4+ letters, taken from the real text.
      let word = '';
      while ([...word].length < 4) word = pick(stream[lang]).toLowerCase();
      return word;
    });
    if (n % 4 === 1) {
      const at = typed.findIndex((word) => [...word].length >= 6);
      if (at >= 0) typed[at] = typo(typed[at]!);
    }
    const query: Query = { text: typed.join(' ') };
    if (n % 5 === 2) query.lang = lang;
    if (n % 7 === 3) query.section = pick(SECTIONS_PUBLIC);
    list.push(query);
  }
  return list;
}

async function measure(label: string, reader: SearchReader, list: readonly Query[]): Promise<void> {
  const times: number[] = [];
  let found = 0;
  for (const query of list) {
    const started = performance.now();
    const answer = await search(handle.db, { text: query.text, reader, section: query.section, lang: query.lang, page: 1 });
    times.push(performance.now() - started);
    if (answer.total > 0) found += 1;
  }
  times.sort((a, b) => a - b);
  const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))]!.toFixed(1);
  console.log(`${engine} ${label}: p50 ${at(0.5)} ms, p95 ${at(0.95)} ms, max ${at(1)} ms over ${list.length} queries (${found} found something)`);
}

describe('search at national scale', () => {
  it('answers visitors and members', async () => {
    const list = queries();
    // Warm up the caches of the database (as a running server's would be).
    for (const query of list.slice(0, 30)) await search(handle.db, { text: query.text, reader: { audiences: ['public'], everyGroup: false }, page: 1 });
    await measure('visitor', { audiences: ['public'], everyGroup: false }, list);
    await measure('member of 5 groups', { audiences: ['public', 'signed_in', 'members', 'group:1', 'group:2', 'group:3', 'group:4', 'group:5'], everyGroup: false }, list);
    await measure('editor (every group)', { audiences: ['public', 'signed_in', 'members'], everyGroup: true }, list);
    const words1 = list.filter((query) => words(query.text).length === 1);
    await measure('member, one-word queries', { audiences: ['public', 'signed_in', 'members', 'group:1'], everyGroup: false }, words1);
  });
});
