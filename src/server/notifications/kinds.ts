import type { MessageKey } from '../../i18n/index.ts';

/** The texts of a kind; `label` names the kind on the email-preferences page (else its title). */
interface NotificationKindTexts {
  title: MessageKey;
  emailSubject: MessageKey;
  emailBody: MessageKey;
  label?: MessageKey;
  alwaysEmail: boolean;
}

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
  'exchange.new_request': {
    title: 'notification.exchange.newRequest.title',
    emailSubject: 'notification.exchange.newRequest.subject',
    emailBody: 'notification.exchange.newRequest.body',
    label: 'notification.exchange.newRequest.label',
    alwaysEmail: false,
  },
  'exchange.response_received': {
    title: 'notification.exchange.responseReceived.title',
    emailSubject: 'notification.exchange.responseReceived.subject',
    emailBody: 'notification.exchange.responseReceived.body',
    label: 'notification.exchange.responseReceived.label',
    alwaysEmail: false,
  },
  'exchange.response_accepted': {
    title: 'notification.exchange.responseAccepted.title',
    emailSubject: 'notification.exchange.responseAccepted.subject',
    emailBody: 'notification.exchange.responseAccepted.body',
    label: 'notification.exchange.responseAccepted.label',
    alwaysEmail: false,
  },
  'exchange.invited': {
    title: 'notification.exchange.invited.title',
    emailSubject: 'notification.exchange.invited.subject',
    emailBody: 'notification.exchange.invited.body',
    label: 'notification.exchange.invited.label',
    alwaysEmail: false,
  },
  'exchange.hidden': {
    title: 'notification.exchange.hidden.title',
    emailSubject: 'notification.exchange.hidden.subject',
    emailBody: 'notification.exchange.hidden.body',
    label: 'notification.exchange.hidden.label',
    alwaysEmail: false,
  },
} as const satisfies Record<string, NotificationKindTexts>;

/** One kind of notification. */
export type NotificationKind = keyof typeof NOTIFICATION_KINDS;

/** Narrows a stored kind to a known one. */
export function isNotificationKind(value: string): value is NotificationKind {
  return value in NOTIFICATION_KINDS;
}

/** How the email-preferences page names a kind. */
export function kindLabel(kind: NotificationKind): MessageKey {
  const texts: NotificationKindTexts = NOTIFICATION_KINDS[kind];
  return texts.label ?? texts.title;
}
