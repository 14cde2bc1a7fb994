import type { Kysely } from 'kysely';
import * as clock from '~/lib/clock.ts';
import { canOperateSite } from '~/server/accounts/rules.ts';
import { recordAudit } from '~/server/audit/audit.ts';
import type { CurrentUser } from '~/server/auth/lucia.ts';
import type { Database } from '~/server/db/schema.ts';
import { requeueFailedMail } from './queue.ts';

/** Why a retry was refused. */
export type RetryProblem = 'forbidden' | 'notFound' | 'notFailed';

/**
 * An administrator sends a failed message again: it is queued for a new round of tries,
 * due now, and the audit log says who did it for which address. Returns the problem, or
 * null when done.
 */
export async function retryFailedMail(
  db: Kysely<Database>,
  request: { actor: CurrentUser | null; mailId: number; clientAddress: string },
  now = clock.now(),
): Promise<RetryProblem | null> {
  if (!canOperateSite(request.actor)) return 'forbidden';
  return db.transaction().execute(async (trx) => {
    const mail = await trx.selectFrom('email_outbox').select(['id', 'to_address']).where('id', '=', request.mailId).executeTakeFirst();
    if (!mail) return 'notFound';
    if (!(await requeueFailedMail(trx, mail.id, now))) return 'notFailed';
    await recordAudit(
      trx,
      { actorId: request.actor!.id, action: 'mail.retried', target: { type: 'email', id: mail.to_address }, clientAddress: request.clientAddress, details: { mail: mail.id } },
      now,
    );
    return null;
  });
}
