import { sql, type Kysely } from 'kysely';
import { availableParallelism, loadavg } from 'node:os';
import { afterAll, beforeAll, describe, it } from 'vitest';
import type { Language } from '~/i18n/languages.ts';
import { createDatabase } from '~/server/db/connection.ts';
import type { Database } from '~/server/db/schema.ts';
import type { SearchReader } from '~/server/search/audiences.ts';
import { search } from '~/server/search/query.ts';
import { engineOf } from '~/server/db/dialect.ts';
import { postgresUnavailable, processCpuMs, random } from './national.ts';
import { corpus, GROUPS, LANGS, MEMBERS, PUBLIC, SECTIONS_MEMBERS, SECTIONS_PUBLIC, searchPostgres, searchSqlite } from './search-data.ts';

// Search at national scale: 10,000 public items and 200,000 members' items (see
// search-data.ts: real kk/ru/en text, kept databases reused between runs). Prints
// p50/p95/p99 of search() — the server's whole work for one query as the search page
// calls it: expanding the words (stems, typos, the other alphabet), counting by section
// and language, one ranked page, snippets — per kind of query and overall, for a
// visitor, a member of five groups and an editor (every group), on SQLite and on
// PostgreSQL, with the load average. The machine is shared: each line has the wall time
// and this process's CPU time per query (all of SQLite's work; on PostgreSQL also the
// server processes' mean CPU time per query, from /proc).
// Run: npx vitest run --config vitest.bench.config.ts tests/bench/search.measure.ts
//   QALA_BENCH_ENGINES=sqlite|postgres   one engine only (default both; PostgreSQL
//                                        is skipped when the server does not answer).
//   BENCH_ALTERNATIVE=off                skips the other engine (see alternative()).
// The first run fills the kept databases (minutes); later runs reuse them.
const PER_KIND = Number(process.env.BENCH_PER_KIND ?? 40);
type Engine = 'sqlite' | 'postgres';
const wanted = (process.env.QALA_BENCH_ENGINES ?? 'sqlite,postgres').split(',');
const skipPostgres = wanted.includes('postgres') ? await postgresUnavailable() : 'not asked for';
const engines: Engine[] = (['sqlite', 'postgres'] as const).filter((engine) => wanted.includes(engine) && (engine === 'sqlite' || !skipPostgres));
if (skipPostgres && wanted.includes('postgres')) console.log(`NOTICE: PostgreSQL is not measured: ${skipPostgres}`);

/** A typo in a word: one letter swapped with the next, dropped, doubled or replaced. */
function typo(word: string, rand: () => number): string {
  const letters = [...word];
  const at = 1 + Math.floor(rand() * (letters.length - 2));
  const kind = Math.floor(rand() * 4);
  if (kind === 0) [letters[at], letters[at + 1]] = [letters[at + 1]!, letters[at]!];
  else if (kind === 1) letters.splice(at, 1);
  else if (kind === 2) letters.splice(at, 0, letters[at]!);
  else letters[at] = /[a-z]/.test(letters[at]!) ? (letters[at] === 'a' ? 'e' : 'a') : letters[at] === 'а' ? 'е' : 'а';
  return letters.join('');
}

interface Query {
  kind: string;
  text: string;
  section?: string;
  lang?: Language;
}

/**
 * The same queries on every run: per kind, PER_KIND queries in kk, ru and en — a rare
 * word (once or twice in all the text), a common word (the 30 most frequent of 4+
 * letters per language), two and three words as typed (frequency-weighted), a typo in a
 * word of 6+ letters, a word with a section filter, a word with a language filter.
 */
function queries(): Query[] {
  const stream = corpus();
  const rand = random(61);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)]!;
  const typed = (lang: Language, min = 4) => {
    let word = '';
    while ([...word].length < min) word = pick(stream[lang]).toLowerCase();
    return word;
  };
  const byFrequency = Object.fromEntries(
    LANGS.map((lang) => {
      const counts = new Map<string, number>();
      for (const word of stream[lang]) if ([...word].length >= 4) counts.set(word.toLowerCase(), (counts.get(word.toLowerCase()) ?? 0) + 1);
      const sorted = [...counts].sort((a, b) => b[1] - a[1]);
      return [lang, { common: sorted.slice(0, 30).map(([word]) => word), rare: sorted.filter(([word, count]) => count <= 2 && [...word].length >= 5).map(([word]) => word) }];
    }),
  ) as Record<Language, { common: string[]; rare: string[] }>;
  const kinds: Record<string, (lang: Language) => Query> = {
    rare: (lang) => ({ kind: 'rare word', text: pick(byFrequency[lang].rare) }),
    common: (lang) => ({ kind: 'common word', text: pick(byFrequency[lang].common) }),
    two: (lang) => ({ kind: 'two words', text: `${typed(lang)} ${typed(lang)}` }),
    three: (lang) => ({ kind: 'three words', text: `${typed(lang)} ${typed(lang)} ${typed(lang)}` }),
    typo: (lang) => ({ kind: 'typo', text: typo(typed(lang, 6), rand) }),
    section: (lang) => ({ kind: 'word + section', text: typed(lang), section: pick([...SECTIONS_PUBLIC, ...SECTIONS_MEMBERS]) }),
    lang: (lang) => ({ kind: 'word + language', text: typed(lang), lang }),
  };
  const list: Query[] = [];
  for (const make of Object.values(kinds)) for (let n = 0; n < PER_KIND; n++) list.push(make(LANGS[n % 3]!));
  return list;
}

const READERS: Record<string, SearchReader> = {
  visitor: { audiences: ['public'], everyGroup: false },
  'member of 5 groups': { audiences: ['public', 'signed_in', 'members', 'group:1', 'group:2', 'group:3', 'group:4', 'group:5'], everyGroup: false },
  'editor (every group)': { audiences: ['public', 'signed_in', 'members'], everyGroup: true },
};

const percentile = (sorted: readonly number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
const figures = (times: number[]) => {
  const sorted = [...times].sort((a, b) => a - b);
  return `p50 ${percentile(sorted, 0.5).toFixed(1).padStart(6)}  p95 ${percentile(sorted, 0.95).toFixed(1).padStart(6)}  p99 ${percentile(sorted, 0.99).toFixed(1).padStart(6)} ms`;
};
const load = () => `load average ${loadavg().map((value) => value.toFixed(1)).join(' ')} on ${availableParallelism()} cores`;

/** The server processes of this database on PostgreSQL (none on SQLite, whose work is in this process). */
async function serverPids(db: Kysely<Database>): Promise<number[]> {
  if (engineOf(db) !== 'postgres') return [];
  const { rows } = await sql<{ pid: number }>`select pid from pg_stat_activity where datname = current_database()`.execute(db);
  return rows.map((row) => row.pid);
}

/** PostgreSQL's mean CPU time per query: /proc counts in ticks of 10 ms, so per query only the mean means something. */
const serverMean = (engine: Engine, times: { wall: number[]; server: number }) => (engine === 'postgres' ? `  PostgreSQL CPU mean ${(times.server / times.wall.length).toFixed(1).padStart(5)} ms` : '');

/**
 * Times `run` on every query (wall time, this process's CPU, PostgreSQL's CPU) and prints
 * p50/p95/p99 per kind and overall; `run` says whether the query found something.
 */
async function timeQueries(engine: Engine, db: Kysely<Database>, label: string, list: readonly Query[], run: (query: Query) => Promise<boolean>): Promise<string[]> {
  const byKind = new Map<string, { wall: number[]; cpu: number[]; server: number }>();
  const all = { wall: [] as number[], cpu: [] as number[], server: 0 };
  let found = 0;
  const pids = await serverPids(db);
  const serverCpu = () => pids.reduce((sum, pid) => sum + processCpuMs(pid), 0);
  for (const query of list) {
    const cpu = process.cpuUsage();
    const server = serverCpu();
    const started = performance.now();
    if (await run(query)) found++;
    const ms = performance.now() - started;
    const used = process.cpuUsage(cpu);
    const serverMs = serverCpu() - server;
    const kind = byKind.get(query.kind) ?? { wall: [], cpu: [], server: 0 };
    byKind.set(query.kind, kind);
    for (const into of [kind, all]) {
      into.wall.push(ms);
      into.cpu.push((used.user + used.system) / 1000);
      into.server += serverMs;
    }
  }
  const lines = [...byKind].map(([kind, times]) => `${engine.padEnd(8)} ${label.padEnd(20)} ${kind.padEnd(16)} ${figures(times.wall)}  CPU ${figures(times.cpu)}${serverMean(engine, times)}`);
  lines.push(`${engine.padEnd(8)} ${label.padEnd(20)} ${'all'.padEnd(16)} ${figures(all.wall)}  CPU ${figures(all.cpu)}${serverMean(engine, all)}  (${found}/${list.length} found something; ${load()})`);
  console.log(lines.join('\n'));
  return lines;
}

/** Runs every query for each reader, as the search page calls search(). */
async function measure(engine: Engine, db: Kysely<Database>, list: readonly Query[]): Promise<string[]> {
  // Warm the database's caches, as a running server's would be.
  for (const query of list.filter((_, n) => n % 5 === 0)) await search(db, { text: query.text, reader: READERS.visitor!, page: 1 });
  const lines: string[] = [];
  for (const [label, reader] of Object.entries(READERS)) {
    lines.push(...(await timeQueries(engine, db, label, list, async (query) => (await search(db, { text: query.text, reader, section: query.section, lang: query.lang, page: 1 })).total > 0)));
  }
  return lines;
}

/**
 * The evidence for the engine: another way to search the same documents, without a new
 * dependency, timed on the same queries for a visitor (count up to 501 matches, best ten
 * first), beside ours. SQLite: an FTS5 table with the trigram tokenizer (substrings; no
 * stems, no typos), over title and summary only (the body would triple the build).
 * PostgreSQL: pg_trgm's word similarity (forgives typos by shared trigrams; no stems)
 * under a GIN trigram index of title and summary. Both kept in the bench databases as
 * bench_* objects, built on the first run.
 */
async function alternative(engine: Engine, db: Kysely<Database>, list: readonly Query[]): Promise<string[]> {
  const started = performance.now();
  if (engine === 'sqlite') {
    await sql`create virtual table if not exists bench_trigram using fts5(title, summary, tokenize = 'trigram')`.execute(db);
    const { rows } = await sql<{ n: number }>`select count(*) as n from bench_trigram`.execute(db);
    if (Number(rows[0]!.n) === 0) await sql`insert into bench_trigram (rowid, title, summary) select rowid, title, summary from search_documents`.execute(db);
  } else {
    await sql`create extension if not exists pg_trgm`.execute(db);
    await sql`create index if not exists bench_trgm on search_documents using gin ((title || ' ' || summary) gin_trgm_ops)`.execute(db);
  }
  const built = `${engine} alternative (${engine === 'sqlite' ? 'FTS5 trigram' : 'pg_trgm word similarity'}, title + summary) ready in ${((performance.now() - started) / 1000).toFixed(0)} s`;
  console.log(built);
  const lines = await timeQueries(engine, db, 'alternative', list, async (query) => {
    const section = query.section ? sql`and d.section = ${query.section}` : sql``;
    const lang = query.lang ? sql`and d.lang = ${query.lang}` : sql``;
    let rows: Array<{ key: string; score: number }>;
    if (engine === 'sqlite') {
      // Each word a quoted string (words shorter than three letters match nothing in trigrams).
      const match = query.text.split(' ').map((word) => `"${word.replaceAll('"', '""')}"`).join(' ');
      ({ rows } = await sql<{ key: string; score: number }>`
        select d.key, -bm25(bench_trigram, 10.0, 4.0) as score from bench_trigram join search_documents as d on d.rowid = bench_trigram.rowid
        where bench_trigram match ${match} and d.audience = 'public' ${section} ${lang}
        order by bench_trigram.rowid desc limit 501`.execute(db));
    } else {
      ({ rows } = await sql<{ key: string; score: number }>`
        select d.key, word_similarity(${query.text}, d.title || ' ' || d.summary) as score from search_documents as d
        where ${query.text} <% (d.title || ' ' || d.summary) and d.audience = 'public' ${section} ${lang}
        limit 501`.execute(db));
    }
    return rows.sort((a, b) => b.score - a.score).slice(0, 10).length > 0;
  });
  return [built, ...lines];
}

const report: string[] = [];
const handles: Array<Kysely<Database>> = [];
afterAll(async () => {
  for (const db of handles) await db.destroy();
  console.log(`\nsearch at ${PUBLIC} public + ${MEMBERS} members' documents (${GROUPS} groups)\n${report.join('\n')}\n${load()} at the end\n`);
});

describe('search at national scale', () => {
  const list = queries();
  for (const engine of engines) {
    let db: Kysely<Database>;
    beforeAll(async () => {
      const kept = engine === 'sqlite' ? await searchSqlite() : await searchPostgres();
      report.push(`${engine}: ${kept.built}`);
      console.log(`${engine}: ${kept.built}`);
      db = createDatabase('path' in kept ? kept.path : kept.url);
      handles.push(db);
    }, 4 * 3_600_000);
    it(`answers visitors, members and editors on ${engine}`, async () => {
      report.push(...(await measure(engine, db, list)));
    }, 3_600_000);
    it.runIf(process.env.BENCH_ALTERNATIVE !== 'off')(`compares another engine on ${engine}`, async () => {
      report.push(...(await alternative(engine, db, list)));
    }, 3_600_000);
  }
});
