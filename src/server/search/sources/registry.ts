import { dialogueSource } from '~/server/dialogue/search.ts';
import { positionsSource } from '~/server/positions/search.ts';
import { requestsSource, responsesSource } from './exchange.ts';
import { groupsSource, meetingsSource, repliesSource, threadsSource } from './groups.ts';
import { townFiguresSource } from './indicators.ts';
import { memberCasesSource } from './member-cases.ts';
import { membersSource } from './members.ts';
import type { DatabaseSource } from './paging.ts';
import { townsSource } from './towns.ts';

/**
 * Every source that lives in the database, by name, in the order a full pass goes
 * through them (../resync.ts): after an upgrade that changed DATABASE_SOURCES_VERSION,
 * on a database from before search, by the demo seed and by `qala search reindex`.
 */
export const DATABASE_SOURCES: Readonly<Record<string, DatabaseSource>> = {
  towns: townsSource,
  'indicator-values': townFiguresSource,
  'member-cases': memberCasesSource,
  groups: groupsSource,
  meetings: meetingsSource,
  threads: threadsSource,
  replies: repliesSource,
  requests: requestsSource,
  responses: responsesSource,
  members: membersSource,
  dialogue: dialogueSource,
  positions: positionsSource,
};

/**
 * The version of what the database sources write. Raise it when a source writes
 * different documents (a new field, a new source): the next start rewrites them all,
 * in the background.
 */
export const DATABASE_SOURCES_VERSION = '2';
