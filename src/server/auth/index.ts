import { config } from '~/server/config.ts';
import { db } from '~/server/db/index.ts';
import { createLucia, type Auth } from './lucia.ts';

let shared: Auth | undefined;

/** The process's lucia instance over the shared database. */
export function auth(): Auth {
  shared ??= createLucia(db(), { production: config().production });
  return shared;
}

export type { Auth, CurrentUser } from './lucia.ts';
