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

function commonTables(request: MatchRequest, townCases: Map<string, number>): RawBuilder<unknown> {
  const topics = sql.join(request.topics.map((topic) => sql`${topic}`));
  const cases =
    townCases.size > 0
      ? sql`VALUES ${sql.join([...townCases].map(([slug, count]) => sql`(${slug}, ${count})`))}`
      : sql`SELECT NULL, 0 WHERE 0`;
  const speaks =
    request.languages.length > 0
      ? sql.join(request.languages.map((language) => sql`u.languages_spoken LIKE ${`%"${language}"%`}`), sql` OR `)
      : sql`0`;
  return sql`
    expertise AS (
      SELECT user_id, count(*) AS n, group_concat(topic, ',') AS topics
      FROM user_expertise_topics WHERE topic IN (${topics}) GROUP BY user_id),
    record AS (
      SELECT user_id, max(accepted) AS n FROM help_accepted_counts WHERE topic IN (${topics}) GROUP BY user_id),
    town_cases(slug, n) AS (${cases}),
    person AS (
      SELECT u.id, u.display_name, u.town_id, u.contactable, u.languages_spoken,
             t.slug, t.name_kk, t.name_ru, t.name_en,
             coalesce(e.n, 0) AS expertise, coalesce(e.topics, '') AS expertise_topics,
             coalesce(r.n, 0) AS accepted, coalesce(tc.n, 0) AS town_cases,
             (CASE WHEN ${speaks} THEN 1 ELSE 0 END) AS shares_language
      FROM (SELECT user_id FROM expertise UNION SELECT user_id FROM record) AS c
      JOIN users AS u ON u.id = c.user_id
      JOIN towns AS t ON t.id = u.town_id
      LEFT JOIN expertise AS e ON e.user_id = u.id
      LEFT JOIN record AS r ON r.user_id = u.id
      LEFT JOIN town_cases AS tc ON tc.slug = t.slug
      WHERE u.disabled_at IS NULL AND u.town_id != ${request.townId})`;
}

interface PersonRow {
  id: string;
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

/** The members most likely to help, best first. */
export async function suggestPeople(db: Kysely<Database>, request: MatchRequest, counts: CaseCounts, limit = 5): Promise<SuggestedPerson[]> {
  if (request.topics.length === 0) return [];
  const townCases = casesOnTopics(counts, request.topics);
  const w = PERSON_WEIGHTS;
  const { rows } = await sql<PersonRow>`
    WITH ${commonTables(request, townCases)}
    SELECT *, ${w.expertise} * expertise + ${w.accepted} * min(accepted, ${w.acceptedCap})
              + min(town_cases, ${w.townCasesCap}) + ${w.language} * shares_language AS score
    FROM person
    ORDER BY score DESC, accepted DESC, display_name ASC, id ASC
    LIMIT ${limit}`.execute(db);
  return rows.map((row) => ({
    id: row.id,
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
    WITH ${commonTables(request, townCases)},
    by_town AS (
      SELECT town_id, sum(expertise > 0) AS experts, sum(accepted) AS accepted FROM person GROUP BY town_id),
    scored AS (
      SELECT t.id, t.slug, t.name_kk, t.name_ru, t.name_en,
             coalesce(tc.n, 0) AS cases, coalesce(b.accepted, 0) AS accepted, coalesce(b.experts, 0) AS experts
      FROM towns AS t
      LEFT JOIN town_cases AS tc ON tc.slug = t.slug
      LEFT JOIN by_town AS b ON b.town_id = t.id
      WHERE t.id != ${request.townId} AND (tc.n IS NOT NULL OR b.town_id IS NOT NULL))
    SELECT *, ${w.cases} * cases + min(accepted, ${w.acceptedCap}) + min(experts, ${w.expertsCap}) AS score
    FROM scored
    ORDER BY score DESC, slug ASC
    LIMIT ${limit}`.execute(db);
  return rows.map((row) => ({
    id: row.id,
    slug: row.slug,
    name: { kk: row.name_kk, ru: row.name_ru, en: row.name_en },
    score: Number(row.score),
    reasons: { cases: Number(row.cases), accepted: Number(row.accepted), experts: Number(row.experts) },
  }));
}
