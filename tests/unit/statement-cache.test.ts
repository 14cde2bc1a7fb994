import SQLite from 'better-sqlite3';
import { CompiledQuery } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { StatementCache, WaitingSqliteDriver } from '~/server/db/sqlite-driver.ts';

/** The SQLite driver keeps prepared statements (issue 14): bounded, least recently used dropped first. */
const opened: SQLite.Database[] = [];
function database(): SQLite.Database {
  const sqlite = new SQLite(':memory:');
  opened.push(sqlite);
  sqlite.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)');
  return sqlite;
}
afterEach(() => {
  for (const sqlite of opened.splice(0)) if (sqlite.open) sqlite.close();
});

describe('StatementCache', () => {
  it('prepares a statement once and reuses it', () => {
    const cache = new StatementCache(database(), 10);
    const first = cache.get('SELECT * FROM t WHERE id = ?');
    expect(cache.get('SELECT * FROM t WHERE id = ?')).toBe(first);
    expect([cache.prepared, cache.reused]).toEqual([1, 1]);
  });

  it('keeps at most its limit, dropping the least recently used', () => {
    const cache = new StatementCache(database(), 2);
    const a = cache.get('SELECT 1');
    cache.get('SELECT 2');
    cache.get('SELECT 1');
    cache.get('SELECT 3');
    expect(cache.size).toBe(2);
    expect(cache.get('SELECT 1')).toBe(a);
    cache.get('SELECT 2');
    expect(cache.prepared).toBe(4);
  });
});

describe('the driver with kept statements', () => {
  it('answers repeated reads and writes correctly, also after the schema changed', async () => {
    const driver = new WaitingSqliteDriver(database(), { statementCacheSize: 10 });
    const connection = await driver.acquireConnection();
    const insert = CompiledQuery.raw('INSERT INTO t (v) VALUES (?)', ['a']);
    expect((await connection.executeQuery(insert)).numAffectedRows).toBe(1n);
    expect((await connection.executeQuery(CompiledQuery.raw('INSERT INTO t (v) VALUES (?)', ['b']))).insertId).toBe(2n);
    const read = CompiledQuery.raw('SELECT * FROM t ORDER BY id', []);
    expect((await connection.executeQuery(read)).rows).toEqual([{ id: 1, v: 'a' }, { id: 2, v: 'b' }]);
    await connection.executeQuery(CompiledQuery.raw('ALTER TABLE t ADD COLUMN w TEXT', []));
    expect((await connection.executeQuery(read)).rows).toEqual([{ id: 1, v: 'a', w: null }, { id: 2, v: 'b', w: null }]);
    await driver.releaseConnection();
  });

  it('works without keeping any (QALA_SQLITE_STATEMENT_CACHE=0)', async () => {
    const driver = new WaitingSqliteDriver(database(), { statementCacheSize: 0 });
    const connection = await driver.acquireConnection();
    await connection.executeQuery(CompiledQuery.raw('INSERT INTO t (v) VALUES (?)', ['a']));
    expect((await connection.executeQuery(CompiledQuery.raw('SELECT v FROM t', []))).rows).toEqual([{ v: 'a' }]);
    await driver.releaseConnection();
  });
});
