import type { Kysely } from 'kysely';
import { LANGUAGES, isLanguage, type Language } from '~/i18n/index.ts';
import type { Database } from '~/server/db/schema.ts';
import type { SearchDocument } from '../documents.ts';
import { countRows, pageOfRows, type DatabaseSource } from './paging.ts';
import { documentKey, replaceThing } from './store.ts';
import { guessLanguage, inTransaction, joinText, plainText, parseList } from './text.ts';

/**
 * Members' profiles (`/members/<id>/`), for members: the people directory shows every
 * active account to every member (src/server/members/rules.ts). A closed account is shown
 * to editors only, so it is left out of search altogether (editors find it in the
 * directory). Email addresses are never indexed: who sees them depends on the viewer.
 */
export const MEMBERS_SOURCE = 'members';

interface ProfileFacts {
  id: string;
  display_name: string;
  position: string | null;
  expertise_topics: string | null;
  expertise_keywords: string | null;
  bio: string | null;
  language: string;
  disabled_at: number | null;
  created_at: number;
  town: Record<Language, string> | null;
}

/** A member's profile as one document, in the language of what they wrote about themselves. */
export function memberDocuments(member: ProfileFacts): SearchDocument[] {
  if (member.disabled_at !== null) return [];
  const bio = plainText(member.bio);
  const lang = guessLanguage(joinText(member.position, member.expertise_keywords, bio), isLanguage(member.language) ? member.language : 'ru');
  return [{
    key: documentKey(MEMBERS_SOURCE, member.id, lang),
    source: MEMBERS_SOURCE,
    section: 'members',
    lang,
    path: `/members/${member.id}/`,
    title: member.display_name,
    summary: joinText(member.position, member.town ? `· ${member.town[lang]}` : null),
    body: joinText(member.expertise_keywords, bio, ...(member.town ? new Set(LANGUAGES.map((language) => member.town![language])) : [])),
    topics: parseList(member.expertise_topics),
    audience: 'members',
    publishedAt: member.created_at,
  }];
}

function profileQuery(db: Kysely<Database>) {
  return db
    .selectFrom('users')
    .leftJoin('towns', 'towns.id', 'users.town_id')
    .select([
      'users.id', 'users.display_name', 'users.position', 'users.expertise_topics', 'users.expertise_keywords', 'users.bio', 'users.language',
      'users.disabled_at', 'users.created_at', 'towns.name_kk', 'towns.name_ru', 'towns.name_en',
    ]);
}

type ProfileRow = Omit<ProfileFacts, 'town'> & { name_kk: string | null; name_ru: string | null; name_en: string | null };

function toFacts({ name_kk, name_ru, name_en, ...row }: ProfileRow): ProfileFacts {
  return { ...row, town: name_kk === null ? null : { kk: name_kk, ru: name_ru!, en: name_en! } };
}

/** Writes one member's profile document as it stands now (joined, edited, closed, reopened). */
export async function syncMember(db: Kysely<Database>, userId: string): Promise<void> {
  await inTransaction(db, async (trx) => {
    const row = await profileQuery(trx).where('users.id', '=', userId).executeTakeFirst();
    await replaceThing(trx, MEMBERS_SOURCE, userId, row ? memberDocuments(toFacts(row)) : []);
  });
}

/** Rewrites the profile documents of a town's members (its names changed). */
export async function syncTownMembers(db: Kysely<Database>, townId: number): Promise<void> {
  await inTransaction(db, async (trx) => {
    for (const row of await profileQuery(trx).where('users.town_id', '=', townId).execute()) {
      await replaceThing(trx, MEMBERS_SOURCE, row.id, memberDocuments(toFacts(row)));
    }
  });
}

/** Every member's profile document, a page of accounts at a time (in id order; ids are text). */
export const membersSource: DatabaseSource = {
  documentSources: [MEMBERS_SOURCE],
  count: (db) => countRows(db, 'users'),
  page: async (db, cursor, limit) => {
    const rows = await profileQuery(db)
      .$if(cursor !== null, (query) => query.where('users.id', '>', cursor!))
      .orderBy('users.id')
      .limit(limit)
      .execute();
    return pageOfRows(rows, limit, rows.map(toFacts).flatMap(memberDocuments));
  },
};
