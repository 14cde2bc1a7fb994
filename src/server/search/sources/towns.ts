import type { Kysely, Selectable } from 'kysely';
import { createTranslator, LANGUAGES, type Language } from '~/i18n/index.ts';
import { formatNumber } from '~/lib/format.ts';
import { industryLabel } from '~/lib/towns/labels.ts';
import type { Database, TownTable } from '~/server/db/schema.ts';
import { TAXONOMIES, termLabel } from '~/schemas/taxonomy.ts';
import type { SearchDocument } from '../documents.ts';
import { pagedSource } from './paging.ts';
import { documentKey, replaceThing } from './store.ts';
import { inTransaction, joinText } from './text.ts';
import { syncTownFigures } from './indicators.ts';
import { syncMemberCase } from './member-cases.ts';
import { syncTownMembers } from './members.ts';
import { syncRequest } from './exchange.ts';

/** Member towns' public profiles (`/towns/<slug>/`). */
export const TOWNS_SOURCE = 'towns';

/**
 * A town's documents: one per interface language, as the profile page reads in it. Each
 * carries the town's names in every language and its slug, so "Baikonur", "temirtau" and
 * "Теміртау" all find it whatever language the reader searches in.
 */
export function townDocuments(town: Selectable<TownTable>): SearchDocument[] {
  const names: Record<Language, string> = { kk: town.name_kk, ru: town.name_ru, en: town.name_en };
  const descriptions: Record<Language, string | null> = { kk: town.description_kk, ru: town.description_ru, en: town.description_en };
  const enterprises: Record<Language, string | null> = { kk: town.founding_enterprise_kk, ru: town.founding_enterprise_ru, en: town.founding_enterprise_en };
  const firstGiven = (values: Record<Language, string | null>) => LANGUAGES.map((language) => values[language]).find((value) => value?.trim());
  return LANGUAGES.map((lang) => {
    const t = createTranslator(lang);
    const region = termLabel(TAXONOMIES.regions, town.region, lang);
    const industry = town.main_industry ? industryLabel(town.main_industry, lang) : null;
    return {
      key: documentKey(TOWNS_SOURCE, town.slug, lang),
      source: TOWNS_SOURCE,
      section: 'towns',
      lang,
      path: `/towns/${town.slug}/`,
      title: names[lang],
      summary: joinText(region, industry ? `· ${industry}` : null),
      body: joinText(
        // A description written only in another language still says what the town is.
        descriptions[lang] ?? firstGiven(descriptions),
        enterprises[lang] ?? firstGiven(enterprises),
        town.population === null ? null : t('searchsources.population', { population: formatNumber(town.population, lang) }),
        ...new Set([...LANGUAGES.map((language) => names[language]), town.slug]),
      ),
      audience: 'public',
      publishedAt: town.created_at,
    };
  });
}

/** Writes one town's documents as it stands now (a new member, an edited profile). */
export async function syncTown(db: Kysely<Database>, townId: number): Promise<void> {
  await inTransaction(db, async (trx) => {
    const town = await trx.selectFrom('towns').selectAll().where('id', '=', townId).executeTakeFirst();
    if (town) await replaceThing(trx, TOWNS_SOURCE, town.slug, townDocuments(town));
  });
}

/** Every town's documents, a page of towns at a time. */
export const townsSource = pagedSource({
  documentSource: TOWNS_SOURCE,
  table: 'towns',
  rowsAfter: (db, afterId, limit) => db.selectFrom('towns').selectAll().where('id', '>', afterId).orderBy('id').limit(limit).execute(),
  documents: (_db, towns) => towns.flatMap(townDocuments),
});

/**
 * After a profile edit: the town's own documents and every document that carries its
 * names (its figures page, its published cases, its members' profiles, its requests).
 */
export async function syncTownEverywhere(db: Kysely<Database>, townId: number): Promise<void> {
  await inTransaction(db, async (trx) => {
    await syncTown(trx, townId);
    await syncTownFigures(trx, townId);
    for (const { id } of await trx.selectFrom('member_cases').select('id').where('town_id', '=', townId).execute()) await syncMemberCase(trx, id);
    await syncTownMembers(trx, townId);
    for (const { id } of await trx.selectFrom('help_requests').select('id').where('town_id', '=', townId).execute()) await syncRequest(trx, id);
  });
}
