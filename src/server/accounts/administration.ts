import type { Kysely } from 'kysely';
import { now } from '~/lib/clock.ts';
import { recordAudit } from '~/server/audit/audit.ts';
import type { Auth, CurrentUser } from '~/server/auth/lucia.ts';
import { likeIgnoringCase } from '~/server/db/dialect.ts';
import type { Database, Role } from '~/server/db/schema.ts';
import { canOperateSite } from './rules.ts';
import { recordChange } from '~/server/cache/changes.ts';
import { syncMember } from '~/server/search/sources/members.ts';
import { inTransaction } from '~/server/search/sources/text.ts';

/** Accounts matching a search in email or name (all when empty), newest first. */
export function searchAccounts(db: Kysely<Database>, typed: string, limit = 100) {
  // Control characters match no name or address (and PostgreSQL refuses a NUL in a query).
  const query = typed.replace(/\p{Cc}/gu, '');
  const pattern = `%${query.replace(/[\\%_]/g, (character) => `\\${character}`)}%`;
  let select = db
    .selectFrom('users')
    .leftJoin('towns', 'towns.id', 'users.town_id')
    .select(['users.id', 'users.email', 'users.display_name', 'users.role', 'users.disabled_at', 'towns.name_kk', 'towns.name_ru', 'towns.name_en'])
    .orderBy('users.created_at', 'desc')
    .limit(limit);
  if (query) select = select.where((eb) => eb.or([likeIgnoringCase(db, 'users.email', pattern), likeIgnoringCase(db, 'users.display_name', pattern)]));
  return select.execute();
}

/** Why an administrative change was refused. */
export type AdministrationProblem = 'forbidden' | 'notFound' | 'self';

async function guard(db: Kysely<Database>, actor: CurrentUser | null, userId: string): Promise<AdministrationProblem | null> {
  if (!canOperateSite(actor)) return 'forbidden';
  // Nobody changes their own role or disables themself: another administrator must.
  if (actor!.id === userId) return 'self';
  const exists = await db.selectFrom('users').select('id').where('id', '=', userId).executeTakeFirst();
  return exists ? null : 'notFound';
}

/** Gives an account another role. */
export async function changeRole(
  db: Kysely<Database>,
  change: { actor: CurrentUser | null; userId: string; role: Role; clientAddress: string },
): Promise<AdministrationProblem | null> {
  const problem = await guard(db, change.actor, change.userId);
  if (problem) return problem;
  const before = await db.selectFrom('users').select('role').where('id', '=', change.userId).executeTakeFirstOrThrow();
  await db.updateTable('users').set({ role: change.role, updated_at: now() }).where('id', '=', change.userId).execute();
  await recordAudit(db, { actorId: change.actor!.id, action: 'role.changed', target: { type: 'user', id: change.userId }, clientAddress: change.clientAddress, details: { from: before.role, to: change.role } });
  return null;
}

/** Disables (ending every session at once) or re-enables an account. */
export async function setDisabled(
  db: Kysely<Database>,
  auth: Auth,
  change: { actor: CurrentUser | null; userId: string; disabled: boolean; clientAddress: string },
): Promise<AdministrationProblem | null> {
  const problem = await guard(db, change.actor, change.userId);
  if (problem) return problem;
  if (change.disabled) {
    await disableAccount(db, auth, { actorId: change.actor!.id, userId: change.userId, clientAddress: change.clientAddress });
    return null;
  }
  await inTransaction(db, async (trx) => {
    await trx.updateTable('users').set({ disabled_at: null, updated_at: now() }).where('id', '=', change.userId).execute();
    // Group lists count active members only.
    await recordChange(trx, 'memberships');
    await syncMember(trx, change.userId);
  });
  await recordAudit(db, { actorId: change.actor!.id, action: 'account.enabled', target: { type: 'user', id: change.userId }, clientAddress: change.clientAddress });
  return null;
}

/**
 * The one way an account is disabled, whoever decided it (an administrator, or a town
 * administrator removing a colleague): it can no longer sign in, its sessions end at
 * once, and the audit log says who did it. With `leaveTown`, it is also detached from
 * its town. Callers check who may do this.
 */
export async function disableAccount(
  db: Kysely<Database>,
  auth: Auth,
  change: { actorId: string; userId: string; clientAddress: string; leaveTown?: boolean },
  at = now(),
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable('users')
      .set({ disabled_at: at, updated_at: at, ...(change.leaveTown ? { town_id: null } : {}) })
      .where('id', '=', change.userId)
      .execute();
    await recordChange(trx, 'memberships');
    await syncMember(trx, change.userId);
    await recordAudit(
      trx,
      { actorId: change.actorId, action: 'account.disabled', target: { type: 'user', id: change.userId }, clientAddress: change.clientAddress, ...(change.leaveTown ? { details: { removedFromTown: true } } : {}) },
      at,
    );
  });
  // Sessions end once the account is disabled for good (after the commit).
  await auth.invalidateUserSessions(change.userId);
}

/** Ends every session of an account (it stays enabled), and records who did it. */
export async function endSessions(
  db: Kysely<Database>,
  auth: Auth,
  change: { actor: CurrentUser | null; userId: string; clientAddress: string },
): Promise<AdministrationProblem | null> {
  if (!canOperateSite(change.actor)) return 'forbidden';
  await auth.invalidateUserSessions(change.userId);
  await recordAudit(db, { actorId: change.actor!.id, action: 'account.sessions_ended', target: { type: 'user', id: change.userId }, clientAddress: change.clientAddress });
  return null;
}
