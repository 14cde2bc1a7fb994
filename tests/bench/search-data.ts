import { sql, type Kysely } from 'kysely';
import { existsSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Language } from '~/i18n/languages.ts';
import { createDatabase } from '~/server/db/connection.ts';
import { migrateToLatest } from '~/server/db/migrate.ts';
import type { Database } from '~/server/db/schema.ts';
import { saveSearchDocuments, type SearchAudience, type SearchDocument } from '~/server/search/documents.ts';
import { asPostgresAdmin, postgresUrl as nationalPostgresUrl, random } from './national.ts';

// The documents of the search benchmark (tests/bench/search.measure.ts): PUBLIC public
// items and MEMBERS members' items (expertise requests, threads of 50 groups, profiles)
// in kk, ru and en, their text cut from the association's real content (content/**/*.md),
// so words, lengths and word frequencies are those of real pages. Indexed once through
// saveSearchDocuments (the writers' own path) into a SQLite file and a PostgreSQL
// database, both kept and reused by later runs while DATA_VERSION and the counts are the
// same (an interrupted fill is never reused: SQLite fills a temporary name, PostgreSQL
// is checked by its row counts).
//   BENCH_PUBLIC / BENCH_MEMBERS   the counts (10,000 and 200,000).
//   QALA_BENCH_SEARCH_FRESH=1      fills both again.

/** Raise when the documents below change, so kept copies are filled again. */
const DATA_VERSION = 1;

export const PUBLIC = Number(process.env.BENCH_PUBLIC ?? 10_000);
export const MEMBERS = Number(process.env.BENCH_MEMBERS ?? 200_000);
export const GROUPS = 50;
export const SECTIONS_PUBLIC = ['resources', 'cases', 'news', 'events', 'programmes', 'towns', 'groups', 'indicators'];
export const SECTIONS_MEMBERS = ['exchange', 'threads', 'members'];
export const LANGS: Language[] = ['kk', 'ru', 'en'];

const NAME = `qala_bench_search_v${DATA_VERSION}_${PUBLIC}_${MEMBERS}`;
export const sqlitePath = join(tmpdir(), `${NAME}.db`);
export const postgresUrl = (() => {
  const url = new URL(nationalPostgresUrl);
  url.pathname = `/${NAME}`;
  return url.toString();
})();
/** How long each kept copy took to fill, for the report of a later run. */
const builtNotes = join(tmpdir(), `${NAME}.built.json`);

function* markdownFiles(dir: string): Generator<string> {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* markdownFiles(path);
    else if (name.endsWith('.md')) yield path;
  }
}

/** The real text of each language, as one stream of words (original spelling, as typed). */
export function corpus(): Record<Language, string[]> {
  const streams: Record<Language, string[]> = { kk: [], ru: [], en: [] };
  for (const file of markdownFiles('content')) {
    const lang = file.split('/').find((part) => part === 'kk' || part === 'ru' || part === 'en') as Language | undefined;
    if (!lang) continue;
    const text = readFileSync(file, 'utf8').replace(/^---[\s\S]*?---/, '');
    for (const match of text.matchAll(/[\p{L}\p{N}]+/gu)) streams[lang].push(match[0]);
  }
  return streams;
}

/** The documents, the same on every run and engine. */
function* documents(): Generator<SearchDocument[]> {
  const stream = corpus();
  const rand = random(16);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)]!;
  const passage = (lang: Language, length: number) => {
    const words = stream[lang];
    const start = Math.floor(rand() * (words.length - length));
    return words.slice(start, start + length).join(' ');
  };
  const document = (index: number, members: boolean): SearchDocument => {
    const lang = pick(LANGS);
    const section = pick(members ? SECTIONS_MEMBERS : SECTIONS_PUBLIC);
    const audience: SearchAudience = !members ? 'public' : section === 'threads' ? `group:${1 + (index % GROUPS)}` : section === 'members' ? 'signed_in' : 'members';
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
  };
  const batch = 1_000;
  // Public and members' documents interleaved, as writers add them over the years.
  const total = PUBLIC + MEMBERS;
  const made = { public: 0, members: 0 };
  for (let start = 0; start < total; start += batch) {
    const list: SearchDocument[] = [];
    for (let k = start; k < Math.min(total, start + batch); k++) {
      const isPublic = Math.floor(((k + 1) * PUBLIC) / total) > Math.floor((k * PUBLIC) / total);
      list.push(isPublic ? document(made.public++, false) : document(made.members++, true));
    }
    yield list;
  }
}

async function fill(db: Kysely<Database>): Promise<number> {
  const started = performance.now();
  let done = 0;
  for (const list of documents()) {
    await saveSearchDocuments(db, list);
    done += list.length;
    if (done % 20_000 < list.length) console.log(`  … ${done} documents, ${((performance.now() - started) / 1000).toFixed(0)} s`);
  }
  return (performance.now() - started) / 1000;
}

function readNotes(): Record<string, string> {
  try {
    return JSON.parse(readFileSync(builtNotes, 'utf8')) as Record<string, string>;
  } catch {
    return {};
  }
}

function note(engine: string, text: string): void {
  writeFileSync(builtNotes, JSON.stringify({ ...readNotes(), [engine]: text }));
}

const fresh = process.env.QALA_BENCH_SEARCH_FRESH === '1';

/** The filled SQLite file (kept, or filled now), and how it was filled. */
export async function searchSqlite(): Promise<{ path: string; built: string }> {
  if (fresh || !existsSync(sqlitePath)) {
    const filling = `${sqlitePath}.filling`;
    for (const suffix of ['', '-wal', '-shm']) rmSync(filling + suffix, { force: true });
    const db = createDatabase(filling);
    await migrateToLatest(db);
    const seconds = await fill(db);
    await sql`analyze`.execute(db);
    await sql`pragma wal_checkpoint(truncate)`.execute(db);
    await db.destroy();
    for (const suffix of ['-wal', '-shm']) rmSync(filling + suffix, { force: true });
    renameSync(filling, sqlitePath);
    note('sqlite', `filled ${PUBLIC} + ${MEMBERS} documents in ${seconds.toFixed(0)} s (${((PUBLIC + MEMBERS) / seconds).toFixed(0)}/s)`);
  }
  const db = createDatabase(sqlitePath);
  try {
    await migrateToLatest(db);
  } finally {
    await db.destroy();
  }
  return { path: sqlitePath, built: readNotes().sqlite ?? 'kept from an earlier run' };
}

async function complete(db: Kysely<Database>): Promise<boolean> {
  const { rows } = await sql<{ documents: number; vectors: number }>`
    select (select count(*) from search_documents) as documents, (select count(*) from search_vectors) as vectors`.execute(db);
  return Number(rows[0]!.documents) === PUBLIC + MEMBERS && Number(rows[0]!.vectors) === PUBLIC + MEMBERS;
}

/** The filled PostgreSQL database (kept when complete, or filled now), and how it was filled. */
export async function searchPostgres(): Promise<{ url: string; built: string }> {
  const database = NAME;
  if (!fresh) {
    const exists = await asPostgresAdmin((admin) => admin.query('select 1 from pg_database where datname = $1', [database]));
    if (exists.rowCount) {
      const db = createDatabase(postgresUrl);
      try {
        await migrateToLatest(db);
        if (await complete(db)) return { url: postgresUrl, built: readNotes().postgres ?? 'kept from an earlier run' };
      } finally {
        await db.destroy();
      }
    }
  }
  await asPostgresAdmin(async (admin) => {
    await admin.query(`drop database if exists ${database} with (force)`);
    await admin.query(`create database ${database}`);
    // A benchmark's data: a crash loses it anyway, so commits need not wait for the disk.
    await admin.query(`alter database ${database} set synchronous_commit = off`);
  });
  const db = createDatabase(postgresUrl);
  try {
    await migrateToLatest(db);
    const seconds = await fill(db);
    await sql`vacuum analyze`.execute(db);
    note('postgres', `filled ${PUBLIC} + ${MEMBERS} documents in ${seconds.toFixed(0)} s (${((PUBLIC + MEMBERS) / seconds).toFixed(0)}/s)`);
  } finally {
    await db.destroy();
  }
  return { url: postgresUrl, built: readNotes().postgres ?? '' };
}
