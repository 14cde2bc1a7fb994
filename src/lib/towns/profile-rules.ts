// The rules a town profile's figures and contacts must meet, as pure predicates: the edit
// action (src/actions/towns.ts) refuses what fails them with a message beside the field.

/** The largest population a town profile may give (no town comes near it). */
export const MAX_POPULATION = 30_000_000;
/** The earliest year a population figure may be for. */
export const FIRST_POPULATION_YEAR = 1900;

/**
 * A population typed as a whole number, with spaces (also no-break and thin spaces) allowed
 * between digit groups ("49 000"); null when it is not one, or outside 1 … MAX_POPULATION.
 * Commas and dots are refused: "49,000" and "49.000" mean different things in our three languages.
 */
export function parsePopulation(text: string): number | null {
  const digits = text.replace(/[\s\u00A0\u202F]/g, '');
  if (!/^[1-9]\d{0,8}$/.test(digits)) return null;
  const value = Number(digits);
  return value <= MAX_POPULATION ? value : null;
}

/** A year a population figure may be for (from 1900 to this year), or null. */
export function parsePopulationYear(text: string, now: Date = new Date()): number | null {
  if (!/^\d{4}$/.test(text.trim())) return null;
  const year = Number(text.trim());
  return year >= FIRST_POPULATION_YEAR && year <= now.getUTCFullYear() ? year : null;
}

/**
 * A telephone number as people write them: an optional leading +, then digits with spaces,
 * hyphens and brackets between them; 5 to 15 digits (E.164's longest).
 */
export function isPhoneNumber(text: string): boolean {
  if (!/^\+?[0-9][0-9 ()-]*[0-9]$/.test(text)) return false;
  const digits = text.replace(/\D/g, '').length;
  return digits >= 5 && digits <= 15;
}

/** A web address the profile may link to: http(s), with a host name that has a dot. Null when it is not one. */
export function parseWebsite(text: string): string | null {
  if (!/^https?:\/\//i.test(text)) return null;
  try {
    const url = new URL(text);
    if ((url.protocol !== 'http:' && url.protocol !== 'https:') || !url.hostname.includes('.') || url.username || url.password) return null;
    return url.href;
  } catch {
    return null;
  }
}
