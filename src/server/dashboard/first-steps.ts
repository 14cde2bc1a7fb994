import { sql, type Kysely } from 'kysely';
import * as clock from '~/lib/clock.ts';
import { latestAllowedYear } from '~/lib/indicators/catalogue.ts';
import type { CurrentUser } from '~/server/auth/lucia.ts';
import type { Database } from '~/server/db/schema.ts';

/** A town counts as new for this long after it joined (its row was created). */
export const NEW_TOWN_SECONDS = 365 * 24 * 60 * 60;

/** The first steps of a new town, in the order the checklist shows them. */
export const FIRST_STEPS = ['profile', 'colleagues', 'indicators', 'group', 'exchange'] as const;
/** One first step. */
export type FirstStep = (typeof FIRST_STEPS)[number];

/** The checklist: each step and whether it is done. */
export interface FirstSteps {
  townSlug: string;
  steps: Array<{ step: FirstStep; done: boolean }>;
}

/** Who sees the checklist: the administrator of a town (they act for it). */
export function seesFirstSteps(user: CurrentUser): user is CurrentUser & { town: NonNullable<CurrentUser['town']> } {
  return user.role === 'town_admin' && user.town !== null && !user.disabled;
}

interface StepRow {
  slug: string;
  created_at: number;
  population: number | null;
  description_kk: string | null;
  description_ru: string | null;
  description_en: string | null;
  colleagues: number;
  invited: number;
  indicators: number;
  grouped: number;
  exchanged: number;
}

/**
 * The first-steps checklist of a town administrator's town while the town is new and
 * a step is left; null otherwise (not a town administrator, an established town, or
 * everything done). Each step is read from the data it leaves behind, so it ticks
 * itself:
 * - profile: the town has a population and a description in at least one language
 *   (read from the `towns` row, where the town's profile lives);
 * - colleagues: the town has another active account, or an invitation was sent for it;
 * - indicators: a value for last year or this year;
 * - group: someone of the town is in a working group;
 * - exchange: the town published a request or someone of it answered one.
 * One query, each step an indexed EXISTS.
 */
export async function loadFirstSteps(db: Kysely<Database>, user: CurrentUser, now = clock.now()): Promise<FirstSteps | null> {
  if (!seesFirstSteps(user)) return null;
  const townId = user.town.id;
  const since = latestAllowedYear(new Date(now * 1000)) - 1;
  const flag = (condition: ReturnType<typeof sql>) => sql<number>`CASE WHEN EXISTS (${condition}) THEN 1 ELSE 0 END`;
  const { rows: [row] } = await sql<StepRow>`
    SELECT t.slug, t.created_at, t.population, t.description_kk, t.description_ru, t.description_en,
      ${flag(sql`SELECT 1 FROM users AS u WHERE u.town_id = t.id AND u.id <> ${user.id} AND u.disabled_at IS NULL`)} AS colleagues,
      ${flag(sql`SELECT 1 FROM tokens AS k WHERE k.purpose = 'invitation' AND (k.data LIKE ${`%"townId":${townId},%`} OR k.data LIKE ${`%"townId":${townId}}%`})`)} AS invited,
      ${flag(sql`SELECT 1 FROM indicator_values AS iv WHERE iv.town_id = t.id AND iv.period >= ${since}`)} AS indicators,
      ${flag(sql`SELECT 1 FROM users AS u JOIN group_members AS gm ON gm.user_id = u.id WHERE u.town_id = t.id`)} AS grouped,
      ${flag(sql`SELECT 1 FROM help_requests AS r WHERE r.town_id = t.id AND r.status <> 'draft'`)}
        + ${flag(sql`SELECT 1 FROM users AS u JOIN help_responses AS p ON p.author_id = u.id WHERE u.town_id = t.id AND p.withdrawn_at IS NULL`)} AS exchanged
    FROM towns AS t WHERE t.id = ${townId}`.execute(db);
  if (!row || Number(row.created_at) < now - NEW_TOWN_SECONDS) return null;
  const described = [row.description_kk, row.description_ru, row.description_en].some((text) => (text ?? '').trim() !== '');
  const done: Record<FirstStep, boolean> = {
    profile: row.population !== null && described,
    colleagues: Number(row.colleagues) + Number(row.invited) > 0,
    indicators: Number(row.indicators) > 0,
    group: Number(row.grouped) > 0,
    exchange: Number(row.exchanged) > 0,
  };
  if (FIRST_STEPS.every((step) => done[step])) return null;
  return { townSlug: row.slug, steps: FIRST_STEPS.map((step) => ({ step, done: done[step] })) };
}
