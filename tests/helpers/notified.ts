import type { Kysely } from 'kysely';
import type { Database } from '~/server/db/schema.ts';
import { createMailer } from '~/server/mail/mailer.ts';
import type { Notifier } from '~/server/notifications/notifications.ts';

/** A notifier whose mail goes to the test database's outbox (no SMTP_URL). */
export function testNotifier(db: Kysely<Database>): Notifier {
  return { mailer: createMailer(db, { smtpUrl: undefined, from: 'Qala <no-reply@localhost>' }), baseUrl: 'https://qala.test' };
}

/** Who was notified of what (of one kind, if given), oldest first. */
export async function notified(db: Kysely<Database>, kind?: string): Promise<Array<{ userId: string; kind: string; link: string | null; params: Record<string, unknown> }>> {
  let query = db.selectFrom('notifications').select(['user_id', 'kind', 'link', 'params']).orderBy('id');
  if (kind) query = query.where('kind', '=', kind);
  const rows = await query.execute();
  return rows.map((row) => ({ userId: row.user_id, kind: row.kind, link: row.link, params: JSON.parse(row.params) as Record<string, unknown> }));
}
