import type { Kysely } from 'kysely';
import * as clock from '~/lib/clock.ts';
import { isAccountId } from '~/lib/ids.ts';
import type { Language } from '~/i18n/index.ts';
import type { Database, Role } from '~/server/db/schema.ts';
import { syncMember } from '~/server/search/sources/members.ts';
import { inTransaction } from '~/server/search/sources/text.ts';

/** Languages a member may say they speak: the portal's three, or something else. */
export const SPOKEN_LANGUAGES = ['kk', 'ru', 'en', 'other'] as const;
/** A language a member speaks. */
export type SpokenLanguage = (typeof SPOKEN_LANGUAGES)[number];

/** A member's profile as pages show it. */
export interface Profile {
  id: string;
  displayName: string;
  email: string;
  role: Role;
  position: string | null;
  town: { slug: string; name: Record<Language, string> } | null;
  languagesSpoken: SpokenLanguage[];
  expertiseTopics: string[];
  expertiseKeywords: string | null;
  bio: string | null;
  contactable: boolean;
  disabled: boolean;
}

/**
 * What a member may change about themselves. Role, town and email are not here on
 * purpose: they are changed by administrators, through other paths.
 */
export interface OwnProfileInput {
  displayName: string;
  position?: string | null | undefined;
  languagesSpoken: readonly SpokenLanguage[];
  expertiseTopics: readonly string[];
  expertiseKeywords?: string | null | undefined;
  bio?: string | null | undefined;
  contactable: boolean;
}

/** A JSON array of strings from a text column; null, bad JSON or anything else gives []. */
export function parseStringArray(text: string | null | undefined): string[] {
  if (!text) return [];
  try {
    const value: unknown = JSON.parse(text);
    return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
  } catch {
    return [];
  }
}

function isSpokenLanguage(value: string): value is SpokenLanguage {
  return (SPOKEN_LANGUAGES as readonly string[]).includes(value);
}

/** Trimmed text, or null when nothing is left. */
function optionalText(value: string | null | undefined): string | null {
  const trimmed = value?.trim() ?? '';
  return trimmed === '' ? null : trimmed;
}

/** A member's profile, or undefined when there is no such account. Disabled accounts are returned, flagged. */
export async function getProfile(db: Kysely<Database>, userId: string): Promise<Profile | undefined> {
  if (!isAccountId(userId)) return undefined;
  const row = await db
    .selectFrom('users')
    .leftJoin('towns', 'towns.id', 'users.town_id')
    .select([
      'users.id',
      'users.display_name',
      'users.email',
      'users.role',
      'users.position',
      'users.languages_spoken',
      'users.expertise_topics',
      'users.expertise_keywords',
      'users.bio',
      'users.contactable',
      'users.disabled_at',
      'towns.slug as town_slug',
      'towns.name_kk as town_name_kk',
      'towns.name_ru as town_name_ru',
      'towns.name_en as town_name_en',
    ])
    .where('users.id', '=', userId)
    .executeTakeFirst();
  if (!row) return undefined;
  return {
    id: row.id,
    displayName: row.display_name,
    email: row.email,
    role: row.role,
    position: row.position,
    town:
      row.town_slug == null
        ? null
        : { slug: row.town_slug, name: { kk: row.town_name_kk ?? '', ru: row.town_name_ru ?? '', en: row.town_name_en ?? '' } },
    languagesSpoken: [...new Set(parseStringArray(row.languages_spoken).filter(isSpokenLanguage))],
    expertiseTopics: [...new Set(parseStringArray(row.expertise_topics))],
    expertiseKeywords: row.expertise_keywords,
    bio: row.bio,
    contactable: Number(row.contactable) === 1,
    disabled: row.disabled_at !== null,
  };
}

/**
 * Saves what a member may change about themselves. Only these columns are written:
 * display_name, position, languages_spoken, expertise_topics, expertise_keywords,
 * bio, contactable, updated_at. Input is assumed validated (see src/actions/profile.ts).
 */
export async function updateOwnProfile(
  db: Kysely<Database>,
  userId: string,
  input: OwnProfileInput,
  now = clock.now(),
): Promise<void> {
  await inTransaction(db, async (trx) => {
    await trx
      .updateTable('users')
      .set({
        display_name: input.displayName.trim(),
        position: optionalText(input.position),
        languages_spoken: JSON.stringify(SPOKEN_LANGUAGES.filter((language) => input.languagesSpoken.includes(language))),
        expertise_topics: JSON.stringify([...new Set(input.expertiseTopics)]),
        expertise_keywords: optionalText(input.expertiseKeywords),
        bio: optionalText(input.bio?.replace(/\r\n?/g, '\n')),
        contactable: input.contactable ? 1 : 0,
        updated_at: now,
      })
      .where('id', '=', userId)
      .execute();
    await syncMember(trx, userId);
  });
}
