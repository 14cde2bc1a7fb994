import { sql, type Kysely } from 'kysely';
import type { Database } from '~/server/db/schema.ts';
import type { SearchDocument } from '../documents.ts';

/**
 * How a full resync goes through a source that lives in the database: a page of things
 * at a time, each page read and written in one short write transaction (see
 * ../resync.ts), continuing after the last thing of the page before. A source that is
 * always small (positions) may give everything as one page.
 */
export interface DatabaseSource {
  /** The `source` of every document it writes: a full pass removes theirs that no thing stands behind any more. */
  documentSources: readonly string[];
  /** How many things a full pass goes through, for the progress readers are shown. */
  count(db: Kysely<Database>): Promise<number>;
  /** The documents of the (at most `limit`) things after `cursor` (null: from the first). */
  page(db: Kysely<Database>, cursor: string | null, limit: number): Promise<SourcePage>;
}

/** One page of a full pass. */
export interface SourcePage {
  documents: SearchDocument[];
  /** Things gone through (some give no document: a hidden post, a draft). */
  things: number;
  /** Where the next page starts; null when this page was the last. */
  cursor: string | null;
}

/** The page of rows read in id order (at most `limit`): the next starts after the last row's id. */
export function pageOfRows(rows: ReadonlyArray<{ id: number | string }>, limit: number, documents: SearchDocument[]): SourcePage {
  return { documents, things: rows.length, cursor: rows.length < limit ? null : String(rows.at(-1)!.id) };
}

/** The numeric id a page starts after (0 before the first page: ids start at 1). */
export function numericCursor(cursor: string | null): number {
  return cursor === null ? 0 : Number(cursor);
}

/** The rows of a table, counted. */
export async function countRows(db: Kysely<Database>, table: keyof Database): Promise<number> {
  const { rows } = await sql<{ n: number | string }>`select count(*) as n from ${sql.table(table)}`.execute(db);
  return Number(rows[0]?.n ?? 0);
}

/**
 * A source paged through one table in id order (ids are numbers): `rowsAfter` reads the
 * (at most `limit`) things after an id, `documents` gives a page's documents, reading
 * the things' parents, where it needs them, once for the whole page.
 */
export function pagedSource<Row extends { id: number }>(source: {
  documentSource: string;
  /** The table counted for progress. */
  table: keyof Database;
  rowsAfter: (db: Kysely<Database>, afterId: number, limit: number) => Promise<Row[]>;
  documents: (db: Kysely<Database>, rows: Row[]) => SearchDocument[] | Promise<SearchDocument[]>;
}): DatabaseSource {
  return {
    documentSources: [source.documentSource],
    count: (db) => countRows(db, source.table),
    page: async (db, cursor, limit) => {
      const rows = await source.rowsAfter(db, numericCursor(cursor), limit);
      return pageOfRows(rows, limit, await source.documents(db, rows));
    },
  };
}

/** A source read whole, as one page: for sources that stay small, read through another domain's own query. */
export function wholeSource(documentSources: readonly string[], table: keyof Database, documents: (db: Kysely<Database>) => Promise<SearchDocument[]>): DatabaseSource {
  return {
    documentSources,
    count: (db) => countRows(db, table),
    page: async (db) => {
      const all = await documents(db);
      return { documents: all, things: await countRows(db, table), cursor: null };
    },
  };
}
