import type { Migration } from 'kysely';
import * as initial from './0001_initial.ts';
import * as pageFeedback from './0002_page_feedback.ts';
import * as accountsAndMembership from './0003_accounts_and_membership.ts';
import * as expertiseExchange from './0004_expertise_exchange.ts';
import * as townIndicators from './0005_town_indicators.ts';
import * as workingGroups from './0006_working_groups.ts';
import * as memberCases from './0007_member_cases.ts';
import * as mailQueueAndJobs from './0008_mail_queue_and_jobs.ts';
import * as notificationDigests from './0009_notification_digests.ts';
import * as publicMeetingsAndRules from './0010_public_meetings_and_rules.ts';
import * as townProfileEdits from './0011_town_profile_edits.ts';
import * as memberHome from './0012_member_home.ts';
import * as sharedFiles from './0013_shared_files.ts';
import * as searchDocuments from './0014_search_documents.ts';
import * as storedExcerpts from './0015_stored_excerpts.ts';
import * as partnersAndDialogue from './0016_partners_and_dialogue.ts';
import * as positions from './0017_positions.ts';
import * as editorial from './0018_editorial.ts';
import * as searchIndex from './0019_search_index.ts';
import * as searchSyncs from './0020_search_syncs.ts';
import * as searchResync from './0021_search_resync.ts';
import * as searchPublicTerms from './0022_search_public_terms.ts';
import * as editorialPages from './0023_editorial_pages.ts';
import * as editorialPublishedFiles from './0024_editorial_published_files.ts';
import * as changeCounters from './0025_change_counters.ts';
import * as coveringCounts from './0026_covering_counts.ts';
import * as nationalReads from './0029_national_reads.ts';
import * as waitingResponses from './0030_waiting_responses.ts';

/**
 * Every migration, by name, in the order they apply. A test checks that each
 * file in this folder is listed here.
 */
export const migrations: Record<string, Migration> = {
  '0001_initial': initial,
  '0002_page_feedback': pageFeedback,
  '0003_accounts_and_membership': accountsAndMembership,
  '0004_expertise_exchange': expertiseExchange,
  '0005_town_indicators': townIndicators,
  '0006_working_groups': workingGroups,
  '0007_member_cases': memberCases,
  '0008_mail_queue_and_jobs': mailQueueAndJobs,
  '0009_notification_digests': notificationDigests,
  '0010_public_meetings_and_rules': publicMeetingsAndRules,
  '0011_town_profile_edits': townProfileEdits,
  '0012_member_home': memberHome,
  '0013_shared_files': sharedFiles,
  '0014_search_documents': searchDocuments,
  '0015_stored_excerpts': storedExcerpts,
  '0016_partners_and_dialogue': partnersAndDialogue,
  '0017_positions': positions,
  '0018_editorial': editorial,
  '0019_search_index': searchIndex,
  '0020_search_syncs': searchSyncs,
  '0021_search_resync': searchResync,
  '0022_search_public_terms': searchPublicTerms,
  '0023_editorial_pages': editorialPages,
  '0024_editorial_published_files': editorialPublishedFiles,
  '0025_change_counters': changeCounters,
  '0026_covering_counts': coveringCounts,
  '0029_national_reads': nationalReads,
  '0030_waiting_responses': waitingResponses,
};
