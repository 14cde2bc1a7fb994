import { textOrder } from '~/lib/format.ts';
import type { Language, MessageKey } from '~/i18n/index.ts';
import { ECONOMIC_POTENTIALS, type EconomicPotential } from '~/schemas/taxonomy.ts';

/** The directory's filters and order, as the URL's query string gives them. */
export interface DirectoryQuery {
  region?: string;
  industry?: string;
  potential?: EconomicPotential;
  sort: 'name' | 'population';
}

/** What the directory reads of a town (a TownSummary has it all). */
export interface DirectoryTown {
  name: Record<Language, string>;
  region: string;
  population: number | null;
  mainIndustry: string | null;
  potential: EconomicPotential | null;
}

/**
 * Reads the directory's query string. A value that cannot be right (an unknown region,
 * a sort we do not offer, a repeated parameter) is a problem the page answers with 400;
 * an empty value means "any".
 */
export function parseDirectoryQuery(
  params: URLSearchParams,
  known: { regions: ReadonlySet<string>; industries: ReadonlySet<string> },
): { ok: true; query: DirectoryQuery } | { ok: false; query: DirectoryQuery; problems: MessageKey[] } {
  const problems: MessageKey[] = [];
  const one = (name: string): string | undefined => {
    const all = params.getAll(name);
    if (all.length > 1) problems.push('towns.filter.invalid');
    return all[0]?.trim() || undefined;
  };
  const query: DirectoryQuery = { sort: 'name' };
  const region = one('region');
  if (region !== undefined) {
    if (known.regions.has(region)) query.region = region;
    else problems.push('towns.filter.unknownRegion');
  }
  const industry = one('industry');
  if (industry !== undefined) {
    if (known.industries.has(industry)) query.industry = industry;
    else problems.push('towns.filter.unknownIndustry');
  }
  const potential = one('potential');
  if (potential !== undefined) {
    if ((ECONOMIC_POTENTIALS as readonly string[]).includes(potential)) query.potential = potential as EconomicPotential;
    else problems.push('towns.filter.unknownPotential');
  }
  const sort = one('sort');
  if (sort !== undefined) {
    if (sort === 'name' || sort === 'population') query.sort = sort;
    else problems.push('towns.filter.unknownSort');
  }
  return problems.length ? { ok: false, query, problems: [...new Set(problems)] } : { ok: true, query };
}

/** The towns the query selects, in its order (names in the reader's language; largest first). */
export function selectTowns<T extends DirectoryTown>(towns: readonly T[], query: DirectoryQuery, lang: Language): T[] {
  const selected = towns.filter(
    (town) =>
      (!query.region || town.region === query.region) &&
      (!query.industry || town.mainIndustry === query.industry) &&
      (!query.potential || town.potential === query.potential),
  );
  return selected.sort((a, b) =>
    query.sort === 'population'
      ? (b.population ?? -1) - (a.population ?? -1) || textOrder(lang)(a.name[lang], b.name[lang])
      : textOrder(lang)(a.name[lang], b.name[lang]),
  );
}
