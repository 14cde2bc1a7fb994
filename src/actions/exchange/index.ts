import { moderationActions } from './moderation.ts';
import { requestActions } from './requests.ts';
import { responseActions } from './responses.ts';

/** Requests, responses, moderation and topic watches of the expertise exchange (`actions.exchange.*`). */
export const exchangeActions = {
  ...requestActions,
  ...responseActions,
  ...moderationActions,
};
