import { LOCALES, type Language } from '~/i18n/index.ts';
import { ASSOCIATION_TIME_ZONE } from './time-zone.ts';

// Building an Intl formatter costs about as much as formatting a few hundred values
// with it, and a list page formats dozens: each formatter is built once and kept.
const formatters = new Map<string, Intl.DateTimeFormat | Intl.NumberFormat | Intl.Collator>();

/** The formatter kept under `key`, built on first use. */
function kept<Format extends Intl.DateTimeFormat | Intl.NumberFormat | Intl.Collator>(key: string, build: () => Format): Format {
  let format = formatters.get(key) as Format | undefined;
  if (!format) {
    format = build();
    formatters.set(key, format);
  }
  return format;
}

function dateFormat(lang: Language, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  return kept(`date|${lang}|${JSON.stringify(options)}`, () => new Intl.DateTimeFormat(LOCALES[lang], options));
}

/** The number format for a language and options, built once and kept (see above). */
export function numberFormat(lang: Language, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  return kept(`number|${lang}|${JSON.stringify(options)}`, () => new Intl.NumberFormat(LOCALES[lang], options));
}

/**
 * A calendar date in the reader's language, e.g. "12 March 2027", as the day it is in
 * the association's time zone (TIME_ZONE, Asia/Almaty by default): a case approved at
 * 00:30 on 7 December in Almaty is "7 December", though it is still the 6th in UTC.
 * Content files' dates (midnight UTC) are the same day in any zone at or east of UTC.
 */
export function formatDate(date: Date, lang: Language, timeZone = ASSOCIATION_TIME_ZONE): string {
  return dateFormat(lang, { dateStyle: 'long', timeZone }).format(date);
}

/** A date and time in the association's time zone, where its events happen. */
export function formatDateTime(date: Date, lang: Language, timeZone = ASSOCIATION_TIME_ZONE): string {
  return dateFormat(lang, { dateStyle: 'long', timeStyle: 'short', timeZone }).format(date);
}

/**
 * A date and time in the association's time zone with its offset from UTC, e.g.
 * "7 Dec 2026, 14:05 (UTC+5)", for records (the audit log) read by people who may think
 * in another zone.
 */
export function formatDateTimeWithZone(date: Date, lang: Language, timeZone = ASSOCIATION_TIME_ZONE): string {
  const offset = dateFormat('en', { timeZone, timeZoneName: 'shortOffset' })
    .formatToParts(date)
    .find((part) => part.type === 'timeZoneName')?.value ?? 'GMT';
  const local = dateFormat(lang, { dateStyle: 'medium', timeStyle: 'short', timeZone }).format(date);
  return `${local} (${offset.replace('GMT', 'UTC')})`;
}

/** The association's time zone as a reader calls it ("Kazakhstan Time", "Қазақстан уақыты"), for "at 08:00 (…)". */
export function timeZoneLabel(lang: Language, timeZone = ASSOCIATION_TIME_ZONE): string {
  return dateFormat(lang, { timeZone, timeZoneName: 'longGeneric' }).formatToParts(new Date(0)).find((part) => part.type === 'timeZoneName')?.value ?? timeZone;
}

/** The calendar date (YYYY-MM-DD) of an instant in the association's time zone. */
export function zonedIsoDate(date: Date, timeZone = ASSOCIATION_TIME_ZONE): string {
  // en-CA writes dates as YYYY-MM-DD.
  return kept(`iso|${timeZone}`, () => new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' })).format(date);
}

/** The year of an instant in the association's time zone (what a list's "year" filter means). */
export function zonedYear(date: Date, timeZone = ASSOCIATION_TIME_ZONE): number {
  return Number(zonedIsoDate(date, timeZone).slice(0, 4));
}

/** An amount of money in the reader's language, without fractions. */
export function formatMoney(amount: number, currency: string, lang: Language): string {
  return numberFormat(lang, { style: 'currency', currency, maximumFractionDigits: 0 }).format(amount);
}

/** A number in the reader's language. */
export function formatNumber(value: number, lang: Language): string {
  return numberFormat(lang, { maximumFractionDigits: 2 }).format(value);
}

/** The ISO date (YYYY-MM-DD) for a `<time datetime>`: the day in the association's time zone, as shown. */
export function isoDate(date: Date): string {
  return zonedIsoDate(date);
}

/**
 * Compares two texts in a language's alphabetical order. One collator per language is
 * kept: `String.prototype.localeCompare` with a locale builds one on every call, which
 * costs milliseconds when sorting a thousand towns.
 */
export function textOrder(lang: Language): (a: string, b: string) => number {
  return kept(`collator|${lang}`, () => new Intl.Collator(LOCALES[lang])).compare;
}

/** Compares two choices of a select (anything with a label) by their labels, in a language's order. */
export function labelOrder(lang: Language): (a: { label: string }, b: { label: string }) => number {
  const compare = textOrder(lang);
  return (a, b) => compare(a.label, b.label);
}

/** A month and year in the reader's language, e.g. "December 2026" (a calendar's heading). */
export function formatMonth(year: number, month: number, lang: Language): string {
  return dateFormat(lang, { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(Date.UTC(year, month - 1, 15)));
}

/** A calendar day (`YYYY-MM-DD`) with its weekday, e.g. "Thursday, 17 December 2026". */
export function formatDay(day: string, lang: Language): string {
  return dateFormat(lang, { dateStyle: 'full', timeZone: 'UTC' }).format(new Date(`${day}T12:00:00Z`));
}

/** The weekdays from Monday, long and short, for a calendar's column headings. */
export function weekdayNames(lang: Language): Array<{ long: string; short: string }> {
  // 2024-01-01 was a Monday.
  return Array.from({ length: 7 }, (_, index) => {
    const day = new Date(Date.UTC(2024, 0, 1 + index, 12));
    return { long: dateFormat(lang, { weekday: 'long', timeZone: 'UTC' }).format(day), short: dateFormat(lang, { weekday: 'short', timeZone: 'UTC' }).format(day) };
  });
}

/** A time of day in Asia/Almaty, e.g. "15:00". */
export function formatTime(date: Date, lang: Language): string {
  return dateFormat(lang, { timeStyle: 'short', timeZone: 'Asia/Almaty' }).format(date);
}
