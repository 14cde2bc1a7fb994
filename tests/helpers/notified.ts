import type { Kysely } from 'kysely';
import type { Database } from '~/server/db/schema.ts';
import { createMailer } from '~/server/mail/mailer.ts';
import type { Notifier } from '~/server/notifications/notifications.ts';
import { resolveParams } from '~/server/notifications/render.ts';

/** A notifier whose mail goes to the test database's outbox (no SMTP_URL). */
export function testNotifier(db: Kysely<Database>): Notifier {
  return { mailer: createMailer(db, { smtpUrl: undefined, from: 'Qala <no-reply@localhost>' }), baseUrl: 'https://qala.test' };
}

/**
 * Who was notified of what (of one kind, if given), oldest first, with the parameters as
 * the recipient reads them in their own language (names are stored with their
 * translations and chosen when shown: src/server/notifications/render.ts).
 */
export async function notified(db: Kysely<Database>, kind?: string): Promise<Array<{ userId: string; kind: string; link: string | null; params: Record<string, unknown> }>> {
  let query = db
    .selectFrom('notifications')
    .innerJoin('users', 'users.id', 'notifications.user_id')
    .select(['notifications.user_id', 'notifications.kind', 'notifications.link', 'notifications.params', 'users.language'])
    .orderBy('notifications.id');
  if (kind) query = query.where('notifications.kind', '=', kind);
  const rows = await query.execute();
  return rows.map((row) => ({ userId: row.user_id, kind: row.kind, link: row.link, params: resolveParams(JSON.parse(row.params) as Record<string, unknown>, row.language) }));
}
