import type { MessageKey } from '~/i18n/index.ts';

/** The texts of a kind; `preference` names the kind on the email-preferences page (else its title). */
interface NotificationKindTexts {
  title: MessageKey;
  emailSubject: MessageKey;
  emailBody: MessageKey;
  preference?: MessageKey;
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
    preference: 'digests.preference.passwordChanged',
    alwaysEmail: true,
  },
  'membership.application_received': {
    title: 'notification.membership.applicationReceived.title',
    emailSubject: 'notification.membership.applicationReceived.subject',
    emailBody: 'notification.membership.applicationReceived.body',
    preference: 'digests.preference.membershipApplication',
    alwaysEmail: false,
  },
  'exchange.new_request': {
    title: 'notification.exchange.newRequest.title',
    emailSubject: 'notification.exchange.newRequest.subject',
    emailBody: 'notification.exchange.newRequest.body',
    preference: 'notification.exchange.newRequest.preference',
    alwaysEmail: false,
  },
  'exchange.response_received': {
    title: 'notification.exchange.responseReceived.title',
    emailSubject: 'notification.exchange.responseReceived.subject',
    emailBody: 'notification.exchange.responseReceived.body',
    preference: 'notification.exchange.responseReceived.preference',
    alwaysEmail: false,
  },
  'exchange.response_accepted': {
    title: 'notification.exchange.responseAccepted.title',
    emailSubject: 'notification.exchange.responseAccepted.subject',
    emailBody: 'notification.exchange.responseAccepted.body',
    preference: 'notification.exchange.responseAccepted.preference',
    alwaysEmail: false,
  },
  'exchange.invited': {
    title: 'notification.exchange.invited.title',
    emailSubject: 'notification.exchange.invited.subject',
    emailBody: 'notification.exchange.invited.body',
    preference: 'notification.exchange.invited.preference',
    alwaysEmail: false,
  },
  'exchange.hidden': {
    title: 'notification.exchange.hidden.title',
    emailSubject: 'notification.exchange.hidden.subject',
    emailBody: 'notification.exchange.hidden.body',
    preference: 'notification.exchange.hidden.preference',
    alwaysEmail: false,
  },
  'groups.thread_created': {
    title: 'groups.notification.threadCreated.title',
    emailSubject: 'groups.notification.threadCreated.subject',
    emailBody: 'groups.notification.threadCreated.body',
    preference: 'groups.notification.threadCreated.preference',
    alwaysEmail: false,
  },
  'groups.reply_posted': {
    title: 'groups.notification.replyPosted.title',
    emailSubject: 'groups.notification.replyPosted.subject',
    emailBody: 'groups.notification.replyPosted.body',
    preference: 'groups.notification.replyPosted.preference',
    alwaysEmail: false,
  },
  'groups.mentioned': {
    title: 'groups.notification.mentioned.title',
    emailSubject: 'groups.notification.mentioned.subject',
    emailBody: 'groups.notification.mentioned.body',
    preference: 'groups.notification.mentioned.preference',
    alwaysEmail: false,
  },
  'groups.meeting_announced': {
    title: 'groups.notification.meetingAnnounced.title',
    emailSubject: 'groups.notification.meetingAnnounced.subject',
    emailBody: 'groups.notification.meetingAnnounced.body',
    preference: 'groups.notification.meetingAnnounced.preference',
    alwaysEmail: false,
  },
  'groups.join_requested': {
    title: 'groups.notification.joinRequested.title',
    emailSubject: 'groups.notification.joinRequested.subject',
    emailBody: 'groups.notification.joinRequested.body',
    preference: 'groups.notification.joinRequested.preference',
    alwaysEmail: false,
  },
  'groups.request_approved': {
    title: 'groups.notification.requestApproved.title',
    emailSubject: 'groups.notification.requestApproved.subject',
    emailBody: 'groups.notification.requestApproved.body',
    preference: 'groups.notification.requestApproved.preference',
    alwaysEmail: false,
  },
  'groups.request_declined': {
    title: 'groups.notification.requestDeclined.title',
    emailSubject: 'groups.notification.requestDeclined.subject',
    emailBody: 'groups.notification.requestDeclined.body',
    preference: 'groups.notification.requestDeclined.preference',
    alwaysEmail: false,
  },
  'groups.added': {
    title: 'groups.notification.added.title',
    emailSubject: 'groups.notification.added.subject',
    emailBody: 'groups.notification.added.body',
    preference: 'groups.notification.added.preference',
    alwaysEmail: false,
  },
  // Practice sharing (member cases): a new submission → editors; decisions → the town's authors.
  'cases.submitted': {
    title: 'notification.cases.submitted.title',
    emailSubject: 'notification.cases.submitted.subject',
    emailBody: 'notification.cases.submitted.body',
    preference: 'notification.cases.submitted.preference',
    alwaysEmail: false,
  },
  'cases.changes_requested': {
    title: 'notification.cases.changesRequested.title',
    emailSubject: 'notification.cases.changesRequested.subject',
    emailBody: 'notification.cases.changesRequested.body',
    preference: 'notification.cases.changesRequested.preference',
    alwaysEmail: false,
  },
  'cases.approved': {
    title: 'notification.cases.approved.title',
    emailSubject: 'notification.cases.approved.subject',
    emailBody: 'notification.cases.approved.body',
    preference: 'notification.cases.approved.preference',
    alwaysEmail: false,
  },
  'cases.rejected': {
    title: 'notification.cases.rejected.title',
    emailSubject: 'notification.cases.rejected.subject',
    emailBody: 'notification.cases.rejected.body',
    preference: 'notification.cases.rejected.preference',
    alwaysEmail: false,
  },
  'cases.unpublished': {
    title: 'notification.cases.unpublished.title',
    emailSubject: 'notification.cases.unpublished.subject',
    emailBody: 'notification.cases.unpublished.body',
    preference: 'notification.cases.unpublished.preference',
    alwaysEmail: false,
  },
  // Positions (one voice): a consultation opens → town administrators; adopted → them and the commenters.
  'positions.consultation_opened': {
    title: 'positions.notification.opened.title',
    emailSubject: 'positions.notification.opened.subject',
    emailBody: 'positions.notification.opened.body',
    preference: 'positions.notification.opened.preference',
    alwaysEmail: false,
  },
  'positions.adopted': {
    title: 'positions.notification.adopted.title',
    emailSubject: 'positions.notification.adopted.subject',
    emailBody: 'positions.notification.adopted.body',
    preference: 'positions.notification.adopted.preference',
    alwaysEmail: false,
  },
  // Partners and the dialogue space: applications → editors; topics → the parties named and followers.
  'partners.application_received': {
    title: 'partners.notification.applicationReceived.title',
    emailSubject: 'partners.notification.applicationReceived.subject',
    emailBody: 'partners.notification.applicationReceived.body',
    preference: 'partners.notification.applicationReceived.preference',
    alwaysEmail: false,
  },
  'dialogue.named': {
    title: 'dialogue.notification.named.title',
    emailSubject: 'dialogue.notification.named.subject',
    emailBody: 'dialogue.notification.named.body',
    preference: 'dialogue.notification.named.preference',
    alwaysEmail: false,
  },
  'dialogue.awaiting_approval': {
    title: 'dialogue.notification.awaitingApproval.title',
    emailSubject: 'dialogue.notification.awaitingApproval.subject',
    emailBody: 'dialogue.notification.awaitingApproval.body',
    preference: 'dialogue.notification.awaitingApproval.preference',
    alwaysEmail: false,
  },
  'dialogue.approved': {
    title: 'dialogue.notification.approved.title',
    emailSubject: 'dialogue.notification.approved.subject',
    emailBody: 'dialogue.notification.approved.body',
    preference: 'dialogue.notification.approved.preference',
    alwaysEmail: false,
  },
  'dialogue.reply_posted': {
    title: 'dialogue.notification.replyPosted.title',
    emailSubject: 'dialogue.notification.replyPosted.subject',
    emailBody: 'dialogue.notification.replyPosted.body',
    preference: 'dialogue.notification.replyPosted.preference',
    alwaysEmail: false,
  },
  'dialogue.status_changed': {
    title: 'dialogue.notification.statusChanged.title',
    emailSubject: 'dialogue.notification.statusChanged.subject',
    emailBody: 'dialogue.notification.statusChanged.body',
    preference: 'dialogue.notification.statusChanged.preference',
    alwaysEmail: false,
  },
  'dialogue.post_hidden': {
    title: 'dialogue.notification.postHidden.title',
    emailSubject: 'dialogue.notification.postHidden.subject',
    emailBody: 'dialogue.notification.postHidden.body',
    preference: 'dialogue.notification.postHidden.preference',
    alwaysEmail: false,
  },
} as const satisfies Record<string, NotificationKindTexts>;

/** One kind of notification. */
export type NotificationKind = keyof typeof NOTIFICATION_KINDS;

/**
 * How the email preferences list names a kind: its `preference` label when its title
 * needs placeholders the list cannot fill (a group's name…), else its title.
 */
export function preferenceLabel(kind: NotificationKind): MessageKey {
  const spec: NotificationKindTexts = NOTIFICATION_KINDS[kind];
  return spec.preference ?? spec.title;
}

/** Narrows a stored kind to a known one. */
export function isNotificationKind(value: string): value is NotificationKind {
  return value in NOTIFICATION_KINDS;
}

