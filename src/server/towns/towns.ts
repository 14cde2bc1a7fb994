import type { Kysely, Selectable } from 'kysely';
import type { Language } from '~/i18n/index.ts';
import { labelOrder } from '~/lib/format.ts';
import { isSlug } from '~/lib/ids.ts';
import type { Database, EconomicPotential, TownTable } from '~/server/db/schema.ts';
import { memoPerDatabase } from '~/server/memo.ts';
import { givenNames } from './names.ts';

/** What the directory shows of a member town. */
export interface TownSummary {
  id: number;
  slug: string;
  name: Record<Language, string>;
  region: string;
  population: number | null;
  mainIndustry: string | null;
  potential: EconomicPotential | null;
}

/** A member town's public profile. */
export interface TownProfile extends TownSummary {
  /**
   * The names the town has given, by language; null where it gave none (`name` then
   * holds another language's name, so lists and headings always have one to show).
   */
  givenNames: Record<Language, string | null>;
  /** The year `population` is for, when given. */
  populationYear: number | null;
  foundingEnterprise: Record<Language, string | null>;
  description: Record<Language, string | null>;
  contacts: { address: string | null; email: string | null; phone: string | null; website: string | null };
}

function toSummary(row: Selectable<TownTable>): TownSummary {
  return {
    id: row.id,
    slug: row.slug,
    name: { kk: row.name_kk, ru: row.name_ru, en: row.name_en },
    region: row.region,
    population: row.population,
    mainIndustry: row.main_industry,
    potential: row.economic_potential,
  };
}

function toProfile(row: Selectable<TownTable>): TownProfile {
  return {
    ...toSummary(row),
    givenNames: givenNames(row),
    populationYear: row.population_year,
    foundingEnterprise: { kk: row.founding_enterprise_kk, ru: row.founding_enterprise_ru, en: row.founding_enterprise_en },
    description: { kk: row.description_kk, ru: row.description_ru, en: row.description_en },
    contacts: { address: row.contact_address, email: row.contact_email, phone: row.contact_phone, website: row.contact_website },
  };
}

/**
 * How long this process keeps the member towns before reading them again. A change made
 * by this process shows at once (its writer calls `townsChanged`); one made by another
 * process (QALA_WORKERS, a second instance, `qala` commands) shows within this time.
 */
export const TOWNS_TTL_MS = 10_000;

/**
 * Every member town in slug order, read once per TOWNS_TTL_MS: the exchange, the
 * directories, compare and peers each need all of them (a thousand at national scale)
 * on every view, and towns change only when an editor approves an application or a
 * town edits its profile.
 */
const memberTowns = memoPerDatabase<readonly TownSummary[]>(TOWNS_TTL_MS, async (db) => {
  const rows = await db.selectFrom('towns').selectAll().orderBy('slug').execute();
  return Object.freeze(rows.map(toSummary));
});

/** The sorted `{ value: slug, label: name }` options per language, kept with the list they came from. */
const choicesByList = new WeakMap<readonly TownSummary[], Map<Language, ReadonlyArray<{ value: string; label: string }>>>();

/**
 * Says that towns were written (created, renamed, edited): this process reads them
 * again at the next view. Call it after the transaction commits, so no view can keep
 * the rows from before the change.
 */
export function townsChanged(db: Kysely<Database>): void {
  memberTowns.forget(db);
  for (const listener of changeListeners) listener(db);
}

const changeListeners: Array<(db: Kysely<Database>) => void> = [];

/** Lets a module that keeps something derived from towns drop it when towns change. */
export function onTownsChanged(listener: (db: Kysely<Database>) => void): void {
  changeListeners.push(listener);
}

/** Every member town (kept, see memberTowns); a new array each call, so callers may sort it. */
export async function listTowns(db: Kysely<Database>): Promise<TownSummary[]> {
  return [...(await memberTowns.get(db))];
}

/**
 * Every member town, sure to hold the town `key` names if it exists: a kept list without
 * it may be older than the town (created by another process within TOWNS_TTL_MS), so it
 * is read again once. A town that does not exist costs one small query per call.
 */
export async function listTownsWith(db: Kysely<Database>, key: { id: number } | { slug: string }): Promise<TownSummary[]> {
  const matches = (town: TownSummary) => ('id' in key ? town.id === key.id : town.slug === key.slug);
  const towns = await listTowns(db);
  if (towns.some(matches)) return towns;
  const exists = await db.selectFrom('towns').select('id').where('id' in key ? 'id' : 'slug', '=', 'id' in key ? key.id : key.slug).executeTakeFirst();
  if (!exists) return towns;
  memberTowns.forget(db);
  return listTowns(db);
}

/** Every member town's id, slug and names, for filters and pickers. */
export async function townNames(db: Kysely<Database>): Promise<Array<Pick<TownSummary, 'id' | 'slug' | 'name'>>> {
  return listTowns(db);
}

const idsByList = new WeakMap<readonly TownSummary[], ReadonlyMap<string, number>>();

/** Every member town's id by its slug (kept until towns change), for reading filters. */
export async function townIdsBySlug(db: Kysely<Database>): Promise<ReadonlyMap<string, number>> {
  const towns = await memberTowns.get(db);
  let ids = idsByList.get(towns);
  if (!ids) idsByList.set(towns, (ids = new Map(towns.map((town) => [town.slug, town.id]))));
  return ids;
}

/**
 * Every member town as a filter's option (`value` the slug, `label` its name in `lang`),
 * in the reader's alphabetical order: sorted once per language and kept until towns change, since
 * sorting a thousand names by locale on every view is the exchange page's largest cost.
 */
export async function townChoices(db: Kysely<Database>, lang: Language): Promise<ReadonlyArray<{ value: string; label: string }>> {
  const towns = await memberTowns.get(db);
  let byLanguage = choicesByList.get(towns);
  if (!byLanguage) choicesByList.set(towns, (byLanguage = new Map()));
  let choices = byLanguage.get(lang);
  if (!choices) byLanguage.set(lang, (choices = Object.freeze(towns.map((town) => ({ value: town.slug, label: town.name[lang] })).sort(labelOrder(lang)))));
  return choices;
}

/** A town's profile by its slug, or undefined. */
export async function findTownBySlug(db: Kysely<Database>, slug: string): Promise<TownProfile | undefined> {
  if (!isSlug(slug)) return undefined;
  const row = await db.selectFrom('towns').selectAll().where('slug', '=', slug).executeTakeFirst();
  return row ? toProfile(row) : undefined;
}
