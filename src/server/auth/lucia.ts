import type { Kysely } from 'kysely';
import { Lucia, TimeSpan } from 'lucia';
import type { Language } from '~/i18n/index.ts';
import type { Database, Role } from '~/server/db/schema.ts';
import { createSessionAdapter, type SessionAttributesRow, type UserAttributesRow } from './session-adapter.ts';
import { IDLE_SECONDS, sessionCookieName } from './session-policy.ts';

/** The signed-in user as pages and actions see it (`Astro.locals.user`). */
export interface CurrentUser {
  id: string;
  email: string;
  displayName: string;
  role: Role;
  language: Language;
  disabled: boolean;
  town: { id: number; slug: string; name: Record<Language, string> } | null;
  /** The partner organisation of a `partner` account. */
  partner?: { id: number; name: string } | null;
  /**
   * Unread notifications, counted up to UNREAD_COUNT_CAP with the session check at the
   * start of this request. Only GET and HEAD requests keep it (src/middleware.ts): an
   * action (marking all read) may change it before the page renders, so other requests
   * count again. Absent where the user was not built by the session check.
   */
  unreadNotifications?: number | undefined;
}

/** Builds the lucia instance for a database. */
export function createLucia(db: Kysely<Database>, options: { production: boolean }) {
  return new Lucia(createSessionAdapter(db), {
    sessionExpiresIn: new TimeSpan(IDLE_SECONDS, 's'),
    sessionCookie: {
      name: sessionCookieName(options.production),
      // lucia's defaults already give HttpOnly, SameSite=Lax and Path=/.
      attributes: { secure: options.production, sameSite: 'lax' },
    },
    getSessionAttributes: (attributes) => ({ createdAt: attributes.created_at }),
    getUserAttributes: (attributes): Omit<CurrentUser, 'id'> => ({
      email: attributes.email,
      displayName: attributes.display_name,
      role: attributes.role,
      language: attributes.language,
      disabled: attributes.disabled_at !== null,
      town:
        attributes.town_id === null
          ? null
          : {
              id: attributes.town_id,
              slug: attributes.town_slug ?? '',
              name: { kk: attributes.town_name_kk ?? '', ru: attributes.town_name_ru ?? '', en: attributes.town_name_en ?? '' },
            },
      partner: attributes.partner_id === null || attributes.partner_id === undefined ? null : { id: attributes.partner_id, name: attributes.partner_name ?? '' },
      unreadNotifications: attributes.unread_notifications,
    }),
  });
}

/** The lucia instance type, as registered with lucia below. */
export type Auth = ReturnType<typeof createLucia>;

declare module 'lucia' {
  interface Register {
    Lucia: Auth;
    DatabaseSessionAttributes: SessionAttributesRow;
    DatabaseUserAttributes: UserAttributesRow;
  }
}
