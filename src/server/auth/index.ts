import { config } from '../config.ts';
import { db } from '../db/index.ts';
import { createLucia, type Auth } from './lucia.ts';

let shared: Auth | undefined;

/** The process's lucia instance over the shared database. */
export function auth(): Auth {
  shared ??= createLucia(db(), { production: config().production });
  return shared;
}

export type { Auth, CurrentUser } from './lucia.ts';
