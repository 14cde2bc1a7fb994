import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { temporaryDirectory } from '../helpers/database.ts';

/**
 * `qala migrate` leaves a database with its search documents written, and
 * `qala search reindex` rewrites every source from scratch, the way an operator runs them.
 */
const dir = temporaryDirectory('qala-cli-search-');
afterAll(() => dir.remove());
const DATABASE = join(dir.path, 'search.db');

function qala(args: string[]): Promise<{ code: number | null; out: string; err: string }> {
  const child = spawn(process.execPath, [join(process.cwd(), 'dist', 'qala.mjs'), ...args], {
    env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'error', DATABASE_URL: `file:${DATABASE}` },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, out, err })));
}

function withDatabase<T>(work: (sqlite: Database.Database) => T): T {
  const sqlite = new Database(DATABASE);
  try {
    return work(sqlite);
  } finally {
    sqlite.close();
  }
}

const contentKeys = () => withDatabase((sqlite) => (sqlite.prepare("select key from search_documents where source = 'content' order by key").all() as Array<{ key: string }>).map((row) => row.key));
const built = () => (JSON.parse(readFileSync(join(process.cwd(), 'dist', 'search-content.json'), 'utf8')) as Array<{ key: string }>).map((document) => document.key).sort();

describe('qala search', () => {
  it('migrate writes the content files’ and the catalogue’s documents', async () => {
    const result = await qala(['migrate']);
    expect(result.err).toBe('');
    expect(result.code).toBe(0);
    expect(contentKeys()).toEqual(built());
    expect(withDatabase((sqlite) => sqlite.prepare("select count(*) as n from search_documents where source = 'indicators'").get())).toEqual({ n: 30 });
  });

  it('search reindex rewrites every source, dropping rows nothing stands behind', async () => {
    withDatabase((sqlite) => {
      sqlite.prepare("delete from search_documents where source = 'content'").run();
      sqlite.prepare("insert into search_documents (key, source, section, lang, path, title, audience, updated_at) values ('towns:ghost:en', 'towns', 'towns', 'en', '/towns/ghost/', 'Ghost town', 'public', 1)").run();
    });
    const result = await qala(['search', 'reindex']);
    expect(result.err).toBe('');
    expect(result.code).toBe(0);
    expect(result.out).toMatch(/^Search documents rewritten: release \d+, towns 0, indicator-values 0, member-cases 0, groups 0, meetings 0, threads 0, replies 0, requests 0, responses 0, members 0, dialogue 0, positions 0\.$/m);
    expect(result.out).toMatch(/^Indexing towns: \d+% of the database's things done$/m);
    expect(contentKeys()).toEqual(built());
    expect(withDatabase((sqlite) => sqlite.prepare("select key from search_documents where key = 'towns:ghost:en'").all())).toEqual([]);
  });

  it('without an action explains itself', async () => {
    const result = await qala(['search']);
    expect(result.code).toBe(2);
    expect(result.err).toContain('search reindex');
  });
});
