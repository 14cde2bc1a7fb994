import type { ColumnType, Insertable, Selectable, Updateable } from 'kysely';

/** Time is stored as whole seconds since the Unix epoch, UTC, everywhere. */
export type UnixSeconds = number;

/** Roles in rising order of power; see DESIGN.md "Roles". */
export const ROLES = ['member', 'town_admin', 'editor', 'admin'] as const;
/** A user's role. */
export type Role = (typeof ROLES)[number];

/** Languages the portal speaks. */
export const LANGUAGES = ['kk', 'ru', 'en'] as const;
/** One of the portal's languages. */
export type Language = (typeof LANGUAGES)[number];

/** Economic-potential category of a town (national monotown programme). */
export type EconomicPotential = 'high' | 'medium' | 'low';

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
}

/** Whether a member wants email for one kind of notification (absent: yes). */
export interface NotificationPreferenceTable {
  user_id: string;
  kind: string;
  email: 0 | 1;
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
  member_cases: MemberCaseTable;
  member_case_events: MemberCaseEventTable;
}

export type Town = Selectable<TownTable>;
export type NewTown = Insertable<TownTable>;
export type User = Selectable<UserTable>;
export type NewUser = Insertable<UserTable>;
export type UserUpdate = Updateable<UserTable>;
