import type { MessageKey } from '../../i18n/index.ts';

/**
 * Every kind of notification, with the dictionary keys of its texts. Each capability
 * adds its own kinds here; `{placeholders}` are filled from the notification's params.
 * Security notices always go by email: a member cannot turn them off.
 */
export const NOTIFICATION_KINDS = {
  'security.password_changed': {
    title: 'notification.security.passwordChanged.title',
    emailSubject: 'notification.security.passwordChanged.subject',
    emailBody: 'notification.security.passwordChanged.body',
    alwaysEmail: true,
  },
  'membership.application_received': {
    title: 'notification.membership.applicationReceived.title',
    emailSubject: 'notification.membership.applicationReceived.subject',
    emailBody: 'notification.membership.applicationReceived.body',
    alwaysEmail: false,
  },
} as const satisfies Record<string, { title: MessageKey; emailSubject: MessageKey; emailBody: MessageKey; alwaysEmail: boolean }>;

/** One kind of notification. */
export type NotificationKind = keyof typeof NOTIFICATION_KINDS;

/** Narrows a stored kind to a known one. */
export function isNotificationKind(value: string): value is NotificationKind {
  return value in NOTIFICATION_KINDS;
}
