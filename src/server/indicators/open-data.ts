import type { Language } from '~/i18n/index.ts';
import { findIndicator } from '~/lib/indicators/catalogue.ts';
import { TAXONOMIES, termLabel } from '~/schemas/taxonomy.ts';
import type { PublishedRow } from './values.ts';

/**
 * The columns of every open-data download, in order (README "Open data" documents them).
 * Names are in the language of the URL the file was downloaded from.
 */
export const OPEN_DATA_COLUMNS = [
  'town',
  'town_name',
  'region',
  'region_name',
  'indicator',
  'indicator_name',
  'unit',
  'direction',
  'period',
  'value',
  'source_note',
  'illustrative',
  'published_at',
] as const;

type Record_ = Record<(typeof OPEN_DATA_COLUMNS)[number], string | number | boolean>;

/** One published value as a download record. */
export function openDataRecord(row: PublishedRow, lang: Language): Record_ {
  const indicator = findIndicator(row.indicator);
  return {
    town: row.townSlug,
    town_name: row.townName[lang],
    region: row.region,
    region_name: termLabel(TAXONOMIES.regions, row.region, lang),
    indicator: row.indicator,
    indicator_name: indicator?.[lang] ?? row.indicator,
    unit: indicator?.unit[lang] ?? '',
    direction: indicator?.direction ?? '',
    period: row.period,
    value: row.value,
    source_note: row.sourceNote,
    illustrative: row.illustrative,
    published_at: new Date(row.publishedAt * 1000).toISOString(),
  };
}

/**
 * One CSV field (RFC 4180): quoted when it holds a comma, quote or line break, quotes
 * doubled. A text starting with =, +, - or @ is prefixed with ' so a spreadsheet does
 * not run it as a formula (numbers are written as numbers and left alone).
 */
export function csvField(value: string | number | boolean): string {
  if (typeof value === 'number') return String(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  const text = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The CSV file: a byte-order mark (so spreadsheets read Cyrillic as UTF-8), the header, CRLF line ends. */
export function toCsv(rows: readonly PublishedRow[], lang: Language): string {
  const lines = [OPEN_DATA_COLUMNS.join(',')];
  for (const row of rows) {
    const record = openDataRecord(row, lang);
    lines.push(OPEN_DATA_COLUMNS.map((column) => csvField(record[column])).join(','));
  }
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

/** The JSON file: what it is, its columns and its records. */
export function toJson(rows: readonly PublishedRow[], lang: Language, about: { title: string; source: string }): string {
  return JSON.stringify({ title: about.title, source: about.source, language: lang, columns: OPEN_DATA_COLUMNS, values: rows.map((row) => openDataRecord(row, lang)) }, null, 2);
}

/** A download response: its type, an attachment name, and caching fit for public data. */
export function downloadResponse(body: string, format: 'csv' | 'json', filename: string): Response {
  return new Response(body, {
    status: 200,
    headers: {
      'Content-Type': format === 'csv' ? 'text/csv; charset=utf-8; header=present' : 'application/json; charset=utf-8',
      'Content-Disposition': `attachment; filename="${filename}.${format}"`,
      'Cache-Control': 'public, max-age=300',
    },
  });
}
