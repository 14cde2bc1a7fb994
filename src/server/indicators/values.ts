import type { Kysely } from 'kysely';
import * as clock from '~/lib/clock.ts';
import type { Database, UnixSeconds } from '~/server/db/schema.ts';
import { keptPerObject } from '~/lib/kept-per-object.ts';
import { keptUntilChanged, recordChange } from '~/server/cache/changes.ts';
import { syncTownFigures } from '~/server/search/sources/indicators.ts';

/** One stored indicator value, as pages and downloads use it. */
export interface IndicatorValue {
  id: number;
  townId: number;
  indicator: string;
  period: number;
  value: number;
  sourceNote: string;
  illustrative: boolean;
  /** null while the town has not published it (members only). */
  publishedAt: UnixSeconds | null;
  updatedAt: UnixSeconds;
}

/** What a town administrator (or editor) submits for one indicator and year. */
export interface ValueInput {
  townId: number;
  indicator: string;
  period: number;
  value: number;
  sourceNote: string;
}

/** Why a write was refused. */
export type WriteRefusal = 'duplicate' | 'not_found';

const VALUE_COLUMNS = [
  'id',
  'town_id as townId',
  'indicator',
  'period',
  'value',
  'source_note as sourceNote',
  'illustrative',
  'published_at as publishedAt',
  'updated_at as updatedAt',
] as const;

type Row = { id: number; townId: number; indicator: string; period: number; value: number; sourceNote: string; illustrative: 0 | 1; publishedAt: number | null; updatedAt: number };
const toValue = (row: Row): IndicatorValue => ({ ...row, illustrative: row.illustrative === 1 });

/** A town's values for every indicator, oldest first; unpublished ones only when asked for. One query. */
export async function townValues(db: Kysely<Database>, townId: number, options: { includeUnpublished: boolean }): Promise<IndicatorValue[]> {
  let query = db.selectFrom('indicator_values').select(VALUE_COLUMNS).where('town_id', '=', townId);
  if (!options.includeUnpublished) query = query.where('published_at', 'is not', null);
  const rows = await query.orderBy('indicator').orderBy('period').execute();
  return rows.map(toValue);
}

/**
 * Every published value, kept until the `indicators` change counter moves (publishing and
 * correcting bump it; a value added is unpublished until then), as columns (about 35 bytes
 * a value: 3.5 MB at national scale) with each town's run of rows: an anonymous profile
 * view then makes its town's values without a query. Reading a town's hundred values cost
 * each first view a query whose rows lie on a hundred pages of the file.
 */
interface PublishedColumns {
  runs: Map<number, { start: number; end: number }>;
  id: Float64Array;
  indicator: Uint16Array;
  period: Int32Array;
  value: Float64Array;
  sourceNote: Uint32Array;
  illustrative: Uint8Array;
  publishedAt: Float64Array;
  updatedAt: Float64Array;
  /** The indicators and source notes the columns name by number, and each one's number. */
  texts: string[];
  numbers: Map<string, number>;
}

const publishedColumns = keptUntilChanged(['indicators'], async (db): Promise<PublishedColumns> => {
  const rows = await db
    .selectFrom('indicator_values')
    .select(['id', 'town_id', 'indicator', 'period', 'value', 'source_note', 'illustrative', 'published_at', 'updated_at'])
    .where('published_at', 'is not', null)
    .orderBy('town_id')
    .orderBy('indicator')
    .orderBy('period')
    .execute();
  const count = rows.length;
  const texts: string[] = [];
  const numbers = new Map<string, number>();
  const numberOf = (text: string) => {
    let known = numbers.get(text);
    if (known === undefined) numbers.set(text, (known = texts.push(text) - 1));
    return known;
  };
  const columns: PublishedColumns = {
    runs: new Map(),
    id: new Float64Array(count),
    indicator: new Uint16Array(count),
    period: new Int32Array(count),
    value: new Float64Array(count),
    sourceNote: new Uint32Array(count),
    illustrative: new Uint8Array(count),
    publishedAt: new Float64Array(count),
    updatedAt: new Float64Array(count),
    texts,
    numbers,
  };
  rows.forEach((row, index) => {
    const townId = Number(row.town_id);
    const run = columns.runs.get(townId);
    if (run) run.end = index + 1;
    else columns.runs.set(townId, { start: index, end: index + 1 });
    columns.id[index] = Number(row.id);
    columns.indicator[index] = numberOf(row.indicator);
    columns.period[index] = Number(row.period);
    columns.value[index] = Number(row.value);
    columns.sourceNote[index] = numberOf(row.source_note);
    columns.illustrative[index] = Number(row.illustrative) === 1 ? 1 : 0;
    columns.publishedAt[index] = Number(row.published_at);
    columns.updatedAt[index] = Number(row.updated_at);
  });
  return columns;
});

/** The value at `index` of the kept columns, as a new object its caller owns. */
function valueAt(columns: PublishedColumns, index: number, townId: number): IndicatorValue {
  return {
    id: columns.id[index]!,
    townId,
    indicator: columns.texts[columns.indicator[index]!]!,
    period: columns.period[index]!,
    value: columns.value[index]!,
    sourceNote: columns.texts[columns.sourceNote[index]!]!,
    illustrative: columns.illustrative[index] === 1,
    publishedAt: columns.publishedAt[index]!,
    updatedAt: columns.updatedAt[index]!,
  };
}

/**
 * A town's published values (what `townValues` without unpublished ones gives), from the
 * kept columns above: new objects each call, so callers own them.
 */
export async function publishedTownValues(db: Kysely<Database>, townId: number): Promise<IndicatorValue[]> {
  const columns = await publishedColumns.get(db);
  const run = columns.runs.get(townId);
  if (!run) return [];
  const values: IndicatorValue[] = [];
  for (let index = run.start; index < run.end; index++) values.push(valueAt(columns, index, townId));
  return values;
}

/**
 * Published values of every town for the given years, all indicators: what peer ranks
 * are computed from. Made from the kept columns once per set of years until the
 * `indicators` counter moves (10,000 figures a year at national scale), so a change costs
 * the next view one read of the published values, not one more per set of years.
 */
export async function publishedValuesForPeriods(db: Kysely<Database>, periods: readonly number[]): Promise<IndicatorValue[]> {
  if (periods.length === 0) return [];
  const unique = [...new Set(periods)].sort((a, b) => a - b);
  const columns = await publishedColumns.get(db);
  return peerValuesByPeriods(columns, unique.join(','), () => valuesOfPeriods(columns, new Set(unique)));
}

/** Kept per set of years with the columns they come from, and gone with them. */
const peerValuesByPeriods = keptPerObject<PublishedColumns, string, IndicatorValue[]>();

function valuesOfPeriods(columns: PublishedColumns, periods: ReadonlySet<number>): IndicatorValue[] {
  const values: IndicatorValue[] = [];
  for (const [townId, run] of columns.runs) {
    for (let index = run.start; index < run.end; index++) if (periods.has(columns.period[index]!)) values.push(valueAt(columns, index, townId));
  }
  return values;
}

/** Published values of one indicator for some towns (the compare page), by year, from the kept columns. */
export async function publishedValuesForTowns(db: Kysely<Database>, indicator: string, townIds: readonly number[]): Promise<IndicatorValue[]> {
  if (townIds.length === 0) return [];
  const columns = await publishedColumns.get(db);
  const wanted = columns.numbers.get(indicator);
  const values: IndicatorValue[] = [];
  if (wanted === undefined) return values;
  for (const townId of new Set(townIds)) {
    const run = columns.runs.get(townId);
    if (!run) continue;
    for (let index = run.start; index < run.end; index++) if (columns.indicator[index] === wanted) values.push(valueAt(columns, index, townId));
  }
  // Stable: within a year, towns stay in the order asked for.
  return values.sort((a, b) => a.period - b.period);
}

/** One published row of an open-data download. */
export interface PublishedRow {
  townSlug: string;
  townName: { kk: string; ru: string; en: string };
  region: string;
  indicator: string;
  period: number;
  value: number;
  sourceNote: string;
  illustrative: boolean;
  publishedAt: UnixSeconds;
}

/** Published values only, for one town or one indicator, by town, indicator and year. One query. */
export async function publishedRows(db: Kysely<Database>, filter: { townId: number } | { indicator: string }): Promise<PublishedRow[]> {
  let query = db
    .selectFrom('indicator_values as v')
    .innerJoin('towns as t', 't.id', 'v.town_id')
    .select([
      't.slug as townSlug',
      't.name_kk',
      't.name_ru',
      't.name_en',
      't.region',
      'v.indicator',
      'v.period',
      'v.value',
      'v.source_note as sourceNote',
      'v.illustrative',
      'v.published_at as publishedAt',
    ])
    .where('v.published_at', 'is not', null);
  query = 'townId' in filter ? query.where('v.town_id', '=', filter.townId) : query.where('v.indicator', '=', filter.indicator);
  const rows = await query.orderBy('t.slug').orderBy('v.indicator').orderBy('v.period').execute();
  return rows.map((row) => ({
    townSlug: row.townSlug,
    townName: { kk: row.name_kk, ru: row.name_ru, en: row.name_en },
    region: row.region,
    indicator: row.indicator,
    period: row.period,
    value: row.value,
    sourceNote: row.sourceNote,
    illustrative: row.illustrative === 1,
    publishedAt: row.publishedAt!,
  }));
}

/**
 * Adds a value for a year the town has none for. Unpublished until the town publishes.
 * The value and its history entry are written together or not at all.
 */
export async function addValue(db: Kysely<Database>, input: ValueInput, actorId: string, now = clock.now()): Promise<{ ok: true; id: number } | { ok: false; reason: WriteRefusal }> {
  return db.transaction().execute(async (trx) => {
    const inserted = await trx
      .insertInto('indicator_values')
      .values({
        town_id: input.townId,
        indicator: input.indicator,
        period: input.period,
        value: input.value,
        source_note: input.sourceNote,
        published_at: null,
        created_by: actorId,
        created_at: now,
        updated_by: actorId,
        updated_at: now,
      })
      .onConflict((conflict) => conflict.columns(['town_id', 'indicator', 'period']).doNothing())
      .returning('id')
      .executeTakeFirst();
    if (!inserted) return { ok: false as const, reason: 'duplicate' as const };
    await trx
      .insertInto('indicator_value_history')
      .values({ value_id: inserted.id, town_id: input.townId, change: 'added', old_value: null, new_value: input.value, old_source_note: null, source_note: input.sourceNote, actor_id: actorId, at: now })
      .execute();
    return { ok: true as const, id: inserted.id };
  });
}

/**
 * Corrects the value a town already has for a year. A published value stays published
 * (the correction is public at once and the history says what it was); a corrected
 * value is no longer an illustrative demo figure.
 */
export async function correctValue(db: Kysely<Database>, input: ValueInput, actorId: string, now = clock.now()): Promise<{ ok: true; id: number } | { ok: false; reason: WriteRefusal }> {
  return db.transaction().execute(async (trx) => {
    const current = await trx
      .selectFrom('indicator_values')
      .select(['id', 'value', 'source_note'])
      .where('town_id', '=', input.townId)
      .where('indicator', '=', input.indicator)
      .where('period', '=', input.period)
      .executeTakeFirst();
    if (!current) return { ok: false as const, reason: 'not_found' as const };
    await trx
      .updateTable('indicator_values')
      .set({ value: input.value, source_note: input.sourceNote, illustrative: 0, updated_by: actorId, updated_at: now })
      .where('id', '=', current.id)
      .execute();
    await syncTownFigures(trx, input.townId);
    // A published value's correction is public at once: every process reads its kept figures again.
    await recordChange(trx, 'indicators');
    await trx
      .insertInto('indicator_value_history')
      .values({
        value_id: current.id,
        town_id: input.townId,
        change: 'corrected',
        old_value: current.value,
        new_value: input.value,
        old_source_note: current.source_note,
        source_note: input.sourceNote,
        actor_id: actorId,
        at: now,
      })
      .execute();
    return { ok: true as const, id: current.id };
  });
}

/** Publishes every value the town has not published yet; returns how many. */
export async function publishTownValues(db: Kysely<Database>, townId: number, actorId: string, now = clock.now()): Promise<number> {
  return db.transaction().execute(async (trx) => {
    const pending = await trx
      .selectFrom('indicator_values')
      .select(['id', 'value', 'source_note'])
      .where('town_id', '=', townId)
      .where('published_at', 'is', null)
      .execute();
    if (pending.length === 0) return 0;
    await trx
      .updateTable('indicator_values')
      .set({ published_at: now })
      .where('id', 'in', pending.map((row) => row.id))
      .execute();
    await trx
      .insertInto('indicator_value_history')
      .values(
        pending.map((row) => ({
          value_id: row.id,
          town_id: townId,
          change: 'published' as const,
          old_value: row.value,
          new_value: row.value,
          old_source_note: row.source_note,
          source_note: row.source_note,
          actor_id: actorId,
          at: now,
        })),
      )
      .execute();
    await syncTownFigures(trx, townId);
    await recordChange(trx, 'indicators');
    return pending.length;
  });
}

/** One entry of a town's value history, newest first. */
export interface HistoryEntry {
  id: number;
  indicator: string;
  period: number;
  change: 'added' | 'corrected' | 'published';
  oldValue: number | null;
  newValue: number;
  oldSourceNote: string | null;
  sourceNote: string;
  actorName: string | null;
  at: UnixSeconds;
}

/** Who changed which of the town's values, when, newest first. One query. */
export async function townHistory(db: Kysely<Database>, townId: number, limit = 200): Promise<HistoryEntry[]> {
  const rows = await db
    .selectFrom('indicator_value_history as h')
    .innerJoin('indicator_values as v', 'v.id', 'h.value_id')
    .leftJoin('users as u', 'u.id', 'h.actor_id')
    .select([
      'h.id',
      'v.indicator',
      'v.period',
      'h.change',
      'h.old_value as oldValue',
      'h.new_value as newValue',
      'h.old_source_note as oldSourceNote',
      'h.source_note as sourceNote',
      'u.display_name as actorName',
      'h.at',
    ])
    .where('h.town_id', '=', townId)
    .orderBy('h.at', 'desc')
    .orderBy('h.id', 'desc')
    .limit(limit)
    .execute();
  return rows;
}
