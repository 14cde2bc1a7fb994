import { z } from 'astro/zod';
import catalogue from '../../../content/taxonomies/indicators.json';
import type { Language } from '~/i18n/index.ts';

const localized = z.object({ kk: z.string().min(1), ru: z.string().min(1), en: z.string().min(1) });

/** One indicator of the catalogue (content/taxonomies/indicators.json). */
const indicatorSchema = z
  .object({
    id: z.string().regex(/^[a-z][a-z0-9-]*$/),
    kk: z.string().min(1),
    ru: z.string().min(1),
    en: z.string().min(1),
    unit: localized,
    /** Whether a higher value is better (wages) or worse (unemployment). */
    direction: z.enum(['higher', 'lower']),
    /** The valid range: values outside it are refused. */
    min: z.number(),
    max: z.number(),
    /** Decimal places shown and accepted. */
    decimals: z.number().int().min(0).max(3),
    /** Values are given per calendar year. */
    period: z.literal('year'),
    definition: localized,
    /** Where a town finds the figure. */
    source: localized,
  })
  .refine((indicator) => indicator.min < indicator.max, { message: 'min must be below max' });

/** An indicator towns report. */
export type Indicator = z.infer<typeof indicatorSchema>;

/**
 * The indicator catalogue, in the order dashboards show it. Deliberately small: a few
 * figures every town can find each year, not a hundred nobody keeps up (ICMA's lesson).
 * A malformed catalogue stops the build.
 */
export const INDICATORS: readonly Indicator[] = z.array(indicatorSchema).parse(catalogue);

const byId = new Map(INDICATORS.map((indicator) => [indicator.id, indicator]));

/** The indicator with this id, if the catalogue has one. */
export function findIndicator(id: string): Indicator | undefined {
  return byId.get(id);
}

/** The indicator's name in a language. */
export function indicatorName(indicator: Indicator, lang: Language): string {
  return indicator[lang];
}

/** The earliest year a value may be given for. */
export const FIRST_YEAR = 1990;

/** The latest period a value may be given for: the current year (UTC); never the future. */
export function latestAllowedYear(now: Date = new Date()): number {
  return now.getUTCFullYear();
}
