import type { Kysely } from 'kysely';
import { afterEach, beforeEach } from 'vitest';
import { setClock } from '~/lib/clock.ts';
import { insertUser } from '~/server/accounts/users.ts';
import type { CurrentUser } from '~/server/auth/lucia.ts';
import type { Database, Role } from '~/server/db/schema.ts';
import { createTestDatabase } from './database.ts';

/** The editorial data tests' "now" (November 2026), which the clock is set to. */
export const EDITORIAL_NOW = 1_790_000_000;

/** Who acts in an editorial test: nobody signed in, a member and the three staff roles. */
export interface EditorialUsers {
  public: null;
  member: CurrentUser;
  author: CurrentUser;
  editor: CurrentUser;
  admin: CurrentUser;
}

export interface EditorialFixture {
  readonly db: Kysely<Database>;
  readonly users: EditorialUsers;
}

/** Ridder, for a member who belongs to a town. */
const RIDDER = { slug: 'ridder', name: { kk: 'Риддер', ru: 'Риддер', en: 'Ridder' } } as const;

/**
 * The set-up the editorial data tests share, on the engine under test: before each test
 * the clock stands at EDITORIAL_NOW and a fresh database holds `<role>@example.org` for
 * member, author, editor and admin (the member in Ridder when `memberInTown`, else in no
 * town); after each the clock runs again and the database is gone. Read `.db` and `.users`
 * inside tests (`users` is one object, filled anew for each test).
 */
export function useEditorialDatabase(options: { memberInTown?: boolean } = {}): EditorialFixture {
  const users = { public: null } as EditorialUsers;
  const fixture = { db: undefined as unknown as Kysely<Database>, users };
  let cleanup: (() => Promise<void>) | undefined;
  beforeEach(async () => {
    setClock(EDITORIAL_NOW);
    ({ db: fixture.db, cleanup } = await createTestDatabase());
    const town = options.memberInTown ? { id: await insertRidder(fixture.db), ...RIDDER } : null;
    users.member = await insertAccount(fixture.db, 'member@example.org', 'member', town);
    users.author = await insertAccount(fixture.db, 'author@example.org', 'author');
    users.editor = await insertAccount(fixture.db, 'editor@example.org', 'editor');
    users.admin = await insertAccount(fixture.db, 'admin@example.org', 'admin');
  });
  afterEach(async () => {
    setClock(null);
    await cleanup?.();
  });
  return fixture;
}

/** An account of the role, as the session would read it (display name: the email). */
export async function insertAccount(db: Kysely<Database>, email: string, role: Role, town: CurrentUser['town'] = null): Promise<CurrentUser> {
  const id = await insertUser(db, { email, passwordHash: 'not-a-real-hash', displayName: email.split('@')[0]!, role, townId: town?.id ?? null, language: 'en' }, 1);
  return { id, email, displayName: email, role, language: 'en', disabled: false, town };
}

async function insertRidder(db: Kysely<Database>): Promise<number> {
  const row = await db
    .insertInto('towns')
    .values({ slug: RIDDER.slug, name_kk: RIDDER.name.kk, name_ru: RIDDER.name.ru, name_en: RIDDER.name.en, region: 'east-kazakhstan', population: null, main_industry: null, founding_enterprise_kk: null, founding_enterprise_ru: null, founding_enterprise_en: null, economic_potential: null, created_at: 1, updated_at: 1 })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}
