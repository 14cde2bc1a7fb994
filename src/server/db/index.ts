import type { Kysely } from 'kysely';
import { config } from '~/server/config.ts';
import { createDatabase } from './connection.ts';
import type { Database } from './schema.ts';

/**
 * The process's handle lives on globalThis, not in this module: the Node entry
 * (dist/qala.mjs) and Astro's server bundle each carry their own copy of this file,
 * and they must share one connection pool, which the entry closes on shutdown.
 */
const HANDLE = Symbol.for('qala.database');
const holder = globalThis as { [HANDLE]?: Kysely<Database> };

/** The process's database handle: the one the Node entry shared, else opened on first use from DATABASE_URL. */
export function db(): Kysely<Database> {
  holder[HANDLE] ??= createDatabase(config().database);
  return holder[HANDLE];
}

/** Makes `handle` the process's database handle (the Node entry calls it before serving). */
export function shareDatabase(handle: Kysely<Database>): void {
  holder[HANDLE] = handle;
}

export type { Database } from './schema.ts';
