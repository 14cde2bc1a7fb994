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
  description_kk: string | null;
  description_ru: string | null;
  description_en: string | null;
  contact_email: string | null;
  contact_phone: string | null;
  contact_website: string | null;
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
}

export type Town = Selectable<TownTable>;
export type NewTown = Insertable<TownTable>;
export type User = Selectable<UserTable>;
export type NewUser = Insertable<UserTable>;
export type UserUpdate = Updateable<UserTable>;
