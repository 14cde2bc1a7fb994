import { administrationActions } from './administration.ts';
import { authActions } from './auth.ts';
import { feedbackActions } from './feedback.ts';
import { indicatorActions } from './indicators.ts';
import { membershipActions } from './membership.ts';
import { notificationActions } from './notifications.ts';
import { passwordActions } from './password.ts';
import { profileActions } from './profile.ts';

/** Every server action, one object per domain. */
export const server = {
  auth: authActions,
  feedback: feedbackActions,
  password: passwordActions,
  notifications: notificationActions,
  membership: membershipActions,
  admin: administrationActions,
  profile: profileActions,
  indicators: indicatorActions,
};
