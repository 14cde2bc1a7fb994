import type { MessageKey } from '~/i18n/index.ts';
import { FIRST_YEAR, findIndicator, latestAllowedYear, type Indicator } from './catalogue.ts';

// Rules for one submitted value, shared by the data-entry action (through zod) and the
// tests. Each returns an i18n key naming what is wrong, or null.

/**
 * Reads a number as people type it: `4.8`, `4,8`, `51 378,0`, `-3.5`. Spaces (also
 * non-breaking and thin ones) group thousands; a comma or a dot marks decimals.
 * Anything else (`abc`, `1e5`, `12%`, `1,234.5`) is not a number.
 */
export function parseDecimal(text: string): number | null {
  const compact = text.trim().replace(/[\s\u00a0\u202f]/g, '');
  if (!/^[-−]?\d+(?:[.,]\d+)?$/.test(compact)) return null;
  const value = Number(compact.replace('−', '-').replace(',', '.'));
  return Number.isFinite(value) ? value : null;
}

/** Whether the value is one the indicator allows: inside its range, whole where it counts things. */
export function valueProblem(indicator: Indicator, value: number): MessageKey | null {
  if (value < indicator.min || value > indicator.max) return 'indicators.error.range';
  if (indicator.decimals === 0 && !Number.isInteger(value)) return 'indicators.error.wholeNumber';
  if (Math.abs(value * 1000 - Math.round(value * 1000)) > 1e-6) return 'indicators.error.decimals';
  return null;
}

/** Whether a period is a year a value may be given for: from 1990 to this year, never the future. */
export function periodProblem(text: string, now: Date = new Date()): MessageKey | null {
  if (!/^\d{4}$/.test(text.trim())) return 'indicators.error.period';
  const year = Number(text.trim());
  if (year < FIRST_YEAR) return 'indicators.error.period';
  if (year > latestAllowedYear(now)) return 'indicators.error.future';
  return null;
}

/** Whether the id names an indicator of the catalogue. */
export function indicatorProblem(id: string): MessageKey | null {
  return findIndicator(id) ? null : 'indicators.error.unknownIndicator';
}
