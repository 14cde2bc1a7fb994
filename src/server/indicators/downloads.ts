import type { Kysely } from 'kysely';
import { createTranslator, isLanguage } from '~/i18n/index.ts';
import { findIndicator } from '~/lib/indicators/catalogue.ts';
import type { Database } from '~/server/db/schema.ts';
import { findTownBySlug } from '~/server/towns/towns.ts';
import { downloadResponse, toCsv, toJson } from './open-data.ts';
import { publishedRows } from './values.ts';

/** The open-data formats. */
export type DownloadFormat = 'csv' | 'json';

function notFound(message: string): Response {
  return new Response(message, { status: 404, headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' } });
}

/** A town's published values as a file (never a value the town has not published). */
export async function townDownload(db: Kysely<Database>, lang: string | undefined, slug: string | undefined, format: DownloadFormat): Promise<Response> {
  if (!isLanguage(lang)) return notFound('Not found');
  const t = createTranslator(lang);
  const town = slug ? await findTownBySlug(db, slug) : undefined;
  if (!town) return notFound(t('towns.notFound.title'));
  const rows = await publishedRows(db, { townId: town.id });
  const body = format === 'csv' ? toCsv(rows, lang) : toJson(rows, lang, { title: t('openData.townTitle', { town: town.name[lang] }), source: t('site.name') });
  return downloadResponse(body, format, `${town.slug}-indicators-${lang}`);
}

/** One indicator's published values for every town, as a file. */
export async function indicatorDownload(db: Kysely<Database>, lang: string | undefined, id: string | undefined, format: DownloadFormat): Promise<Response> {
  if (!isLanguage(lang)) return notFound('Not found');
  const t = createTranslator(lang);
  const indicator = id ? findIndicator(id) : undefined;
  if (!indicator) return notFound(t('indicators.error.unknownIndicator'));
  const rows = await publishedRows(db, { indicator: indicator.id });
  const body = format === 'csv' ? toCsv(rows, lang) : toJson(rows, lang, { title: `${indicator[lang]} (${indicator.unit[lang]})`, source: t('site.name') });
  return downloadResponse(body, format, `${indicator.id}-${lang}`);
}
