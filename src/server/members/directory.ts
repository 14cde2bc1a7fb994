import { type Expression, type Kysely, type SqlBool } from 'kysely';
import type { Language } from '~/i18n/index.ts';
import { parseStringArray, SPOKEN_LANGUAGES, type SpokenLanguage } from '~/server/accounts/profiles.ts';
import type { CurrentUser } from '~/server/auth/lucia.ts';
import { parseContent } from '~/server/cases/content.ts';
import { likeIgnoringCase } from '~/server/db/dialect.ts';
import type { Database, Role } from '~/server/db/schema.ts';
import { canSeeContact, isDirectoryEditor } from './rules.ts';

/** People on one page of the directory. */
export const MEMBERS_PER_PAGE = 20;

/** The directory's filters for the data layer (town by id). */
export interface DirectoryFilters {
  topic?: string | undefined;
  townId?: number | undefined;
  region?: string | undefined;
  language?: SpokenLanguage | undefined;
  name?: string | undefined;
  page: number;
}

/** A person as the directory lists them; `email` only where the viewer may see it. */
export interface DirectoryEntry {
  id: string;
  displayName: string;
  role: Role;
  position: string | null;
  town: { slug: string; name: Record<Language, string>; region: string } | null;
  languages: SpokenLanguage[];
  topics: string[];
  contactable: boolean;
  email: string | null;
  /** A closed account (editors only see these). */
  disabled: boolean;
}

/** `%text%` for LIKE, with the pattern characters typed by the member taken literally. */
function containing(text: string): string {
  return `%${text.replace(/[\\%_]/g, (char) => `\\${char}`)}%`;
}

/**
 * One page of the people directory, by name. Members see every active account (staff
 * included, without a town); editors and administrators also closed ones. Contact
 * details follow canSeeContact. Filters: a declared topic (through the matching's
 * topic index), a town, a region, a spoken language, part of the name.
 */
export async function listDirectory(
  db: Kysely<Database>,
  viewer: CurrentUser,
  filters: DirectoryFilters,
): Promise<{ entries: DirectoryEntry[]; total: number; pages: number; page: number }> {
  const page = Math.max(1, Math.min(filters.page, 10_000));
  const people = db.selectFrom('users').leftJoin('towns', 'towns.id', 'users.town_id');
  const narrowed = (from: typeof people) => {
    let query = from;
    if (!isDirectoryEditor(viewer)) query = query.where('users.disabled_at', 'is', null);
    if (filters.townId !== undefined) query = query.where('users.town_id', '=', filters.townId);
    if (filters.region) query = query.where('towns.region', '=', filters.region);
    if (filters.language) query = query.where('users.languages_spoken', 'like', `%"${filters.language}"%`);
    if (filters.name) query = query.where(likeIgnoringCase(db, 'users.display_name', containing(filters.name)) as Expression<SqlBool>);
    return query;
  };
  let base = narrowed(people);
  let counted = base;
  if (filters.topic) {
    const topic = filters.topic;
    // The page walks people by name and stops after one page; each is checked in the topic index.
    base = base.where((eb) =>
      eb.exists(eb.selectFrom('help_match_index').select('help_match_index.topic').whereRef('help_match_index.user_id', '=', 'users.id').where('help_match_index.topic', '=', topic).where('help_match_index.declared', '=', 1)),
    );
    // The count starts from the topic's few thousand entries instead: checking all 20,000
    // accounts against the index cost 25–40 ms a view at national scale. One entry per
    // person and topic (its primary key), so joining counts each person once. Only users'
    // and towns' columns are read after the join, so it stands in for `people`.
    counted = narrowed(
      db
        .selectFrom('help_match_index')
        .innerJoin('users', 'users.id', 'help_match_index.user_id')
        .leftJoin('towns', 'towns.id', 'users.town_id')
        .where('help_match_index.topic', '=', topic)
        .where('help_match_index.declared', '=', 1) as unknown as typeof people,
    );
  }

  const [{ count }, rows] = await Promise.all([
    counted.select((eb) => eb.fn.countAll<number>().as('count')).executeTakeFirstOrThrow(),
    base
      .select([
        'users.id',
        'users.display_name',
        'users.email',
        'users.role',
        'users.position',
        'users.languages_spoken',
        'users.expertise_topics',
        'users.contactable',
        'users.disabled_at',
        'towns.slug as town_slug',
        'towns.region as town_region',
        'towns.name_kk as town_name_kk',
        'towns.name_ru as town_name_ru',
        'towns.name_en as town_name_en',
      ])
      .orderBy('users.display_name')
      .orderBy('users.id')
      .limit(MEMBERS_PER_PAGE)
      .offset((page - 1) * MEMBERS_PER_PAGE)
      .execute(),
  ]);
  const total = Number(count);
  return {
    total,
    page,
    pages: Math.max(1, Math.ceil(total / MEMBERS_PER_PAGE)),
    entries: rows.map((row) => {
      const contactable = Number(row.contactable) === 1;
      return {
        id: row.id,
        displayName: row.display_name,
        role: row.role,
        position: row.position,
        town: row.town_slug == null ? null : { slug: row.town_slug, region: row.town_region ?? '', name: { kk: row.town_name_kk ?? '', ru: row.town_name_ru ?? '', en: row.town_name_en ?? '' } },
        languages: SPOKEN_LANGUAGES.filter((code) => parseStringArray(row.languages_spoken).includes(code)),
        topics: [...new Set(parseStringArray(row.expertise_topics))],
        contactable,
        email: canSeeContact(viewer, { id: row.id, contactable }) ? row.email : null,
        disabled: row.disabled_at !== null,
      };
    }),
  };
}

/** What a profile links to: requests the member answered, their public groups, their town's cases they wrote. */
export interface MemberLinks {
  answered: Array<{ id: number; title: string; town: Record<Language, string> }>;
  groups: Array<{ slug: string; name: Record<Language, string> }>;
  cases: Array<{ slug: string; title: string }>;
}

/** Links shown per list on a profile. */
export const PROFILE_LINKS = 10;

/**
 * A member's work others may see: published requests (not hidden) they answered with a
 * response still standing, the non-private, active groups they belong to, and the
 * public cases they wrote. Nothing here is more than what each of those pages shows
 * to any member anyway.
 */
export async function memberLinks(db: Kysely<Database>, userId: string): Promise<MemberLinks> {
  const [answered, groups, cases] = await Promise.all([
    db
      .selectFrom('help_requests')
      .innerJoin('towns', 'towns.id', 'help_requests.town_id')
      .select(['help_requests.id', 'help_requests.title', 'towns.name_kk', 'towns.name_ru', 'towns.name_en'])
      .where('help_requests.status', 'in', ['open', 'in_progress', 'resolved'])
      .where('help_requests.hidden_at', 'is', null)
      .where((eb) =>
        eb.exists(
          eb
            .selectFrom('help_responses')
            .select('help_responses.id')
            .whereRef('help_responses.request_id', '=', 'help_requests.id')
            .where('help_responses.author_id', '=', userId)
            .where('help_responses.hidden_at', 'is', null)
            .where('help_responses.withdrawn_at', 'is', null),
        ),
      )
      .orderBy('help_requests.published_at', 'desc')
      .orderBy('help_requests.id', 'desc')
      .limit(PROFILE_LINKS)
      .execute(),
    db
      .selectFrom('group_members')
      .innerJoin('groups', 'groups.id', 'group_members.group_id')
      .select(['groups.slug', 'groups.name_kk', 'groups.name_ru', 'groups.name_en'])
      .where('group_members.user_id', '=', userId)
      .where('groups.visibility', '<>', 'private')
      .where('groups.archived_at', 'is', null)
      .orderBy('groups.slug')
      .limit(PROFILE_LINKS)
      .execute(),
    db
      .selectFrom('member_cases')
      .select(['slug', 'published_content'])
      .where('created_by', '=', userId)
      .where('slug', 'is not', null)
      .where('published_content', 'is not', null)
      .where('unpublished_at', 'is', null)
      .orderBy('published_at', 'desc')
      .limit(PROFILE_LINKS)
      .execute(),
  ]);
  return {
    answered: answered.map((row) => ({ id: row.id, title: row.title, town: { kk: row.name_kk, ru: row.name_ru, en: row.name_en } })),
    groups: groups.map((row) => ({ slug: row.slug, name: { kk: row.name_kk, ru: row.name_ru, en: row.name_en } })),
    cases: cases.flatMap((row) => {
      if (!row.slug || !row.published_content) return [];
      const { title } = parseContent(row.published_content);
      return title !== '' ? [{ slug: row.slug, title }] : [];
    }),
  };
}
