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

/** The whole database as kysely sees it. */
export interface Database {
  towns: TownTable;
  users: UserTable;
  sessions: SessionTable;
  rate_limits: RateLimitTable;
  page_feedback: PageFeedbackTable;
}

export type Town = Selectable<TownTable>;
export type NewTown = Insertable<TownTable>;
export type User = Selectable<UserTable>;
export type NewUser = Insertable<UserTable>;
export type UserUpdate = Updateable<UserTable>;
