import { sql, type Kysely } from 'kysely';
import type { Language } from '~/i18n/index.ts';
import type { Database } from '~/server/db/schema.ts';
import { least } from '~/server/db/dialect.ts';
import { parseStringArray } from '~/server/accounts/profiles.ts';

/**
 * Who is most likely to help with a request, by a score anyone can check:
 *
 *   person = 3 × topics of the request in their declared expertise
 *          + 2 × answers of theirs accepted on those topics (at most 5 count; counted
 *            on the topic where they have most, so one answer on two topics is one)
 *          + 1 × published cases of their town on those topics (at most 3 count)
 *          + 1 if they speak one of the request's languages
 *
 *   town   = 2 × published cases on those topics
 *          + 1 × accepted answers of its members on those topics (at most 5 count)
 *          + 1 × members with expertise in those topics (at most 3 count)
 *
 * The requesting town and disabled accounts never appear. Each suggestion carries
 * its reasons, so the page can say why ("3 cases on utilities; speaks Russian").
 */
export const PERSON_WEIGHTS = { expertise: 3, accepted: 2, acceptedCap: 5, townCasesCap: 3, language: 1 } as const;
export const TOWN_WEIGHTS = { cases: 2, acceptedCap: 5, expertsCap: 3 } as const;

/** What the matching needs to know about the request. */
export interface MatchRequest {
  townId: number;
  topics: readonly string[];
  languages: readonly string[];
}

/** Published cases per town slug and topic (file cases and member cases alike). */
export type CaseCounts = ReadonlyMap<string, ReadonlyMap<string, number>>;

/** A member suggested to help. */
export interface SuggestedPerson {
  id: string;
  name: string;
  contactable: boolean;
  town: { slug: string; name: Record<Language, string> };
  score: number;
  reasons: { expertiseTopics: string[]; accepted: number; townCases: number; sharedLanguages: string[] };
}

/** A town suggested to help. */
export interface SuggestedTown {
  id: number;
  slug: string;
  name: Record<Language, string>;
  score: number;
  reasons: { cases: number; accepted: number; experts: number };
}

/** Cases on any of `topics`, per town slug. */
export function casesOnTopics(counts: CaseCounts, topics: readonly string[]): Map<string, number> {
  const result = new Map<string, number>();
  for (const [town, byTopic] of counts) {
    const total = topics.reduce((sum, topic) => sum + (byTopic.get(topic) ?? 0), 0);
    if (total > 0) result.set(town, total);
  }
  return result;
}

/** The request's languages as the index's bit mask (kk=1, ru=2, en=4). */
export function languageMask(languages: readonly string[]): number {
  return (languages.includes('kk') ? 1 : 0) | (languages.includes('ru') ? 2 : 0) | (languages.includes('en') ? 4 : 0);
}

/** How many of each the page shows. */
export const SUGGESTION_LIMITS = { people: 5, towns: 3 } as const;

/** A scored row of the one matching statement: a member ('p') or a town ('t'). */
interface ScoreRow {
  kind: 'p' | 't';
  id: string;
  score: number;
  accepted: number;
  cases: number;
  experts: number;
}

/**
 * Scores members and towns in one statement over the matching's covering index
 * (help_match_index): the rows of the request's topics are grouped once per member,
 * with no member or town rows read, and both rankings come from that one grouping.
 * Ties at the edge of the people's list are settled by name afterwards, so a few more
 * than shown are returned.
 */
async function scoreRows(db: Kysely<Database>, request: MatchRequest, townCases: Map<string, number>, limits: { people: number; towns: number }): Promise<ScoreRow[]> {
  const topics = sql.join(request.topics.map((topic) => sql`${topic}`));
  const cases =
    townCases.size > 0
      ? sql`SELECT t.id AS town_id, v.column2 AS n FROM (VALUES ${sql.join([...townCases].map(([slug, count]) => sql`(${slug}, CAST(${count} AS INTEGER))`))}) AS v JOIN towns AS t ON t.slug = v.column1 WHERE t.id != ${request.townId}`
      : sql`SELECT CAST(NULL AS INTEGER) AS town_id, 0 AS n WHERE 1 = 0`;
  const p = PERSON_WEIGHTS;
  const w = TOWN_WEIGHTS;
  const { rows } = await sql<ScoreRow>`
    WITH town_cases AS MATERIALIZED (${cases}),
    member AS MATERIALIZED (
      SELECT user_id, max(town_id) AS town_id, sum(declared) AS expertise, max(accepted) AS accepted,
             max(CASE WHEN (languages & ${languageMask(request.languages)}) != 0 THEN 1 ELSE 0 END) AS shares_language
      FROM help_match_index
      WHERE topic IN (${topics}) AND town_id IS NOT NULL AND town_id != ${request.townId}
      GROUP BY user_id),
    person_ranking AS (
      SELECT m.user_id AS id, m.accepted, coalesce(tc.n, 0) AS cases, 0 AS experts,
             ${p.expertise} * m.expertise + ${p.accepted} * ${least(db, sql`m.accepted`, p.acceptedCap)}
             + ${least(db, sql`coalesce(tc.n, 0)`, p.townCasesCap)} + ${p.language} * m.shares_language AS score
      FROM member AS m LEFT JOIN town_cases AS tc ON tc.town_id = m.town_id
      ORDER BY score DESC, m.accepted DESC
      LIMIT ${limits.people * 4}),
    by_town AS (
      SELECT town_id, sum(CASE WHEN expertise > 0 THEN 1 ELSE 0 END) AS experts, sum(accepted) AS accepted FROM member GROUP BY town_id
      UNION ALL
      SELECT town_id, 0, 0 FROM town_cases),
    town_ranking AS (
      SELECT b.town_id AS id, sum(b.accepted) AS accepted, coalesce(tc.n, 0) AS cases, sum(b.experts) AS experts,
             ${w.cases} * coalesce(tc.n, 0) + ${least(db, sql`sum(b.accepted)`, w.acceptedCap)} + ${least(db, sql`sum(b.experts)`, w.expertsCap)} AS score
      FROM by_town AS b LEFT JOIN town_cases AS tc ON tc.town_id = b.town_id
      GROUP BY b.town_id, tc.n
      ORDER BY score DESC
      LIMIT ${limits.towns * 4})
    SELECT 'p' AS kind, id, score, accepted, cases, experts FROM person_ranking
    UNION ALL
    SELECT 't' AS kind, CAST(id AS TEXT), score, accepted, cases, experts FROM town_ranking`.execute(db);
  return rows;
}

/** Who could help, people and towns, best first; see the score at the top of this file. */
export async function scoreMatches(
  db: Kysely<Database>,
  request: MatchRequest,
  counts: CaseCounts,
  limits: { people: number; towns: number } = SUGGESTION_LIMITS,
): Promise<{ people: SuggestedPerson[]; towns: SuggestedTown[] }> {
  if (request.topics.length === 0) return { people: [], towns: [] };
  const rows = await scoreRows(db, request, casesOnTopics(counts, request.topics), limits);
  const personRows = rows.filter((row) => row.kind === 'p');
  const townRows = rows.filter((row) => row.kind === 't');
  const [members, declared, townNames] = await Promise.all([
    personRows.length === 0
      ? []
      : db
          .selectFrom('users as u')
          .innerJoin('towns as t', 't.id', 'u.town_id')
          .select(['u.id', 'u.display_name', 'u.contactable', 'u.languages_spoken', 't.slug', 't.name_kk', 't.name_ru', 't.name_en'])
          .where('u.id', 'in', personRows.map((row) => row.id))
          .execute(),
    personRows.length === 0
      ? []
      : db
          .selectFrom('help_match_index')
          .select(['user_id', 'topic'])
          .where('user_id', 'in', personRows.map((row) => row.id))
          .where('topic', 'in', [...request.topics])
          .where('declared', '=', 1)
          .execute(),
    townRows.length === 0
      ? []
      : db.selectFrom('towns').select(['id', 'slug', 'name_kk', 'name_ru', 'name_en']).where('id', 'in', townRows.map((row) => Number(row.id))).execute(),
  ]);
  const memberById = new Map(members.map((member) => [member.id, member]));
  const people = personRows
    .flatMap((row) => {
      const member = memberById.get(row.id);
      if (!member) return [];
      const spoken = parseStringArray(member.languages_spoken);
      return [
        {
          id: member.id,
          name: member.display_name,
          contactable: member.contactable === 1,
          town: { slug: member.slug, name: { kk: member.name_kk, ru: member.name_ru, en: member.name_en } },
          score: Number(row.score),
          reasons: {
            expertiseTopics: request.topics.filter((topic) => declared.some((entry) => entry.user_id === member.id && entry.topic === topic)),
            accepted: Number(row.accepted),
            townCases: Number(row.cases),
            sharedLanguages: request.languages.filter((language) => spoken.includes(language)),
          },
        },
      ];
    })
    .sort((a, b) => b.score - a.score || b.reasons.accepted - a.reasons.accepted || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0) || (a.id < b.id ? -1 : 1))
    .slice(0, limits.people);
  const townById = new Map(townNames.map((town) => [town.id, town]));
  const towns = townRows
    .flatMap((row) => {
      const town = townById.get(Number(row.id));
      if (!town) return [];
      return [{ id: town.id, slug: town.slug, name: { kk: town.name_kk, ru: town.name_ru, en: town.name_en }, score: Number(row.score), reasons: { cases: Number(row.cases), accepted: Number(row.accepted), experts: Number(row.experts) } }];
    })
    .filter((town) => town.score > 0)
    .sort((a, b) => b.score - a.score || (a.slug < b.slug ? -1 : 1))
    .slice(0, limits.towns);
  return { people, towns };
}

/** The members most likely to help, best first (ties: more accepted answers, then name). */
export async function suggestPeople(db: Kysely<Database>, request: MatchRequest, counts: CaseCounts, limit: number = SUGGESTION_LIMITS.people): Promise<SuggestedPerson[]> {
  return (await scoreMatches(db, request, counts, { people: limit, towns: 0 })).people;
}

/** The towns most likely to help, best first (ties: by address). */
export async function suggestTowns(db: Kysely<Database>, request: MatchRequest, counts: CaseCounts, limit: number = SUGGESTION_LIMITS.towns): Promise<SuggestedTown[]> {
  return (await scoreMatches(db, request, counts, { people: 0, towns: limit })).towns;
}

/** Whether a member declared expertise the matching reads (their profile's topics). */
export async function hasDeclaredExpertise(db: Kysely<Database>, userId: string): Promise<boolean> {
  const row = await db.selectFrom('help_match_index').select('topic').where('user_id', '=', userId).where('declared', '=', 1).limit(1).executeTakeFirst();
  return row !== undefined;
}
