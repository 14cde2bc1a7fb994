import type { Kysely } from 'kysely';
import { parseCompareQuery, townsBySlug, type CompareQuery } from '~/lib/indicators/compare-query.ts';
import type { MessageKey } from '~/i18n/index.ts';
import type { Database } from '~/server/db/schema.ts';
import { publishedValuesForTowns, type IndicatorValue } from '~/server/indicators/values.ts';
import { memberTownList, type TownSummary } from './towns.ts';

/** What the compare page shows: the query as understood and the chosen towns' values (the form's towns come from `townsInOrder`). */
export interface Comparison {
  query: CompareQuery;
  problems: MessageKey[];
  chosen: Array<{ town: TownSummary; values: IndicatorValue[] }>;
}

/** Reads the compare query and loads the published values it asks for, in two queries. */
export async function loadComparison(db: Kysely<Database>, params: URLSearchParams): Promise<Comparison> {
  const towns = await memberTownList(db);
  const parsed = parseCompareQuery(params, towns);
  const bySlug = townsBySlug(towns);
  const chosenTowns = parsed.query.towns.flatMap((slug) => (bySlug.has(slug) ? [bySlug.get(slug)!] : []));
  const values = await publishedValuesForTowns(db, parsed.query.indicator, chosenTowns.map((town) => town.id));
  return {
    query: parsed.query,
    problems: parsed.ok ? [] : parsed.problems,
    chosen: chosenTowns.map((town) => ({ town, values: values.filter((value) => value.townId === town.id) })),
  };
}
