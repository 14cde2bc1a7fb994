import type { Kysely } from 'kysely';
import type { MessageKey } from '~/i18n/index.ts';
import { getProfile, type Profile } from '~/server/accounts/profiles.ts';
import type { CurrentUser } from '~/server/auth/lucia.ts';
import type { Database } from '~/server/db/schema.ts';
import { NO_TOWNS, townFilter, type TownFilter } from '~/server/towns/towns.ts';
import type { Language } from '~/i18n/index.ts';
import { listDirectory, memberLinks, type MemberLinks } from './directory.ts';
import { parseDirectoryQuery, type DirectoryQuery } from './query.ts';
import { canSeeContact, canSeeMember } from './rules.ts';

/** What the directory page shows: the filters as read, what was wrong with them, the towns to choose from, one page of people. */
export interface DirectoryPage {
  query: DirectoryQuery;
  problems: MessageKey[];
  /** Every town as the filter's choices, in the reader's order (kept until towns change: see townFilter). */
  townChoices: TownFilter['choices'];
  result: Awaited<ReturnType<typeof listDirectory>>;
}

/** The directory page's one call: reads the query string, then lists what the valid filters ask for. */
export async function loadDirectoryPage(db: Kysely<Database>, viewer: CurrentUser, lang: Language, params: URLSearchParams): Promise<DirectoryPage> {
  // The kept towns' ids and choices: no set of a thousand slugs built, nor names sorted, per
  // view. Only a town asked for in the query needs them before listing (to read it);
  // otherwise the people are read beside them (on PostgreSQL, round trips at once).
  const towns = townFilter(db, lang);
  const townIds = (params.get('town')?.trim() ?? '') !== '' ? (await towns).ids : NO_TOWNS;
  const { query, problems } = parseDirectoryQuery(params, townIds);
  const townId = query.town ? townIds.get(query.town) : undefined;
  const [{ choices }, result] = await Promise.all([
    towns,
    listDirectory(db, viewer, { topic: query.topic, townId, region: query.region, language: query.language, name: query.q, page: query.page }),
  ]);
  return { query, problems, townChoices: choices, result };
}

/** What a member's profile page shows to one viewer. */
export interface MemberProfilePage {
  profile: Profile;
  /** The email address, when the viewer may see it (canSeeContact). */
  email: string | null;
  links: MemberLinks;
}

/**
 * A member's profile for a viewer, or undefined (the page answers 404) when there is
 * no such account or the viewer may not know of it (a closed account, for members).
 */
export async function loadMemberProfile(db: Kysely<Database>, viewer: CurrentUser, id: string): Promise<MemberProfilePage | undefined> {
  const profile = await getProfile(db, id);
  if (!profile || !canSeeMember(viewer, profile)) return undefined;
  const links = await memberLinks(db, profile.id);
  return { profile, email: canSeeContact(viewer, profile) ? profile.email : null, links };
}
