import type { Kysely, Selectable, Updateable } from 'kysely';
import * as clock from '~/lib/clock.ts';
import { LANGUAGES, type Language } from '~/i18n/index.ts';
import type { CurrentUser } from '~/server/auth/lucia.ts';
import type { Database, EconomicPotential, TownTable } from '~/server/db/schema.ts';
import { givenNames, storedNames } from './names.ts';
import { canEditTownProfile, canSeeTownProfileHistory, canSetEconomicPotential } from './rules.ts';
import { recordChange } from '~/server/cache/changes.ts';
import { findTownBySlug, type TownProfile } from './towns.ts';
import { syncTownEverywhere } from '~/server/search/sources/towns.ts';

// Editing a town's profile. The `towns` row is the one place a town's profile lives,
// whether the town came from content/taxonomies/towns.json (the demo seed copies it in)
// or from an approved application: an edit updates that row, so it wins over any file
// value, and every saved edit adds one row to town_profile_changes with the fields it
// changed, from what to what.

/** What the edit form submits, already validated (src/actions/towns.ts). Empty fields are null. */
export interface TownProfileInput {
  names: Record<Language, string | null>;
  descriptions: Record<Language, string | null>;
  population: number | null;
  populationYear: number | null;
  enterprises: Record<Language, string | null>;
  mainIndustry: string | null;
  /** Applied only for someone who may set it (editors); others leave it as it is. */
  potential: EconomicPotential | null;
  address: string | null;
  phone: string | null;
  email: string | null;
  website: string | null;
}

/** The fields an edit may change, as history names them (each has a label `townProfile.field.<field>`). */
export const PROFILE_FIELDS = [
  'name_kk', 'name_ru', 'name_en',
  'description_kk', 'description_ru', 'description_en',
  'population', 'population_year',
  'founding_enterprise_kk', 'founding_enterprise_ru', 'founding_enterprise_en',
  'main_industry', 'economic_potential',
  'contact_address', 'contact_phone', 'contact_email', 'contact_website',
] as const;
export type ProfileField = (typeof PROFILE_FIELDS)[number];

/** One changed field of one edit. */
export interface FieldChange {
  field: ProfileField;
  before: string | number | null;
  after: string | number | null;
}

/** One saved edit, as the history shows it. */
export interface ProfileChange {
  id: number;
  at: number;
  actorName: string | null;
  changes: FieldChange[];
}

/** The profile's values as history compares them: names only where given. */
function comparable(row: Selectable<TownTable>): Record<ProfileField, string | number | null> {
  const names = givenNames(row);
  return {
    name_kk: names.kk, name_ru: names.ru, name_en: names.en,
    description_kk: row.description_kk, description_ru: row.description_ru, description_en: row.description_en,
    population: row.population, population_year: row.population_year,
    founding_enterprise_kk: row.founding_enterprise_kk, founding_enterprise_ru: row.founding_enterprise_ru, founding_enterprise_en: row.founding_enterprise_en,
    main_industry: row.main_industry, economic_potential: row.economic_potential,
    contact_address: row.contact_address, contact_phone: row.contact_phone, contact_email: row.contact_email, contact_website: row.contact_website,
  };
}

function fromInput(input: TownProfileInput, potential: EconomicPotential | null): Record<ProfileField, string | number | null> {
  return {
    name_kk: input.names.kk, name_ru: input.names.ru, name_en: input.names.en,
    description_kk: input.descriptions.kk, description_ru: input.descriptions.ru, description_en: input.descriptions.en,
    population: input.population, population_year: input.population === null ? null : input.populationYear,
    founding_enterprise_kk: input.enterprises.kk, founding_enterprise_ru: input.enterprises.ru, founding_enterprise_en: input.enterprises.en,
    main_industry: input.mainIndustry, economic_potential: potential,
    contact_address: input.address, contact_phone: input.phone, contact_email: input.email, contact_website: input.website,
  };
}

/** Why an edit was not saved. */
export type ProfileRefusal = 'notFound' | 'forbidden' | 'noName';

/**
 * Saves an edit of a town's profile by someone the rules allow, in one transaction:
 * reads the row, writes what changed, and records the change with who and when. An
 * edit that changes nothing is not recorded. Economic potential changes only when the
 * editor may set it.
 */
export async function saveTownProfile(
  db: Kysely<Database>,
  edit: { townId: number; editor: CurrentUser; input: TownProfileInput },
  now = clock.now(),
): Promise<{ ok: true; changed: number } | { ok: false; reason: ProfileRefusal }> {
  if (!canEditTownProfile(edit.editor, edit.townId)) return { ok: false, reason: 'forbidden' };
  const names = storedNames(edit.input.names);
  if (!names) return { ok: false, reason: 'noName' };
  return db.transaction().execute(async (trx) => {
    const row = await trx.selectFrom('towns').selectAll().where('id', '=', edit.townId).executeTakeFirst();
    if (!row) return { ok: false as const, reason: 'notFound' as const };
    const before = comparable(row);
    const potential = canSetEconomicPotential(edit.editor) ? edit.input.potential : row.economic_potential;
    const after = fromInput(edit.input, potential);
    const changes: FieldChange[] = PROFILE_FIELDS.filter((field) => before[field] !== after[field]).map((field) => ({ field, before: before[field], after: after[field] }));
    if (changes.length === 0) return { ok: true as const, changed: 0 };
    const given = LANGUAGES.filter((language) => edit.input.names[language] !== null).join(',');
    const update: Updateable<TownTable> = {
      name_kk: names.kk, name_ru: names.ru, name_en: names.en, given_names: given,
      description_kk: after.description_kk as string | null, description_ru: after.description_ru as string | null, description_en: after.description_en as string | null,
      population: after.population as number | null, population_year: after.population_year as number | null,
      founding_enterprise_kk: after.founding_enterprise_kk as string | null, founding_enterprise_ru: after.founding_enterprise_ru as string | null, founding_enterprise_en: after.founding_enterprise_en as string | null,
      main_industry: after.main_industry as string | null, economic_potential: potential,
      contact_address: after.contact_address as string | null, contact_phone: after.contact_phone as string | null,
      contact_email: after.contact_email as string | null, contact_website: after.contact_website as string | null,
      updated_at: now,
    };
    await trx.updateTable('towns').set(update).where('id', '=', edit.townId).execute();
    await trx.insertInto('town_profile_changes').values({ town_id: edit.townId, actor_id: edit.editor.id, at: now, changes: JSON.stringify(changes) }).execute();
    await syncTownEverywhere(trx, edit.townId);
    await recordChange(trx, 'towns');
    return { ok: true as const, changed: changes.length };
  });
}

/** A town profile's saved edits, newest first, with the editor's name (null once their account is gone). One query. */
export async function townProfileHistory(db: Kysely<Database>, townId: number): Promise<ProfileChange[]> {
  const rows = await db
    .selectFrom('town_profile_changes')
    .leftJoin('users', 'users.id', 'town_profile_changes.actor_id')
    .select(['town_profile_changes.id', 'town_profile_changes.at', 'town_profile_changes.changes', 'users.display_name'])
    .where('town_profile_changes.town_id', '=', townId)
    .orderBy('town_profile_changes.at', 'desc')
    .orderBy('town_profile_changes.id', 'desc')
    .execute();
  return rows.map((row) => ({ id: row.id, at: Number(row.at), actorName: row.display_name ?? null, changes: JSON.parse(row.changes) as FieldChange[] }));
}

/** What the edit page needs: the town, what the viewer may do, and (for those allowed) the history. */
export interface TownProfileEditing {
  town: TownProfile;
  may: { edit: boolean; potential: boolean; history: boolean };
  history: ProfileChange[];
}

/** The edit page's one call; undefined when no town has this slug. */
export async function loadTownProfileEditing(db: Kysely<Database>, slug: string, viewer: CurrentUser): Promise<TownProfileEditing | undefined> {
  const town = await findTownBySlug(db, slug);
  if (!town) return undefined;
  const may = { edit: canEditTownProfile(viewer, town.id), potential: canSetEconomicPotential(viewer), history: canSeeTownProfileHistory(viewer, town.id) };
  return { town, may, history: may.history ? await townProfileHistory(db, town.id) : [] };
}
