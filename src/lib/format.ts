import { LOCALES, type Language } from '~/i18n/index.ts';

// Building an Intl formatter costs about as much as formatting a few hundred values
// with it, and a list page formats dozens: each formatter is built once and kept.
const formatters = new Map<string, Intl.DateTimeFormat | Intl.NumberFormat>();

function dateFormat(lang: Language, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `date|${lang}|${JSON.stringify(options)}`;
  let format = formatters.get(key) as Intl.DateTimeFormat | undefined;
  if (!format) {
    format = new Intl.DateTimeFormat(LOCALES[lang], options);
    formatters.set(key, format);
  }
  return format;
}

function numberFormat(lang: Language, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  const key = `number|${lang}|${JSON.stringify(options)}`;
  let format = formatters.get(key) as Intl.NumberFormat | undefined;
  if (!format) {
    format = new Intl.NumberFormat(LOCALES[lang], options);
    formatters.set(key, format);
  }
  return format;
}

/** A calendar date in the reader's language, e.g. "12 March 2027". */
export function formatDate(date: Date, lang: Language, timeZone = 'UTC'): string {
  return dateFormat(lang, { dateStyle: 'long', timeZone }).format(date);
}

/** A date and time in Asia/Almaty, where the association's events happen. */
export function formatDateTime(date: Date, lang: Language): string {
  return dateFormat(lang, { dateStyle: 'long', timeStyle: 'short', timeZone: 'Asia/Almaty' }).format(date);
}

/** An amount of money in the reader's language, without fractions. */
export function formatMoney(amount: number, currency: string, lang: Language): string {
  return numberFormat(lang, { style: 'currency', currency, maximumFractionDigits: 0 }).format(amount);
}

/** A number in the reader's language. */
export function formatNumber(value: number, lang: Language): string {
  return numberFormat(lang, { maximumFractionDigits: 2 }).format(value);
}

/** The ISO date (YYYY-MM-DD) for a `<time datetime>`. */
export function isoDate(date: Date): string {
  return date.toISOString().slice(0, 10);
}

const collators = new Map<Language, Intl.Collator>();

/**
 * Compares two texts in a language's alphabetical order. One collator per language is
 * kept: `String.prototype.localeCompare` with a locale builds one on every call, which
 * costs milliseconds when sorting a thousand towns.
 */
export function textOrder(lang: Language): (a: string, b: string) => number {
  let collator = collators.get(lang);
  if (!collator) {
    collator = new Intl.Collator(LOCALES[lang]);
    collators.set(lang, collator);
  }
  return collator.compare;
}

/** Compares two choices of a select (anything with a label) by their labels, in a language's order. */
export function labelOrder(lang: Language): (a: { label: string }, b: { label: string }) => number {
  const compare = textOrder(lang);
  return (a, b) => compare(a.label, b.label);
}
