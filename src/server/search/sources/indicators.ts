import type { Kysely } from 'kysely';
import { createTranslator, LANGUAGES, type Language } from '~/i18n/index.ts';
import { findIndicator, INDICATORS, type Indicator } from '~/lib/indicators/catalogue.ts';
import { formatIndicatorValue } from '~/lib/indicators/format.ts';
import type { Database } from '~/server/db/schema.ts';
import type { SearchDocument } from '../documents.ts';
import { pagedSource } from './paging.ts';
import { documentKey, replaceThing } from './store.ts';
import { inTransaction, joinText } from './text.ts';

/** The indicator catalogue (`/indicators/`): part of the release, like the content files. */
export const INDICATORS_SOURCE = 'indicators';
/** Each town's published figures (`/towns/<slug>/indicators/`). */
export const INDICATOR_VALUES_SOURCE = 'indicator-values';

/**
 * The catalogue's documents: one per indicator and language. The catalogue is one page;
 * each result opens it at the indicator's entry (its `id` anchor).
 */
export function indicatorCatalogueDocuments(indicators: readonly Indicator[] = INDICATORS): SearchDocument[] {
  return indicators.flatMap((indicator) =>
    LANGUAGES.map((lang) => ({
      key: documentKey(INDICATORS_SOURCE, indicator.id, lang),
      source: INDICATORS_SOURCE,
      section: 'indicators',
      lang,
      path: `/indicators/#${indicator.id}`,
      title: indicator[lang],
      summary: indicator.definition[lang],
      body: joinText(indicator.unit[lang], indicator.source[lang]),
      audience: 'public' as const,
      publishedAt: null,
    })),
  );
}

/** What a town's published figures say, as facts: its latest published figure of each indicator. */
interface TownFigures {
  slug: string;
  name: Record<Language, string>;
  /** Latest published value per indicator. */
  latest: Array<{ indicator: string; period: number; value: number; publishedAt: number }>;
}

/** A town's figures page as documents, one per language; none until the town publishes a figure. */
export function townFiguresDocuments(figures: TownFigures): SearchDocument[] {
  const known = figures.latest.flatMap((figure) => {
    const indicator = findIndicator(figure.indicator);
    return indicator ? [{ ...figure, indicator }] : [];
  });
  if (known.length === 0) return [];
  const publishedAt = Math.max(...known.map((figure) => figure.publishedAt));
  return LANGUAGES.map((lang) => {
    const t = createTranslator(lang);
    return {
      key: documentKey(INDICATOR_VALUES_SOURCE, figures.slug, lang),
      source: INDICATOR_VALUES_SOURCE,
      section: 'indicators',
      lang,
      path: `/towns/${figures.slug}/indicators/`,
      title: t('searchsources.townIndicators', { town: figures.name[lang] }),
      summary: known.map((figure) => figure.indicator[lang]).join(', '),
      body: joinText(
        ...known.map((figure) => `${figure.indicator[lang]} ${figure.period}: ${formatIndicatorValue(figure.value, figure.indicator, lang)} ${figure.indicator.unit[lang]}`),
        ...new Set(LANGUAGES.map((language) => figures.name[language])),
      ),
      audience: 'public' as const,
      publishedAt,
    };
  });
}

/** The published figures of the given towns, latest per indicator. */
async function townFigures(db: Kysely<Database>, townIds: readonly number[]): Promise<TownFigures[]> {
  if (townIds.length === 0) return [];
  const query = db
    .selectFrom('indicator_values')
    .innerJoin('towns', 'towns.id', 'indicator_values.town_id')
    .select(['towns.id as townId', 'towns.slug', 'towns.name_kk', 'towns.name_ru', 'towns.name_en', 'indicator_values.indicator', 'indicator_values.period', 'indicator_values.value', 'indicator_values.published_at'])
    .where('indicator_values.published_at', 'is not', null)
    .where('towns.id', 'in', townIds);
  const rows = await query.orderBy('towns.id').orderBy('indicator_values.indicator').orderBy('indicator_values.period').execute();
  const byTown = new Map<number, TownFigures & { byIndicator: Map<string, TownFigures['latest'][number]> }>();
  for (const row of rows) {
    let town = byTown.get(row.townId);
    if (!town) {
      town = { slug: row.slug, name: { kk: row.name_kk, ru: row.name_ru, en: row.name_en }, latest: [], byIndicator: new Map() };
      byTown.set(row.townId, town);
    }
    // Ordered by period: the last one seen is the latest.
    town.byIndicator.set(row.indicator, { indicator: row.indicator, period: row.period, value: row.value, publishedAt: Number(row.published_at) });
  }
  return [...byTown.values()].map(({ byIndicator, ...town }) => ({ ...town, latest: [...byIndicator.values()] }));
}

/** Writes one town's figures page as it stands now (values published or corrected). */
export async function syncTownFigures(db: Kysely<Database>, townId: number): Promise<void> {
  await inTransaction(db, async (trx) => {
    const town = await trx.selectFrom('towns').select('slug').where('id', '=', townId).executeTakeFirst();
    if (!town) return;
    const [figures] = await townFigures(trx, [townId]);
    await replaceThing(trx, INDICATOR_VALUES_SOURCE, town.slug, figures ? townFiguresDocuments(figures) : []);
  });
}

/** Every town's figures documents, a page of towns at a time. */
export const townFiguresSource = pagedSource({
  documentSource: INDICATOR_VALUES_SOURCE,
  table: 'towns',
  rowsAfter: (db, afterId, limit) => db.selectFrom('towns').select('id').where('id', '>', afterId).orderBy('id').limit(limit).execute(),
  documents: async (db, towns) => (await townFigures(db, towns.map((town) => town.id))).flatMap(townFiguresDocuments),
});
