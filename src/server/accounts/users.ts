import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import * as clock from '~/lib/clock.ts';
import type { Language } from '~/i18n/index.ts';
import type { Database, Role, User } from '~/server/db/schema.ts';
import { hashPassword } from '~/server/auth/password.ts';
import { syncMember } from '~/server/search/sources/members.ts';
import { inTransaction } from '~/server/search/sources/text.ts';

/** Emails compare case-insensitively and without surrounding spaces. */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** A new, unguessable user id. */
export function newUserId(): string {
  return randomBytes(15).toString('base64url');
}

/** Finds an account by email (any case). */
export function findUserByEmail(db: Kysely<Database>, email: string): Promise<User | undefined> {
  return db.selectFrom('users').selectAll().where('email', '=', normalizeEmail(email)).executeTakeFirst();
}

/** What it takes to create an account. The password is hashed here, never stored. */
export interface NewAccount {
  email: string;
  password: string;
  displayName: string;
  role: Role;
  townId: number | null;
  /** The partner organisation of a `partner` account. */
  partnerId?: number | null;
  language: Language;
}

/** Creates an account and returns its id. */
export async function createUser(db: Kysely<Database>, account: NewAccount, now?: number): Promise<string> {
  const { password, ...rest } = account;
  return insertUser(db, { ...rest, passwordHash: await hashPassword(password) }, now);
}

/**
 * Inserts an account whose password is already hashed; lets callers hash before
 * opening a write transaction, since hashing takes ~50 ms.
 */
export async function insertUser(
  db: Kysely<Database>,
  account: Omit<NewAccount, 'password'> & { passwordHash: string },
  now = clock.now(),
): Promise<string> {
  const id = newUserId();
  await inTransaction(db, async (trx) => {
    await trx
      .insertInto('users')
      .values({
        id,
        email: normalizeEmail(account.email),
        password_hash: account.passwordHash,
        display_name: account.displayName.trim(),
        role: account.role,
        town_id: account.townId,
        partner_id: account.partnerId ?? null,
        language: account.language,
        disabled_at: null,
        created_at: now,
        updated_at: now,
      })
      .execute();
    await syncMember(trx, id);
  });
  return id;
}

/** Number of accounts, to tell an empty database from a used one. */
export async function countUsers(db: Kysely<Database>): Promise<number> {
  const row = await db.selectFrom('users').select((eb) => eb.fn.countAll<number>().as('count')).executeTakeFirstOrThrow();
  return Number(row.count);
}
