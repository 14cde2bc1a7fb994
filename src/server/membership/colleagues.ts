import type { Kysely } from 'kysely';
import { disableAccount } from '~/server/accounts/administration.ts';
import type { Auth, CurrentUser } from '~/server/auth/lucia.ts';
import type { Database } from '~/server/db/schema.ts';
import { canRemoveColleague, type ColleagueOrganisation } from './rules.ts';

/** The active accounts of a town, for its administrator's page. */
export function townAccounts(db: Kysely<Database>, townId: number) {
  return organisationAccounts(db, { kind: 'town', id: townId });
}

/** The active accounts of a town or a partner organisation. */
export function organisationAccounts(db: Kysely<Database>, organisation: Pick<ColleagueOrganisation, 'kind' | 'id'>) {
  return db
    .selectFrom('users')
    .select(['id', 'display_name', 'email', 'role', 'position', 'town_id', 'partner_id'])
    .where(organisation.kind === 'town' ? 'town_id' : 'partner_id', '=', organisation.id)
    .where('disabled_at', 'is', null)
    .orderBy('display_name')
    .execute();
}

/**
 * A town administrator (or a partner's account) removes a colleague: the account is
 * disabled and detached from the town, as the accounts domain disables any account.
 * False when the actor may not remove this account (or it is gone already).
 */
export async function removeColleague(db: Kysely<Database>, auth: Auth, removal: { actor: CurrentUser | null; userId: string; clientAddress: string }): Promise<boolean> {
  const target = await db.selectFrom('users').select(['id', 'town_id', 'role', 'partner_id']).where('id', '=', removal.userId).where('disabled_at', 'is', null).executeTakeFirst();
  if (!target || !canRemoveColleague(removal.actor, { id: target.id, townId: target.town_id, role: target.role, partnerId: target.partner_id })) return false;
  await disableAccount(db, auth, { actorId: removal.actor!.id, userId: target.id, clientAddress: removal.clientAddress, leaveTown: true });
  return true;
}
