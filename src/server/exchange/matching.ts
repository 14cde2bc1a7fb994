import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Database, Language } from '../db/schema.ts';
import { parseStringArray } from '../accounts/profiles.ts';

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

/**
 * One pass over the matching's covering index (help_match_index) for the request's
 * topics: every candidate's score and reasons, grouped by member, with no member or
 * town rows read. Both queries below start from it.
 */
function scoredMembers(request: MatchRequest, townCases: Map<string, number>): RawBuilder<unknown> {
  const topics = sql.join(request.topics.map((topic) => sql`${topic}`));
  const cases =
    townCases.size > 0
      ? sql`SELECT t.id AS town_id, v.column2 AS n FROM (VALUES ${sql.join([...townCases].map(([slug, count]) => sql`(${slug}, ${count})`))}) AS v JOIN towns AS t ON t.slug = v.column1`
      : sql`SELECT NULL AS town_id, 0 AS n WHERE 0`;
  const mask = languageMask(request.languages);
  const w = PERSON_WEIGHTS;
  return sql`
    town_cases AS MATERIALIZED (${cases}),
    person AS MATERIALIZED (
      SELECT m.user_id, max(m.town_id) AS town_id,
             sum(m.declared) AS expertise,
             coalesce(group_concat(CASE WHEN m.declared = 1 THEN m.topic END), '') AS expertise_topics,
             max(m.accepted) AS accepted,
             coalesce(max(tc.n), 0) AS town_cases,
             max((m.languages & ${mask}) != 0) AS shares_language
      FROM help_match_index AS m
      LEFT JOIN town_cases AS tc ON tc.town_id = m.town_id
      WHERE m.topic IN (${topics}) AND m.town_id IS NOT NULL AND m.town_id != ${request.townId}
      GROUP BY m.user_id),
    scored AS (
      SELECT *, ${w.expertise} * expertise + ${w.accepted} * min(accepted, ${w.acceptedCap})
                + min(town_cases, ${w.townCasesCap}) + ${w.language} * shares_language AS score
      FROM person)`;
}

interface PersonRow {
  user_id: string;
  display_name: string;
  contactable: number;
  languages_spoken: string | null;
  slug: string;
  name_kk: string;
  name_ru: string;
  name_en: string;
  expertise_topics: string;
  accepted: number;
  town_cases: number;
  score: number;
}

interface TownRow {
  id: number;
  slug: string;
  name_kk: string;
  name_ru: string;
  name_en: string;
  cases: number;
  accepted: number;
  experts: number;
  score: number;
}

/** The members most likely to help, best first (ties: more accepted answers, then name). */
export async function suggestPeople(db: Kysely<Database>, request: MatchRequest, counts: CaseCounts, limit = 5): Promise<SuggestedPerson[]> {
  if (request.topics.length === 0) return [];
  const townCases = casesOnTopics(counts, request.topics);
  // Ties are broken by name, so a few more than needed are scored and named.
  const { rows } = await sql<PersonRow>`
    WITH ${scoredMembers(request, townCases)},
    best AS (SELECT * FROM scored ORDER BY score DESC, accepted DESC LIMIT ${limit * 4})
    SELECT best.*, u.display_name, u.contactable, u.languages_spoken, t.slug, t.name_kk, t.name_ru, t.name_en
    FROM best JOIN users AS u ON u.id = best.user_id JOIN towns AS t ON t.id = best.town_id
    ORDER BY best.score DESC, best.accepted DESC, u.display_name ASC, u.id ASC
    LIMIT ${limit}`.execute(db);
  return rows.map((row) => ({
    id: row.user_id,
    name: row.display_name,
    contactable: row.contactable === 1,
    town: { slug: row.slug, name: { kk: row.name_kk, ru: row.name_ru, en: row.name_en } },
    score: Number(row.score),
    reasons: {
      expertiseTopics: request.topics.filter((topic) => row.expertise_topics.split(',').includes(topic)),
      accepted: Number(row.accepted),
      townCases: Number(row.town_cases),
      sharedLanguages: request.languages.filter((language) => parseStringArray(row.languages_spoken).includes(language)),
    },
  }));
}

/** The towns most likely to help, best first. */
export async function suggestTowns(db: Kysely<Database>, request: MatchRequest, counts: CaseCounts, limit = 3): Promise<SuggestedTown[]> {
  if (request.topics.length === 0) return [];
  const townCases = casesOnTopics(counts, request.topics);
  const w = TOWN_WEIGHTS;
  const { rows } = await sql<TownRow>`
    WITH ${scoredMembers(request, townCases)},
    by_town AS (
      SELECT town_id, sum(expertise > 0) AS experts, sum(accepted) AS accepted FROM person GROUP BY town_id),
    candidates AS (
      SELECT town_id FROM by_town UNION SELECT town_id FROM town_cases WHERE town_id != ${request.townId}),
    ranked AS (
      SELECT c.town_id, coalesce(tc.n, 0) AS cases, coalesce(b.accepted, 0) AS accepted, coalesce(b.experts, 0) AS experts
      FROM candidates AS c
      LEFT JOIN town_cases AS tc ON tc.town_id = c.town_id
      LEFT JOIN by_town AS b ON b.town_id = c.town_id)
    SELECT t.id, t.slug, t.name_kk, t.name_ru, t.name_en, r.cases, r.accepted, r.experts,
           ${w.cases} * r.cases + min(r.accepted, ${w.acceptedCap}) + min(r.experts, ${w.expertsCap}) AS score
    FROM ranked AS r JOIN towns AS t ON t.id = r.town_id
    ORDER BY score DESC, t.slug ASC
    LIMIT ${limit}`.execute(db);
  return rows.map((row) => ({
    id: row.id,
    slug: row.slug,
    name: { kk: row.name_kk, ru: row.name_ru, en: row.name_en },
    score: Number(row.score),
    reasons: { cases: Number(row.cases), accepted: Number(row.accepted), experts: Number(row.experts) },
  }));
}
