// The Database interface: one table interface per table, as kysely's examples keep it.
// It stays one file past 300 lines on purpose: it is declarations only, and the one
// place a reader checks a column's type against the migrations.

import type { ColumnType, Insertable, Selectable, Updateable } from 'kysely';

import type { Language } from '~/i18n/languages.ts';
import type { UnixSeconds } from '~/lib/clock.ts';
import type { DialogueKind, DialogueStatus, PartnerKind } from '~/lib/dialogue/catalogue.ts';
import type { RequestStatus } from '~/lib/exchange/catalogue.ts';
import type { EconomicPotential } from '~/schemas/taxonomy.ts';

// Types whose home is the pure layer, named here too because tables use them.
export type { EconomicPotential, Language, RequestStatus, UnixSeconds };

/** Roles in rising order of power; see DESIGN.md "Roles". */
export const ROLES = ['member', 'town_admin', 'editor', 'admin', 'partner', 'author'] as const;
/** A user's role. */
export type Role = (typeof ROLES)[number];

/** A member town. */
export interface TownTable {
  id: ColumnType<number, never, never>;
  slug: string;
  name_kk: string;
  name_ru: string;
  name_en: string;
  region: string;
  population: number | null;
  main_industry: string | null;
  founding_enterprise_kk: string | null;
  founding_enterprise_ru: string | null;
  founding_enterprise_en: string | null;
  economic_potential: EconomicPotential | null;
  description_kk: string | null;
  description_ru: string | null;
  description_en: string | null;
  contact_email: string | null;
  contact_phone: string | null;
  contact_website: string | null;
  created_at: UnixSeconds;
  updated_at: UnixSeconds;
}

/** An account. Email is stored lower-cased and trimmed. */
export interface UserTable {
  id: string;
  email: string;
  password_hash: string;
  display_name: string;
  role: Role;
  town_id: number | null;
  language: Language;
  disabled_at: UnixSeconds | null;
  created_at: UnixSeconds;
  updated_at: UnixSeconds;
  position: string | null;
  /** JSON array of language codes (kk, ru, en, other). */
  languages_spoken: string | null;
  /** JSON array of topic ids from content/taxonomies/topics.json. */
  expertise_topics: string | null;
  expertise_keywords: string | null;
  bio: string | null;
  /** Whether members of other towns may contact this person (0/1). */
  contactable: ColumnType<0 | 1, 0 | 1 | undefined, 0 | 1>;
}

/** A signed-in session. `id_hash` is the SHA-256 of the token in the cookie, never the token. */
export interface SessionTable {
  id_hash: string;
  user_id: string;
  expires_at: UnixSeconds;
  created_at: UnixSeconds;
}

/** Fixed-window counters for throttling, shared by every application server. */
export interface RateLimitTable {
  key: string;
  window_start: UnixSeconds;
  count: number;
}

/** An answer to "was this page helpful?"; anonymous, with an optional comment. */
export interface PageFeedbackTable {
  id: ColumnType<number, never, never>;
  page: string;
  language: Language;
  helpful: 0 | 1;
  comment: string | null;
  created_at: UnixSeconds;
}

/** What a single-use token is for. */
export type TokenPurpose = 'invitation' | 'password_reset' | 'email_change';

/** A single-use token sent by email. Only its SHA-256 is stored. */
export interface TokenTable {
  id_hash: string;
  purpose: TokenPurpose;
  email: string;
  user_id: string | null;
  /** JSON: what the token carries (e.g. the role and town of an invitation). */
  data: string | null;
  expires_at: UnixSeconds;
  used_at: UnixSeconds | null;
  created_at: UnixSeconds;
}

/** A town's application to join the association. */
export interface MembershipApplicationTable {
  id: ColumnType<number, never, never>;
  town_name: string;
  region: string;
  population: number | null;
  main_industry: string;
  contact_name: string;
  email: string;
  phone: string;
  motivation: string;
  language: Language;
  status: 'pending' | 'approved' | 'rejected';
  decision_reason: string | null;
  town_id: number | null;
  decided_by: string | null;
  decided_at: UnixSeconds | null;
  created_at: UnixSeconds;
}

/** Something a member should know, shown in their notification list. */
export interface NotificationTable {
  id: ColumnType<number, never, never>;
  user_id: string;
  kind: string;
  /** JSON object of values for the message's placeholders. */
  params: string;
  link: string | null;
  created_at: UnixSeconds;
  read_at: UnixSeconds | null;
  /** The digest this notification waits for ('daily' or 'weekly'), or null when mailed at once or never. */
  digest: ColumnType<'daily' | 'weekly' | null, 'daily' | 'weekly' | null | undefined, 'daily' | 'weekly' | null>;
  /** When a digest took it (null: still waiting, if `digest` is set). */
  digested_at: ColumnType<UnixSeconds | null, UnixSeconds | null | undefined, UnixSeconds | null>;
}

/** How a member wants one kind of notification by email (absent: immediately). See src/server/notifications/preferences.ts. */
export interface NotificationPreferenceTable {
  user_id: string;
  kind: string;
  delivery: 'immediate' | 'daily' | 'weekly' | 'never';
}

/** Email written here instead of sent when no SMTP server is configured. */
export interface EmailOutboxTable {
  id: ColumnType<number, never, never>;
  to_address: string;
  subject: string;
  text_body: string;
  language: Language;
  created_at: UnixSeconds;
}

/** Who did what to whom, when and from where. Never a password or a token. */
export interface AuditLogTable {
  id: ColumnType<number, never, never>;
  at: UnixSeconds;
  actor_id: string | null;
  action: string;
  target_type: string | null;
  target_id: string | null;
  client_address: string | null;
  /** JSON object of further facts. */
  details: string | null;
}

/** A town's request for expertise (the exchange). Text columns hold markdown as written. */
export interface HelpRequestTable {
  id: ColumnType<number, never, never>;
  town_id: number;
  author_id: string;
  title: string;
  body: string;
  help_forms: string;
  topics: string;
  languages: string;
  urgency: 'low' | 'normal' | 'high';
  deadline: string | null;
  status: RequestStatus;
  outcome: string | null;
  hidden_at: UnixSeconds | null;
  hidden_reason: string | null;
  published_at: UnixSeconds | null;
  resolved_at: UnixSeconds | null;
  created_at: UnixSeconds;
  updated_at: UnixSeconds;
}

/** A request's topics, one row each, for filtering. */
export interface HelpRequestTopicTable {
  request_id: number;
  topic: string;
  /** The request's published_at, copied so a topic's list walks one index. */
  published_at: UnixSeconds | null;
}

/** A member's answer or offer of help. */
export interface HelpResponseTable {
  id: ColumnType<number, never, never>;
  request_id: number;
  author_id: string;
  town_id: number;
  body: string;
  links: ColumnType<string, string | undefined, string>;
  accepted_at: UnixSeconds | null;
  withdrawn_at: UnixSeconds | null;
  hidden_at: UnixSeconds | null;
  hidden_reason: string | null;
  created_at: UnixSeconds;
  updated_at: UnixSeconds;
}

/** A member invited to answer a request. */
export interface HelpRequestInvitationTable {
  request_id: number;
  user_id: string;
  invited_by: string;
  created_at: UnixSeconds;
}

/** One entry of a request's history: state changes and moderation. */
export interface HelpRequestEventTable {
  id: ColumnType<number, never, never>;
  request_id: number;
  response_id: number | null;
  actor_id: string;
  action: string;
  note: string | null;
  created_at: UnixSeconds;
}

/** A member who wants to hear of new requests on a topic. */
export interface TopicWatchTable {
  user_id: string;
  topic: string;
}

/**
 * The matching's index: a member's standing on one topic (declared expertise, answers
 * accepted), with their town (null when disabled or townless) and languages as a bit
 * mask (kk=1, ru=2, en=4). Kept by triggers from users; `accepted` by acceptResponse.
 */
export interface HelpMatchIndexTable {
  topic: string;
  user_id: string;
  declared: ColumnType<number, number | undefined, number>;
  accepted: ColumnType<number, number | undefined, number>;
  town_id: number | null;
  languages: ColumnType<number, number | undefined, number>;
}

/** The matching's stored answer for a request (JSON of SuggestedPerson[] / SuggestedTown[]). */
export interface HelpRequestSuggestionTable {
  request_id: number;
  people: string;
  towns: string;
  computed_at: UnixSeconds;
}


/** What kind of working group: a standing committee, a forum, a community of practice. */
export type GroupType = 'committee' | 'forum' | 'community';
/** Who may join: anyone signed in, by a lead's approval, or by invitation only (and invisible). */
export type GroupVisibility = 'open' | 'approval' | 'private';
/** How often a group usually meets. */
export type GroupRhythm = 'weekly' | 'fortnightly' | 'monthly' | 'quarterly' | 'as_needed';

/** A working group. Name and purpose are kept in each of the portal's languages. */
export interface GroupTable {
  id: ColumnType<number, never, never>;
  slug: string;
  name_kk: string;
  name_ru: string;
  name_en: string;
  purpose_kk: string;
  purpose_ru: string;
  purpose_en: string;
  /** JSON array of topic ids from content/taxonomies/topics.json. */
  topics: string;
  type: GroupType;
  visibility: GroupVisibility;
  rhythm: GroupRhythm;
  /** Whether the public sees the purpose (0/1); the name of a non-private group is always public. */
  description_public: 0 | 1;
  archived_at: UnixSeconds | null;
  /** Who adds documents to the group's library (migration 0013). */
  library_uploads: ColumnType<'leads' | 'members', 'leads' | 'members' | undefined, 'leads' | 'members'>;
  created_by: string | null;
  created_at: UnixSeconds;
  updated_at: UnixSeconds;
}

/** A member of a group, with their role in it. */
export interface GroupMemberTable {
  group_id: number;
  user_id: string;
  role: 'lead' | 'member';
  joined_at: UnixSeconds;
}

/** A request to join a group that needs a lead's approval. */
export interface GroupJoinRequestTable {
  id: ColumnType<number, never, never>;
  group_id: number;
  user_id: string;
  note: string | null;
  status: 'pending' | 'approved' | 'declined' | 'withdrawn';
  decided_by: string | null;
  decided_at: UnixSeconds | null;
  created_at: UnixSeconds;
}

/** A discussion thread in a group; its body is member markdown. */
export interface GroupThreadTable {
  id: ColumnType<number, never, never>;
  group_id: number;
  author_id: string | null;
  title: string;
  body: string;
  pinned: 0 | 1;
  locked: 0 | 1;
  hidden_at: UnixSeconds | null;
  hidden_by: string | null;
  hidden_reason: string | null;
  created_at: UnixSeconds;
  last_activity_at: UnixSeconds;
}

/** A reply in a thread; its body is member markdown. */
export interface GroupReplyTable {
  id: ColumnType<number, never, never>;
  thread_id: number;
  author_id: string | null;
  body: string;
  hidden_at: UnixSeconds | null;
  hidden_by: string | null;
  hidden_reason: string | null;
  created_at: UnixSeconds;
}

/** When a member last read a thread (for unread markers). */
export interface GroupThreadReadTable {
  thread_id: number;
  user_id: string;
  read_at: UnixSeconds;
}

/** Whether a member follows a thread (absent: no; authors and repliers follow on posting). */
export interface GroupThreadFollowTable {
  thread_id: number;
  user_id: string;
  following: 0 | 1;
}

/** A meeting a lead announced. `starts_at` is UTC; pages show Asia/Almaty. */
export interface GroupMeetingTable {
  id: ColumnType<number, never, never>;
  group_id: number;
  title: string;
  starts_at: UnixSeconds;
  duration_minutes: number;
  place: string | null;
  link: string | null;
  /** Member markdown. */
  agenda: string;
  created_by: string | null;
  created_at: UnixSeconds;
}

/** A member's answer to "will you attend?". */
export interface GroupMeetingAnswerTable {
  meeting_id: number;
  user_id: string;
  answer: 'yes' | 'no' | 'maybe';
  answered_at: UnixSeconds;
}

/** A resource pinned on a group page: a knowledge-centre item (`collection/slug`) or an external link. */
export interface GroupResourceTable {
  id: ColumnType<number, never, never>;
  group_id: number;
  kind: 'item' | 'link';
  target: string;
  title: string | null;
  created_by: string | null;
  created_at: UnixSeconds;
}

/** Where a member case's working copy stands in review. */
export type MemberCaseStatus = 'draft' | 'submitted' | 'changes_requested' | 'approved' | 'rejected';

/**
 * A town's own case. `content` is the working copy the town edits; `published_content`
 * is what the public reads, replaced only when an editor approves a working copy.
 */
export interface MemberCaseTable {
  id: ColumnType<number, never, never>;
  town_id: number;
  created_by: string | null;
  updated_by: string | null;
  /** The expertise request the case grew from (plain integer, no foreign key). */
  source_request_id: number | null;
  status: MemberCaseStatus;
  /** Bumped on every save and state change; a save must name the version it started from. */
  version: number;
  /** JSON of CaseContent (src/server/cases/types.ts). */
  content: string;
  /** JSON of the approved CaseContent the public reads; null until first approved. */
  published_content: string | null;
  slug: string | null;
  published_at: UnixSeconds | null;
  published_version: number | null;
  unpublished_at: UnixSeconds | null;
  unpublish_reason: string | null;
  illustrative: ColumnType<0 | 1, 0 | 1 | undefined, 0 | 1>;
  created_at: UnixSeconds;
  updated_at: UnixSeconds;
}

/** One state change, comment or decision on a member case: who, what, when. */
export interface MemberCaseEventTable {
  id: ColumnType<number, never, never>;
  case_id: number;
  actor_id: string | null;
  kind: string;
  from_status: string | null;
  to_status: string | null;
  version: number | null;
  body: string | null;
  at: UnixSeconds;
}

/**
 * One town's figure for one indicator (content/taxonomies/indicators.json) and year.
 * Unpublished (published_at null) values are seen by members only.
 */
export interface IndicatorValueTable {
  id: ColumnType<number, never, never>;
  town_id: number;
  indicator: string;
  period: number;
  value: number;
  source_note: string;
  /** 1 for demo figures that are not real (shown as "Illustrative demo figure"). */
  illustrative: ColumnType<0 | 1, 0 | 1 | undefined, 0 | 1>;
  published_at: UnixSeconds | null;
  created_by: string | null;
  created_at: UnixSeconds;
  updated_by: string | null;
  updated_at: UnixSeconds;
}

/** What happened to an indicator value: who, when, from what to what. Never updated. */
export interface IndicatorValueHistoryTable {
  id: ColumnType<number, never, never>;
  value_id: number;
  town_id: number;
  change: 'added' | 'corrected' | 'published';
  old_value: number | null;
  new_value: number;
  old_source_note: string | null;
  source_note: string;
  actor_id: string | null;
  at: UnixSeconds;
}

// --- Shared files (migration 0013) ---

/** What a file is attached to. */
export type AttachedKind = 'request' | 'response' | 'thread' | 'reply' | 'document' | 'town_photo' | 'editorial';

/** The database storage backend's bytes, by an opaque key (src/server/files/storage.ts). */
export interface FileBlobTable {
  key: string;
  bytes: Uint8Array;
}

/** A stored file: its safe name, the type found in its content, and what it is attached to. */
export interface FileTable {
  id: ColumnType<number, never, never>;
  storage_key: string;
  town_id: number | null;
  uploader_id: string | null;
  attached_kind: AttachedKind;
  attached_id: number;
  name: string;
  media_type: string;
  size: number;
  created_at: UnixSeconds;
}

/** A document in a group's library; its file is attached with kind 'document'. */
export interface GroupDocumentTable {
  id: ColumnType<number, never, never>;
  group_id: number;
  title: string;
  description: string;
  created_by: string | null;
  created_at: UnixSeconds;
}

/** When a member last opened one of their groups (the member home's "new since your last visit"). */
export interface GroupVisitTable {
  user_id: string;
  group_id: number;
  visited_at: UnixSeconds;
}

/** The whole database as kysely sees it. */
export interface Database {
  towns: TownTable;
  users: UserTable;
  sessions: SessionTable;
  rate_limits: RateLimitTable;
  page_feedback: PageFeedbackTable;
  tokens: TokenTable;
  membership_applications: MembershipApplicationTable;
  notifications: NotificationTable;
  notification_preferences: NotificationPreferenceTable;
  email_outbox: EmailOutboxTable;
  audit_log: AuditLogTable;
  indicator_values: IndicatorValueTable;
  indicator_value_history: IndicatorValueHistoryTable;
  help_requests: HelpRequestTable;
  help_request_topics: HelpRequestTopicTable;
  help_responses: HelpResponseTable;
  help_request_invitations: HelpRequestInvitationTable;
  help_request_events: HelpRequestEventTable;
  topic_watches: TopicWatchTable;
  help_match_index: HelpMatchIndexTable;
  help_request_suggestions: HelpRequestSuggestionTable;
  groups: GroupTable;
  group_members: GroupMemberTable;
  group_join_requests: GroupJoinRequestTable;
  group_threads: GroupThreadTable;
  group_replies: GroupReplyTable;
  group_thread_reads: GroupThreadReadTable;
  group_thread_follows: GroupThreadFollowTable;
  group_meetings: GroupMeetingTable;
  group_meeting_answers: GroupMeetingAnswerTable;
  group_resources: GroupResourceTable;
  member_cases: MemberCaseTable;
  member_case_events: MemberCaseEventTable;
  // Shared files (migration 0013).
  file_blobs: FileBlobTable;
  files: FileTable;
  group_documents: GroupDocumentTable;
  group_visits: GroupVisitTable;
}

export type Town = Selectable<TownTable>;
export type NewTown = Insertable<TownTable>;
export type User = Selectable<UserTable>;
export type NewUser = Insertable<UserTable>;
export type UserUpdate = Updateable<UserTable>;

/*
 * Migration 0010, as a separate block (interfaces merge with those above): a lead may mark a
 * meeting public, and a hidden post names the community rule it breaks.
 */
/** Whether the public events calendar shows the meeting (0/1), while its group is public. */
export interface GroupMeetingTable {
  is_public: ColumnType<0 | 1, 0 | 1 | undefined, 0 | 1>;
}
/** The community rule (src/lib/community-rules.ts) a hidden post breaks; null if none was named. */
type HiddenRule = ColumnType<string | null, string | null | undefined, string | null>;
export interface GroupThreadTable {
  hidden_rule: HiddenRule;
}
export interface GroupReplyTable {
  hidden_rule: HiddenRule;
}
export interface HelpRequestTable {
  hidden_rule: HiddenRule;
}
export interface HelpResponseTable {
  hidden_rule: HiddenRule;
}

// Town profile editing (migration 0011). Declared as a block of its own that TypeScript
// merges into TownTable and Database above (interface merging), so this domain's
// columns and table stay together.

/** The columns migration 0011 adds to a member town. */
export interface TownTable {
  /** The year the population figure is for. */
  population_year: number | null;
  contact_address: string | null;
  /** Comma-separated languages whose names were given in the edit form; null before the first edit. */
  given_names: string | null;
}

/** One saved edit of a town's profile: who, when, and each changed field from what to what. Never updated. */
export interface TownProfileChangeTable {
  id: ColumnType<number, never, never>;
  town_id: number;
  actor_id: string | null;
  at: UnixSeconds;
  /** JSON array of { field, before, after } (values as stored: text, number or null). */
  changes: string;
}

export interface Database {
  town_profile_changes: TownProfileChangeTable;
}
// Mail that is never lost and scheduled jobs (migration 0008). The outbox's delivery
// columns and the two new tables are merged into the interfaces above (TypeScript joins
// declarations of one interface), so this block stays apart from the others.

/** Where a message of the outbox is: waiting (to be tried, or for SMTP_URL), handed to the SMTP server, or given up on. */
export type MailState = 'queued' | 'sent' | 'failed';
/** Every mail state, in the order administrators read them. */
export const MAIL_STATES = ['queued', 'sent', 'failed'] as const satisfies readonly MailState[];

/** A column the database fills with its default when an insert leaves it out. */
type Defaulted<T> = ColumnType<T, T | undefined, T>;

export interface EmailOutboxTable {
  state: Defaulted<MailState>;
  /** The HTML part the caller wrote; null: made from the text when sent. */
  html_body: Defaulted<string | null>;
  /** Tries in the current round; an administrator's retry starts a new round. */
  attempts: Defaulted<number>;
  /** When the worker may try next (queued mail only). */
  next_attempt_at: Defaulted<UnixSeconds>;
  /** The worker holding the message while it sends it, until `lease_until`. */
  lease_owner: Defaulted<string | null>;
  lease_until: Defaulted<UnixSeconds | null>;
  last_error: Defaulted<string | null>;
  sent_at: Defaulted<UnixSeconds | null>;
}

/** One try to hand a message to the SMTP server. */
export interface EmailAttemptTable {
  id: ColumnType<number, never, never>;
  mail_id: number;
  at: UnixSeconds;
  outcome: 'sent' | 'failed';
  error: string | null;
}

/** A scheduled job's lease (which instance runs it now) and its last run. */
export interface ScheduledJobTable {
  name: string;
  next_run_at: UnixSeconds;
  lease_owner: Defaulted<string | null>;
  lease_until: Defaulted<UnixSeconds | null>;
  last_started_at: Defaulted<UnixSeconds | null>;
  last_finished_at: Defaulted<UnixSeconds | null>;
  last_duration_ms: Defaulted<number | null>;
  last_outcome: Defaulted<'succeeded' | 'failed' | null>;
  last_error: Defaulted<string | null>;
  /** JSON: what the last run did, as counts. */
  last_report: Defaulted<string | null>;
  runs: Defaulted<number>;
  failures: Defaulted<number>;
}

export interface Database {
  email_attempts: EmailAttemptTable;
  scheduled_jobs: ScheduledJobTable;
}

export type OutboxMail = Selectable<EmailOutboxTable>;
export type ScheduledJob = Selectable<ScheduledJobTable>;

// Search (migration 0014): one row per language version of every searchable thing.
export interface SearchDocumentTable {
  key: string;
  source: string;
  section: string;
  lang: Language;
  path: string;
  title: string;
  summary: Defaulted<string>;
  body: Defaulted<string>;
  topics: Defaulted<string>;
  audience: string;
  published_at: UnixSeconds | null;
  updated_at: UnixSeconds;
}

export interface Database {
  search_documents: SearchDocumentTable;
}

// Positions, "one voice" (migration 0017): src/server/positions/.
export type PositionStatus = 'draft' | 'consultation' | 'adopted';
export type PositionStanceValue = 'support' | 'support_with_changes' | 'oppose' | 'abstain';

export interface PositionTable {
  id: ColumnType<number, never, never>;
  slug: string;
  status: PositionStatus;
  current_version: Defaulted<number>;
  /** JSON array of topic ids. */
  topics: Defaulted<string>;
  opened_at: UnixSeconds | null;
  closes_at: UnixSeconds | null;
  adopted_at: UnixSeconds | null;
  adopted_version: number | null;
  created_by: string | null;
  created_at: UnixSeconds;
  updated_at: UnixSeconds;
}

/** One version of a position's text; every version is kept. */
export interface PositionVersionTable {
  id: ColumnType<number, never, never>;
  position_id: number;
  version: number;
  lang: Language;
  title: string;
  summary: string;
  /** JSON array of { heading, body } (markdown). */
  sections: string;
  change_note: string | null;
  created_by: string | null;
  created_at: UnixSeconds;
}

/** A member's comment on one section of one version. */
export interface PositionCommentTable {
  id: ColumnType<number, never, never>;
  position_id: number;
  version: number;
  section: number;
  author_id: string | null;
  town_id: number;
  body: string;
  created_at: UnixSeconds;
}

/** A town's stance on a position: one per town (unique position_id, town_id). */
export interface PositionStanceTable {
  id: ColumnType<number, never, never>;
  position_id: number;
  town_id: number;
  stance: PositionStanceValue;
  reason: string | null;
  version: number;
  recorded_by: string | null;
  created_at: UnixSeconds;
  updated_at: UnixSeconds;
}

export interface Database {
  positions: PositionTable;
  position_versions: PositionVersionTable;
  position_comments: PositionCommentTable;
  position_stances: PositionStanceTable;
}

// Partners and the dialogue space (migration 0016).
/** The partner organisation of a `partner` account (declaration merged into the users table above). */
export interface UserTable {
  partner_id: ColumnType<number | null, number | null | undefined, number | null>;
}

export type { DialogueKind, DialogueStatus, PartnerKind };

/** A partner organisation's application and, once approved, the partner. */
export interface PartnerTable {
  id: ColumnType<number, never, never>;
  name: string;
  kind: PartnerKind;
  registration_number: string;
  sector: string;
  /** JSON array of region ids. */
  regions: string;
  contact_name: string;
  email: string;
  phone: string;
  motivation: string;
  language: Language;
  status: 'pending' | 'approved' | 'rejected';
  decision_reason: string | null;
  decided_by: string | null;
  decided_at: UnixSeconds | null;
  created_at: UnixSeconds;
}

export interface DialogueTopicTable {
  id: ColumnType<number, never, never>;
  title: string;
  body: string;
  kind: DialogueKind;
  language: Language;
  /** JSON arrays of topic and region ids. */
  topics: string;
  regions: string;
  author_id: string;
  town_id: number | null;
  partner_id: number | null;
  status: DialogueStatus;
  outcome: string | null;
  public: 0 | 1;
  approved_at: UnixSeconds | null;
  created_at: UnixSeconds;
  updated_at: UnixSeconds;
}

export interface DialogueTopicTownTable {
  topic_id: number;
  town_id: number;
}

export interface DialogueTopicPartnerTable {
  topic_id: number;
  partner_id: number;
}

export interface DialoguePostTable {
  id: ColumnType<number, never, never>;
  topic_id: number;
  author_id: string;
  body: string;
  created_at: UnixSeconds;
  hidden_at: UnixSeconds | null;
  hidden_by: string | null;
  hidden_rule: string | null;
  hidden_reason: string | null;
}

export interface DialogueEventTable {
  id: ColumnType<number, never, never>;
  topic_id: number;
  actor_id: string | null;
  kind: string;
  /** JSON object: the event's parameters. */
  params: string;
  created_at: UnixSeconds;
}

export interface DialogueFollowTable {
  topic_id: number;
  user_id: string;
}

export interface Database {
  partners: PartnerTable;
  dialogue_topics: DialogueTopicTable;
  dialogue_topic_towns: DialogueTopicTownTable;
  dialogue_topic_partners: DialogueTopicPartnerTable;
  dialogue_posts: DialoguePostTable;
  dialogue_events: DialogueEventTable;
  dialogue_follows: DialogueFollowTable;
}

export type Partner = Selectable<PartnerTable>;
export type DialogueTopic = Selectable<DialogueTopicTable>;

// Search sources (migration 0020): what each bulk sync of search_documents last wrote.
export interface SearchSyncTable {
  name: string;
  fingerprint: string;
  synced_at: UnixSeconds;
}

export interface Database {
  search_syncs: SearchSyncTable;
}

// The editorial workspace (migration 0018): items the association writes in the portal;
// 'pages' (the association's own pages) since migration 0023.
export type EditorialCollection = 'resources' | 'news' | 'events' | 'programmes' | 'pages';
export type EditorialState = 'draft' | 'submitted' | 'scheduled' | 'published' | 'withdrawn';

export interface EditorialItemTable {
  id: ColumnType<number, never, never>;
  collection: EditorialCollection;
  slug: string;
  source_lang: Language;
  state: EditorialState;
  version: Defaulted<number>;
  is_public: Defaulted<number>;
  publish_at: UnixSeconds | null;
  published_at: UnixSeconds | null;
  withdrawn_at: UnixSeconds | null;
  withdrawn_reason: string | null;
  created_by: string | null;
  updated_by: string | null;
  created_at: UnixSeconds;
  updated_at: UnixSeconds;
}

export interface EditorialTextTable {
  item_id: number;
  lang: Language;
  data: string;
  body: string;
  revision: number;
  source_revision: number | null;
  updated_by: string | null;
  updated_at: UnixSeconds;
}

export interface EditorialRevisionTable {
  id: ColumnType<number, never, never>;
  item_id: number;
  lang: Language;
  revision: number;
  data: string;
  body: string;
  saved_by: string | null;
  saved_at: UnixSeconds;
}

export interface EditorialPublishedTable {
  item_id: number;
  lang: Language;
  data: string;
  body: string;
  revision: number;
}

export interface EditorialHistoryTable {
  id: ColumnType<number, never, never>;
  item_id: number;
  actor_id: string | null;
  action: string;
  lang: Language | null;
  revision: number | null;
  detail: string | null;
  at: UnixSeconds;
}

export interface EditorialFileTable {
  item_id: number;
  file_id: number;
}

export interface Database {
  editorial_items: EditorialItemTable;
  editorial_texts: EditorialTextTable;
  editorial_revisions: EditorialRevisionTable;
  editorial_published: EditorialPublishedTable;
  editorial_history: EditorialHistoryTable;
  editorial_files: EditorialFileTable;
}

// Search's own index (migration 0019), derived from search_documents when they are saved.
// SQLite: search_entries + the FTS5 table search_index (its rowid is the entry's id).
export interface SearchEntryTable {
  id: ColumnType<number, never, never>;
  key: string;
  section: string;
  lang: string;
  audience: string;
  published_at: UnixSeconds | null;
}

// PostgreSQL: one row per document with its terms as a weighted tsvector.
export interface SearchVectorTable {
  key: string;
  section: string;
  lang: string;
  audience: string;
  published_at: UnixSeconds | null;
  terms: string;
}

// Both engines: every word seen and its index term; every known word's one-letter-deleted forms.
export interface SearchWordTable {
  word: string;
  term: string;
}

export interface SearchSpellingTable {
  variant: string;
  word: string;
}

export interface Database {
  search_entries: SearchEntryTable;
  search_vectors: SearchVectorTable;
  search_words: SearchWordTable;
  search_spellings: SearchSpellingTable;
}

// Speed at national scale (migration 0015): a request's plain-text excerpt, stored when
// it is written (src/server/exchange/excerpt.ts), so lists never render bodies.
export interface HelpRequestTable {
  excerpt: Defaulted<string>;
}

// Files to download follow the editorial workflow (migration 0024): editorial_files is the
// working copy's list, this is what the public may download (copied when published).
export interface EditorialPublishedFileTable {
  item_id: number;
  file_id: number;
}

export interface Database {
  editorial_published_files: EditorialPublishedFileTable;
}

// Search's full resync in the background (migration 0021): where a pass over the database
// sources is, per source, so it continues after a restart and on any instance.
export interface SearchResyncProgressTable {
  source: string;
  position: number;
  version: string;
  started_at: UnixSeconds;
  cursor: string | null;
  total: number;
  done: Defaulted<number>;
  written: Defaulted<number>;
  paged_at: UnixSeconds | null;
  finished_at: UnixSeconds | null;
}

export interface Database {
  search_resync_progress: SearchResyncProgressTable;
}

// Change counters (migration 0025, src/server/cache/changes.ts): one row per area of what
// the public reads, bumped in the writer's transaction; processes keep reads until it moves.
export interface ChangeTable {
  area: string;
  serial: number;
}

export interface Database {
  changes: ChangeTable;
}
