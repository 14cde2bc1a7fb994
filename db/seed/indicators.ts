/*
 * Demo indicator values for the 27 seeded towns.
 *
 * Real figures come from Junussova & Beimisheva, "The transition of monotowns from the
 * Soviet legacy to a market economy" (2017), citing OECD (2017) and regional data:
 * the 2013–2014 table for Ridder, Kurchatov, Zyryanovsk and Serebryansk (industrial
 * output to 1 August of each year, active small enterprises, unemployment) and the
 * 2018 wages of Aksai and Zhanaozen. Everything else — every 2019–2024 series, and
 * the 2018 wages of Saran and Shakhtinsk, which the source gives only as "below
 * USD 300" — is an illustrative demo figure, flagged as such and labelled on every page.
 */
import { INDICATORS, type Indicator } from '~/lib/indicators/catalogue.ts';
import type { SeedTown } from './towns.ts';

/** One value the seed writes. */
export interface SeedIndicatorValue {
  town: string;
  indicator: string;
  period: number;
  value: number;
  sourceNote: string;
  illustrative: boolean;
  /** Unpublished values show what a town administrator still has to publish. */
  published: boolean;
}

/** The source note of every illustrative demo figure, in the three languages. */
export const ILLUSTRATIVE_NOTE = 'Illustrative demo figure / Демонстрационная цифра / Көрнекі демо-көрсеткіш';

const CITATION = 'Junussova & Beimisheva (2017), OECD (2017)';
const TO_AUGUST = (year: number) => `${CITATION}: 01.01–01.08.${year}`;

/** Figures the source document gives, as it gives them. */
const REAL: Array<Omit<SeedIndicatorValue, 'illustrative' | 'published'>> = [
  ...(
    [
      ['ridder', 45_901.0, 51_378.0, 185, 183, 5.0, 4.8],
      ['kurchatov', 1_169.4, 1_322.3, 33, 34, 4.4, 4.4],
      ['zyryanovsk', 6_724.0, 8_021.0, 120, 123, 5.4, 5.4],
      ['serebryansk', 981.2, 1_304.2, 19, 20, 5.8, 5.5],
    ] as const
  ).flatMap(([town, output2013, output2014, sme2013, sme2014, unemployment2013, unemployment2014]) => [
    { town, indicator: 'industrial-output', period: 2013, value: output2013, sourceNote: TO_AUGUST(2013) },
    { town, indicator: 'industrial-output', period: 2014, value: output2014, sourceNote: TO_AUGUST(2014) },
    { town, indicator: 'small-enterprises', period: 2013, value: sme2013, sourceNote: TO_AUGUST(2013) },
    { town, indicator: 'small-enterprises', period: 2014, value: sme2014, sourceNote: TO_AUGUST(2014) },
    { town, indicator: 'unemployment-rate', period: 2013, value: unemployment2013, sourceNote: TO_AUGUST(2013) },
    { town, indicator: 'unemployment-rate', period: 2014, value: unemployment2014, sourceNote: TO_AUGUST(2014) },
  ]),
  { town: 'aksai', indicator: 'average-wage', period: 2018, value: 448.8, sourceNote: CITATION },
  { town: 'zhanaozen', indicator: 'average-wage', period: 2018, value: 435.4, sourceNote: CITATION },
];

/** The source says only "below USD 300" (about KZT 96 thousand in 2018) for these two. */
const BELOW_300: Array<[string, number]> = [
  ['saran', 94.6],
  ['shakhtinsk', 91.8],
];

/** The years every town gets an illustrative series for. */
export const ILLUSTRATIVE_YEARS = [2019, 2020, 2021, 2022, 2023, 2024] as const;

/** Industrial output per resident, million KZT a year, by industry (illustrative). */
const OUTPUT_PER_RESIDENT: Record<string, number> = {
  steel: 6, 'oil-gas': 8, copper: 4, ferroalloys: 5, coal: 2.5, polymetals: 2, 'iron-ore': 4, chromite: 5, uranium: 2,
  phosphates: 1.2, bauxite: 0.6, hydropower: 1.5, railway: 0.4, 'nuclear-research': 0.3, asbestos: 1.5,
};
const HEAVY = new Set(['steel', 'copper', 'coal', 'ferroalloys']);

/** A small deterministic generator, so every demo database holds the same figures. */
function random(seed: string): () => number {
  let state = 2166136261;
  for (const char of seed) state = Math.imul(state ^ char.charCodeAt(0), 16777619);
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function round(value: number, indicator: Indicator): number {
  const factor = 10 ** indicator.decimals;
  return Math.min(indicator.max, Math.max(indicator.min, Math.round(value * factor) / factor));
}

/** One illustrative series: a start value, a yearly trend and some noise. */
function series(town: SeedTown, indicator: Indicator): number[] {
  const next = random(`${town.slug}/${indicator.id}`);
  const between = (low: number, high: number) => low + (high - low) * next();
  const oil = town.mainIndustry === 'oil-gas';
  const [start, trend, noise]: [number, (value: number, year: number) => number, number] = (() => {
    switch (indicator.id) {
      case 'industrial-output':
        return [town.population * OUTPUT_PER_RESIDENT[town.mainIndustry]! * between(0.7, 1.3), (v) => v * between(1.02, 1.12), 0];
      case 'small-enterprises':
        return [(town.population / 1000) * between(3, 6), (v) => v * between(1.0, 1.06), 0];
      case 'unemployment-rate':
        return [between(4.2, 5.6), (v) => v - between(-0.1, 0.25), 0.2];
      case 'average-wage': {
        const known = REAL.find((row) => row.town === town.slug && row.indicator === 'average-wage')?.value;
        const low = BELOW_300.find(([slug]) => slug === town.slug)?.[1];
        const base = known ?? low ?? (oil ? 380 : HEAVY.has(town.mainIndustry) ? between(170, 230) : between(130, 180));
        return [base * between(1.05, 1.1), (v) => v * between(1.06, 1.13), 0];
      }
      case 'net-migration':
        return [oil ? between(1, 5) : between(-12, -3), (v) => v + between(-0.5, 1), 1.5];
      case 'population':
        return [town.population * between(1.0, 1.03), (v) => v * (oil ? between(1.005, 1.015) : between(0.985, 0.999)), 0];
      case 'housing-poor-condition':
        return [between(4, 15), (v) => v - between(0, 0.8), 0.2];
      case 'air-quality':
        return [HEAVY.has(town.mainIndustry) ? between(25, 45) : between(11, 24), (v) => v - between(-0.5, 1.5), 1];
      case 'business-environment':
        return [between(42, 62), (v) => v + between(-1, 3), 1.5];
      case 'resident-satisfaction':
        return [between(38, 62), (v) => v + between(-2, 3), 2];
      default:
        return [between(indicator.min, indicator.max), (v) => v, 0];
    }
  })();
  const values: number[] = [];
  let current = start;
  for (const year of ILLUSTRATIVE_YEARS) {
    values.push(round(current + (next() - 0.5) * 2 * noise, indicator));
    current = trend(current, year);
  }
  return values;
}

/**
 * Every demo value: the source's real figures, then an illustrative 2019–2024 series
 * for each town and indicator, and two unpublished 2025 figures for Temirtau, so its
 * administrator has something to publish.
 */
export function seedIndicatorValues(towns: readonly SeedTown[]): SeedIndicatorValue[] {
  const values: SeedIndicatorValue[] = [
    ...REAL.map((row) => ({ ...row, illustrative: false, published: true })),
    ...BELOW_300.map(([town, value]) => ({
      town,
      indicator: 'average-wage',
      period: 2018,
      value,
      sourceNote: `${CITATION}: < USD 300. ${ILLUSTRATIVE_NOTE}`,
      illustrative: true,
      published: true,
    })),
  ];
  for (const town of towns) {
    for (const indicator of INDICATORS) {
      series(town, indicator).forEach((value, index) =>
        values.push({ town: town.slug, indicator: indicator.id, period: ILLUSTRATIVE_YEARS[index]!, value, sourceNote: ILLUSTRATIVE_NOTE, illustrative: true, published: true }),
      );
    }
  }
  values.push(
    { town: 'temirtau', indicator: 'unemployment-rate', period: 2025, value: 4.3, sourceNote: ILLUSTRATIVE_NOTE, illustrative: true, published: false },
    { town: 'temirtau', indicator: 'average-wage', period: 2025, value: 338.4, sourceNote: ILLUSTRATIVE_NOTE, illustrative: true, published: false },
  );
  return values;
}
