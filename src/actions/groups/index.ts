import { groupEditorActions } from './groups.ts';
import { groupMeetingActions } from './meetings.ts';
import { groupMemberActions } from './members.ts';
import { groupResourceActions } from './resources.ts';
import { groupThreadActions } from './threads.ts';

/**
 * Working groups (`actions.groups.*`): editors run them, members join and discuss,
 * leads moderate. One file per part, as src/server/groups/ is split.
 */
export const groupActions = {
  ...groupEditorActions,
  ...groupMemberActions,
  ...groupThreadActions,
  ...groupMeetingActions,
  ...groupResourceActions,
};
