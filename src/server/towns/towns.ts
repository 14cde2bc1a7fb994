import type { Kysely, Selectable } from 'kysely';
import type { Language } from '~/i18n/index.ts';
import { textOrder } from '~/lib/format.ts';
import { keptPerObject } from '~/lib/kept-per-object.ts';
import { isSlug } from '~/lib/ids.ts';
import { keptUntilChanged } from '~/server/cache/changes.ts';
import type { Database, EconomicPotential, TownTable } from '~/server/db/schema.ts';
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
 * Every member town in slug order, read again only when the `towns` change counter moved
 * (src/server/cache/changes.ts): the exchange, the directories, compare and peers each
 * need all of them (a thousand at national scale) on every view, and towns change only
 * when an editor approves an application or a town edits its profile, whose transaction
 * bumps the counter; every process sees the change at its next read.
 */
const memberTowns = keptUntilChanged(['towns'], async (db): Promise<readonly TownSummary[]> => {
  const rows = await db.selectFrom('towns').selectAll().orderBy('slug').execute();
  const towns = Object.freeze(rows.map(toSummary));
  profilesOfList.set(towns, new Map(rows.map((row) => [row.slug, Object.freeze(toProfile(row))])));
  return towns;
});

/**
 * Each town's profile by slug, made from the same rows as the kept list (every column is
 * read for it anyway) and kept with it: a profile view then finds its town without a query.
 */
const profilesOfList = new WeakMap<readonly TownSummary[], ReadonlyMap<string, Readonly<TownProfile>>>();

/** The sorted `{ value: slug, label: name }` options per language, kept with the list they came from. */

/** Every member town (kept, see memberTowns); a new array each call, so callers may sort it. */
export async function listTowns(db: Kysely<Database>): Promise<TownSummary[]> {
  return [...(await memberTowns.get(db))];
}

/** Every member town as kept (the same frozen array while towns do not change), for derived data kept per list. */
export function memberTownList(db: Kysely<Database>): Promise<readonly TownSummary[]> {
  return memberTowns.get(db);
}

/** Every member town's id, slug and names, for filters and pickers. */
export async function townNames(db: Kysely<Database>): Promise<Array<Pick<TownSummary, 'id' | 'slug' | 'name'>>> {
  return listTowns(db);
}

const idsByList = new WeakMap<readonly TownSummary[], ReadonlyMap<string, number>>();

/** Every member town's id by its slug (kept until towns change), for reading filters. */
export async function townIdsBySlug(db: Kysely<Database>): Promise<ReadonlyMap<string, number>> {
  return idsOf(await memberTowns.get(db));
}

function idsOf(towns: readonly TownSummary[]): ReadonlyMap<string, number> {
  let ids = idsByList.get(towns);
  if (!ids) idsByList.set(towns, (ids = new Map(towns.map((town) => [town.slug, town.id]))));
  return ids;
}

/** Every kept list of towns in each language's alphabetical order (see `townsInOrder`). */
const orderedByList = keptPerObject<readonly TownSummary[], Language, readonly TownSummary[]>();

/**
 * Every member town in the reader's alphabetical order: sorted once per language and kept
 * until towns change (the same frozen array meanwhile, so what is derived from it can be
 * kept per array), since sorting a thousand names by locale on every view cost more than
 * the rest of the exchange page, the compare form or the groups list.
 */
export async function townsInOrder(db: Kysely<Database>, lang: Language): Promise<readonly TownSummary[]> {
  return inOrder(await memberTowns.get(db), lang);
}

function inOrder(towns: readonly TownSummary[], lang: Language): readonly TownSummary[] {
  return orderedByList(towns, lang, () => {
    const order = textOrder(lang);
    return Object.freeze([...towns].sort((a, b) => order(a.name[lang], b.name[lang])));
  });
}

const choicesByOrder = keptPerObject<readonly TownSummary[], Language, ReadonlyArray<{ value: string; label: string }>>();

/** Every member town as a filter's option (`value` the slug, `label` its name in `lang`), in the reader's order. */
export async function townChoices(db: Kysely<Database>, lang: Language): Promise<ReadonlyArray<{ value: string; label: string }>> {
  return choicesOf(await memberTowns.get(db), lang);
}

function choicesOf(towns: readonly TownSummary[], lang: Language): ReadonlyArray<{ value: string; label: string }> {
  const ordered = inOrder(towns, lang);
  return choicesByOrder(ordered, lang, () => Object.freeze(ordered.map((town) => ({ value: town.slug, label: town.name[lang] }))));
}

/** No towns: what a list reads its filters with when the query names no town (it starts before the towns are read). */
export const NO_TOWNS: ReadonlyMap<string, number> = new Map();

/** What a list's town filter needs: every town's id by slug (to read the filter) and the choices in the reader's order. */
export interface TownFilter {
  ids: ReadonlyMap<string, number>;
  choices: ReadonlyArray<{ value: string; label: string }>;
}

/**
 * `townIdsBySlug` and `townChoices` from one read of the kept towns (one check of the
 * change counters, where calling both checks twice): the exchange and the people
 * directory need both on every view.
 */
export async function townFilter(db: Kysely<Database>, lang: Language): Promise<TownFilter> {
  const towns = await memberTowns.get(db);
  return { ids: idsOf(towns), choices: choicesOf(towns, lang) };
}

/** A town's profile by its slug, or undefined: from the kept towns (see memberTowns), shared, so not to be changed. */
export async function findTownBySlug(db: Kysely<Database>, slug: string): Promise<TownProfile | undefined> {
  if (!isSlug(slug)) return undefined;
  return profilesOfList.get(await memberTowns.get(db))?.get(slug);
}
