import type { MessageKey } from '~/i18n/index.ts';
import { findIndicator } from './catalogue.ts';
import { MAX_SERIES } from './chart.ts';

/** What the compare page shows: one indicator, some towns. */
export interface CompareQuery {
  indicator: string;
  /** Town slugs, in the order given, without repeats. */
  towns: string[];
}

/** What a comparison reads of a town (a TownSummary has it all). */
export interface PeerTown {
  id: number;
  slug: string;
  region: string;
  mainIndustry: string | null;
}

/** The indicator shown when the URL names none. */
export const DEFAULT_COMPARE_INDICATOR = 'average-wage';
/** The towns shown when the URL names none and no town to start from: the source document's wage examples. */
export const DEFAULT_COMPARE_TOWNS = ['aksai', 'zhanaozen', 'saran', 'shakhtinsk'];

/** The shareable address of a comparison: `?indicator=…&towns=a,b`. */
export function compareHref(lang: string, query: CompareQuery): string {
  const params = new URLSearchParams({ indicator: query.indicator, towns: query.towns.join(',') });
  return `/${lang}/towns/compare/?${params.toString().replace(/%2C/g, ',')}`;
}

/** The comparison that starts from one town and its peers: `?town=<slug>`. */
export function compareFromHref(lang: string, townSlug: string): string {
  return `/${lang}/towns/compare/?town=${encodeURIComponent(townSlug)}`;
}

/**
 * The towns a comparison starts from for one town: itself, then towns with the same
 * main industry, then towns of the same region, up to the most a chart can tell apart.
 */
export function peersOf(town: PeerTown, towns: readonly PeerTown[]): string[] {
  const sameIndustry = towns.filter((other) => other.id !== town.id && town.mainIndustry && other.mainIndustry === town.mainIndustry);
  const sameRegion = towns.filter((other) => other.id !== town.id && other.region === town.region && !sameIndustry.includes(other));
  return [town, ...sameIndustry, ...sameRegion].slice(0, MAX_SERIES).map((other) => other.slug);
}

const bySlugOfList = new WeakMap<readonly PeerTown[], ReadonlyMap<string, PeerTown>>();

/**
 * The towns by slug. Kept per list when the list is frozen (the kept member towns, the
 * same array while towns are unchanged), which cannot change: building a thousand
 * entries on every compare view cost more than reading its query.
 */
export function townsBySlug<T extends PeerTown>(towns: readonly T[]): ReadonlyMap<string, T> {
  if (!Object.isFrozen(towns)) return new Map(towns.map((town) => [town.slug, town]));
  let bySlug = bySlugOfList.get(towns);
  if (!bySlug) bySlugOfList.set(towns, (bySlug = new Map(towns.map((town) => [town.slug, town]))));
  return bySlug as ReadonlyMap<string, T>;
}

/**
 * Reads the compare page's query string. `towns` may be one comma-separated list
 * (the shareable form) or repeated (what the page's checkboxes send); `town=<slug>`
 * alone starts from that town and its peers. Unknown or too many towns, or an unknown
 * indicator, are problems (the page answers 400 and shows the defaults).
 */
export function parseCompareQuery(
  params: URLSearchParams,
  towns: readonly PeerTown[],
): { ok: true; query: CompareQuery } | { ok: false; query: CompareQuery; problems: MessageKey[] } {
  const problems: MessageKey[] = [];
  const bySlug = townsBySlug(towns);

  const indicators = params.getAll('indicator').map((value) => value.trim()).filter(Boolean);
  let indicator = DEFAULT_COMPARE_INDICATOR;
  if (indicators.length > 1) problems.push('compare.error.oneIndicator');
  else if (indicators.length === 1) {
    if (findIndicator(indicators[0]!)) indicator = indicators[0]!;
    else problems.push('compare.error.unknownIndicator');
  }

  const listed = params
    .getAll('towns')
    .flatMap((value) => value.split(','))
    .map((value) => value.trim())
    .filter(Boolean);
  let chosen: string[];
  if (listed.length > 0) {
    chosen = [...new Set(listed)];
    if (chosen.some((slug) => !bySlug.has(slug))) problems.push('compare.error.unknownTown');
    if (chosen.length > MAX_SERIES) problems.push('compare.error.tooManyTowns');
  } else {
    const start = params.get('town')?.trim();
    const town = start ? bySlug.get(start) : undefined;
    if (start && !town) problems.push('compare.error.unknownTown');
    chosen = town ? peersOf(town, towns) : DEFAULT_COMPARE_TOWNS.filter((slug) => bySlug.has(slug));
  }

  if (problems.length) {
    const fallback = { indicator: findIndicator(indicator) ? indicator : DEFAULT_COMPARE_INDICATOR, towns: DEFAULT_COMPARE_TOWNS.filter((slug) => bySlug.has(slug)) };
    return { ok: false, query: fallback, problems: [...new Set(problems)] };
  }
  return { ok: true, query: { indicator, towns: chosen } };
}
