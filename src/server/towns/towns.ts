import type { Kysely, Selectable } from 'kysely';
import type { Language } from '~/i18n/index.ts';
import { isSlug } from '~/lib/ids.ts';
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

/** Every member town (one query); the directory filters and sorts them. */
export async function listTowns(db: Kysely<Database>): Promise<TownSummary[]> {
  const rows = await db.selectFrom('towns').selectAll().orderBy('slug').execute();
  return rows.map(toSummary);
}

/** Every member town's id, slug and names, for filters and pickers (no more is read). */
export async function townNames(db: Kysely<Database>): Promise<Array<Pick<TownSummary, 'id' | 'slug' | 'name'>>> {
  const rows = await db.selectFrom('towns').select(['id', 'slug', 'name_kk', 'name_ru', 'name_en']).orderBy('slug').execute();
  return rows.map((row) => ({ id: row.id, slug: row.slug, name: { kk: row.name_kk, ru: row.name_ru, en: row.name_en } }));
}

/** A town's profile by its slug, or undefined. */
export async function findTownBySlug(db: Kysely<Database>, slug: string): Promise<TownProfile | undefined> {
  if (!isSlug(slug)) return undefined;
  const row = await db.selectFrom('towns').selectAll().where('slug', '=', slug).executeTakeFirst();
  return row ? toProfile(row) : undefined;
}
