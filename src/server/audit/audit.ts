import type { Kysely } from 'kysely';
import * as clock from '~/lib/clock.ts';
import type { Database } from '~/server/db/schema.ts';

/** Actions the audit log records; each has a label `audit.action.<action>` in every language. */
export const AUDIT_ACTIONS = [
  'sign_in.succeeded',
  'sign_in.failed',
  'sign_in.throttled',
  'sign_out.this_device',
  'sign_out.everywhere',
  'password_reset.requested',
  'password_reset.completed',
  'password.changed',
  'email.changed',
  'role.changed',
  'account.disabled',
  'account.enabled',
  'account.sessions_ended',
  'application.approved',
  'application.rejected',
  'invitation.sent',
  'invitation.accepted',
  'group.created',
  'group.updated',
  'group.archived',
  'group.restored',
  'group.lead_appointed',
  'group.role_changed',
  'group.member_removed',
  'group.post_hidden',
  'group.post_shown',
  'case.submitted',
  'case.changes_requested',
  'case.approved',
  'case.rejected',
  'case.unpublished',
  'mail.retried',
  'file.removed',
  'position.opened',
  'position.revised',
  'position.adopted',
  'partner.approved',
  'partner.rejected',
  'dialogue.post_hidden',
] as const;

/** One of AUDIT_ACTIONS. */
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/** One audit entry. Details must never hold a password or a token. */
export interface AuditEntry {
  actorId: string | null;
  action: AuditAction;
  target?: { type: 'user' | 'email' | 'application' | 'town' | 'group' | 'case' | 'file' | 'position' | 'partner' | 'dialogue_post'; id: string };
  clientAddress: string | null;
  details?: Record<string, string | number | boolean | null>;
}

/** Records who did what to whom, in UTC seconds. */
export async function recordAudit(db: Kysely<Database>, entry: AuditEntry, now = clock.now()): Promise<void> {
  await db
    .insertInto('audit_log')
    .values({
      at: now,
      actor_id: entry.actorId,
      action: entry.action,
      target_type: entry.target?.type ?? null,
      target_id: entry.target?.id ?? null,
      client_address: entry.clientAddress,
      details: entry.details ? JSON.stringify(entry.details) : null,
    })
    .execute();
}

/**
 * The newest audit entries, with the name and email of the actor and of a target
 * account, so the log shows people rather than ids.
 */
export function latestAudit(db: Kysely<Database>, limit = 100) {
  return db
    .selectFrom('audit_log')
    .leftJoin('users as actor', 'actor.id', 'audit_log.actor_id')
    .leftJoin('users as target', (join) => join.onRef('target.id', '=', 'audit_log.target_id').on('audit_log.target_type', '=', 'user'))
    .select([
      'audit_log.id',
      'audit_log.at',
      'audit_log.action',
      'audit_log.target_type',
      'audit_log.target_id',
      'audit_log.client_address',
      'audit_log.details',
      'actor.email as actor_email',
      'actor.display_name as actor_name',
      'target.email as target_email',
      'target.display_name as target_name',
    ])
    .orderBy('audit_log.id', 'desc')
    .limit(limit)
    .execute();
}
