import type { Kysely } from 'kysely';
import { config } from '~/server/config.ts';
import { createDatabase } from './connection.ts';
import type { Database } from './schema.ts';

let shared: Kysely<Database> | undefined;

/** The process's database handle, opened on first use from DATABASE_URL. */
export function db(): Kysely<Database> {
  shared ??= createDatabase(config().database);
  return shared;
}

export type { Database } from './schema.ts';
