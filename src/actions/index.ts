import { administrationActions } from './administration.ts';
import { authActions } from './auth.ts';
import { exchangeActions } from './exchange/index.ts';
import { casesActions } from './cases.ts';
import { editorialActions } from './editorial.ts';
import { feedbackActions } from './feedback.ts';
import { filesActions } from './files.ts';
import { groupActions } from './groups/index.ts';
import { indicatorActions } from './indicators.ts';
import { mailActions } from './mail.ts';
import { membershipActions } from './membership.ts';
import { notificationActions } from './notifications.ts';
import { passwordActions } from './password.ts';
import { positionsActions } from './positions.ts';
import { profileActions } from './profile.ts';
import { townActions } from './towns.ts';
import { partnersActions } from './partners.ts';
import { dialogueActions } from './dialogue.ts';

/** Every server action, one object per domain. */
export const server = {
  auth: authActions,
  feedback: feedbackActions,
  password: passwordActions,
  notifications: notificationActions,
  membership: membershipActions,
  admin: administrationActions,
  profile: profileActions,
  exchange: exchangeActions,
  groups: groupActions,
  cases: casesActions,
  indicators: indicatorActions,
  towns: townActions,
  files: filesActions,
  mail: mailActions,
  positions: positionsActions,
  partners: partnersActions,
  dialogue: dialogueActions,
  editorial: editorialActions,
};
