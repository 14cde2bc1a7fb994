import { createTranslator, pathInLanguage, type Language } from '~/i18n/index.ts';
import type { UnixSeconds } from '~/lib/clock.ts';
import { formatDateTime } from '~/lib/format.ts';
import type { Mail } from '~/server/mail/mailer.ts';
import { isNotificationKind, NOTIFICATION_KINDS, preferenceLabel, type NotificationKind } from './kinds.ts';
import type { DigestCadence } from './preferences.ts';
import { notificationText } from './render.ts';

/** One stored notification a digest reports. */
export interface DigestItem {
  kind: string;
  params: string;
  link: string | null;
  created_at: UnixSeconds;
}

/** Items listed per kind; past this, the mail says how many more and links the notification list. */
export const ITEMS_PER_KIND = 20;

const KIND_ORDER = Object.keys(NOTIFICATION_KINDS);

/**
 * The digest mail: in the member's language, one section per kind (in the order of
 * NOTIFICATION_KINDS), each item with its date and an absolute link in the member's
 * language (a link stored in another language is moved to theirs). Null when none of
 * the items is of a kind this Qala still knows.
 */
export function composeDigest(
  member: { email: string; language: Language; displayName: string },
  cadence: DigestCadence,
  items: readonly DigestItem[],
  baseUrl: string,
): Mail | null {
  const t = createTranslator(member.language);
  const byKind = new Map<NotificationKind, DigestItem[]>();
  for (const item of [...items].sort((a, b) => a.created_at - b.created_at)) {
    if (!isNotificationKind(item.kind)) continue;
    byKind.set(item.kind, [...(byKind.get(item.kind) ?? []), item]);
  }
  if (byKind.size === 0) return null;
  const url = (path: string) => `${baseUrl}${pathInLanguage(path, member.language)}`;
  const sections = [...byKind]
    .sort(([a], [b]) => KIND_ORDER.indexOf(a) - KIND_ORDER.indexOf(b))
    .map(([kind, list]) => {
      const lines = list.slice(0, ITEMS_PER_KIND).map((item) => {
        const title = notificationText(kind, item.params, member.language);
        const when = formatDateTime(new Date(item.created_at * 1000), member.language);
        return `• ${title} (${when})${item.link ? `\n  ${url(item.link)}` : ''}`;
      });
      if (list.length > ITEMS_PER_KIND) lines.push(t('digests.mail.more', { count: list.length - ITEMS_PER_KIND }));
      return `${t(preferenceLabel(kind))} (${list.length})\n\n${lines.join('\n\n')}`;
    });
  const count = [...byKind.values()].reduce((sum, list) => sum + list.length, 0);
  const settings = url(`/${member.language}/account/notifications/`);
  return {
    to: member.email,
    language: member.language,
    subject: t(cadence === 'daily' ? 'digests.mail.subject.daily' : 'digests.mail.subject.weekly', { count }),
    text: [
      t('digests.mail.greeting', { name: member.displayName }),
      t(cadence === 'daily' ? 'digests.mail.intro.daily' : 'digests.mail.intro.weekly'),
      ...sections,
      `${t('digests.mail.footer')}\n${settings}`,
    ].join('\n\n'),
  };
}
