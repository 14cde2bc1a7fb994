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
  // Practice sharing (member cases): a new submission → editors; decisions → the town's authors.
  'cases.submitted': {
    title: 'notification.cases.submitted.title',
    emailSubject: 'notification.cases.submitted.subject',
    emailBody: 'notification.cases.submitted.body',
    alwaysEmail: false,
  },
  'cases.changes_requested': {
    title: 'notification.cases.changesRequested.title',
    emailSubject: 'notification.cases.changesRequested.subject',
    emailBody: 'notification.cases.changesRequested.body',
    alwaysEmail: false,
  },
  'cases.approved': {
    title: 'notification.cases.approved.title',
    emailSubject: 'notification.cases.approved.subject',
    emailBody: 'notification.cases.approved.body',
    alwaysEmail: false,
  },
  'cases.rejected': {
    title: 'notification.cases.rejected.title',
    emailSubject: 'notification.cases.rejected.subject',
    emailBody: 'notification.cases.rejected.body',
    alwaysEmail: false,
  },
  'cases.unpublished': {
    title: 'notification.cases.unpublished.title',
    emailSubject: 'notification.cases.unpublished.subject',
    emailBody: 'notification.cases.unpublished.body',
    alwaysEmail: false,
  },
} as const satisfies Record<string, { title: MessageKey; emailSubject: MessageKey; emailBody: MessageKey; alwaysEmail: boolean }>;

/** One kind of notification. */
export type NotificationKind = keyof typeof NOTIFICATION_KINDS;

/** Narrows a stored kind to a known one. */
export function isNotificationKind(value: string): value is NotificationKind {
  return value in NOTIFICATION_KINDS;
}
