import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';

/** The active accounts of a town, for its administrator's page. */
export function townAccounts(db: Kysely<Database>, townId: number) {
  return db
    .selectFrom('users')
    .select(['id', 'display_name', 'email', 'role', 'position'])
    .where('town_id', '=', townId)
    .where('disabled_at', 'is', null)
    .orderBy('display_name')
    .execute();
}
