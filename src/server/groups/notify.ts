import type { Kysely } from 'kysely';
import type { Language } from '~/i18n/index.ts';
import type { Database } from '~/server/db/schema.ts';
import type { Mailer } from '~/server/mail/mailer.ts';
import type { NotificationKind } from '~/server/notifications/kinds.ts';
import { notify } from '~/server/notifications/notifications.ts';
import { localizedParams } from '~/server/notifications/render.ts';

/**
 * Tells several members about something in a group, each in their own language (the
 * group's name and dates are given per language), never the one who did it, and each
 * member once.
 */
export async function notifyMembers(
  db: Kysely<Database>,
  mailer: Mailer,
  input: {
    recipients: readonly string[];
    actorId: string | null;
    kind: NotificationKind;
    params: (lang: Language) => Record<string, string | number>;
    link: string;
    baseUrl: string;
  },
): Promise<number> {
  const ids = [...new Set(input.recipients)].filter((id) => id !== input.actorId);
  if (ids.length === 0) return 0;
  const users = await db.selectFrom('users').select(['id', 'language']).where('id', 'in', ids).where('disabled_at', 'is', null).execute();
  for (const user of users) {
    await notify(db, mailer, { userId: user.id, kind: input.kind, params: localizedParams(input.params), link: input.link }, input.baseUrl);
  }
  return users.length;
}
