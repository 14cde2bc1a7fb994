import type { Kysely, Selectable } from 'kysely';
import type { Language } from '~/i18n/index.ts';
import type { Database, PositionTable, PositionVersionTable } from '~/server/db/schema.ts';
import { STANCES, type Position, type PositionSection, type PositionStanceValue, type PositionVersion } from './types.ts';

// Reading positions: one position, the lists, versions, comments, stances and the tally.

function parseJson<T>(text: string, fallback: T): T {
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
}

function toVersion(row: Selectable<PositionVersionTable>): PositionVersion {
  return {
    version: row.version,
    lang: row.lang,
    title: row.title,
    summary: row.summary,
    sections: parseJson<PositionSection[]>(row.sections, []),
    changeNote: row.change_note,
    createdAt: Number(row.created_at),
  };
}

function toPosition(row: Selectable<PositionTable>, version: Selectable<PositionVersionTable>): Position {
  const { version: _number, changeNote: _note, createdAt: _at, ...text } = toVersion(version);
  return {
    id: row.id,
    slug: row.slug,
    status: row.status,
    topics: parseJson<string[]>(row.topics, []),
    currentVersion: row.current_version,
    openedAt: row.opened_at === null ? null : Number(row.opened_at),
    closesAt: row.closes_at === null ? null : Number(row.closes_at),
    adoptedAt: row.adopted_at === null ? null : Number(row.adopted_at),
    adoptedVersion: row.adopted_version,
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
    text,
  };
}

async function withCurrentText(db: Kysely<Database>, rows: Selectable<PositionTable>[]): Promise<Position[]> {
  if (rows.length === 0) return [];
  const versions = await db
    .selectFrom('position_versions')
    .selectAll()
    .where('position_id', 'in', rows.map((row) => row.id))
    .execute();
  const byKey = new Map(versions.map((version) => [`${version.position_id}:${version.version}`, version]));
  return rows.flatMap((row) => {
    const version = byKey.get(`${row.id}:${row.current_version}`);
    return version ? [toPosition(row, version)] : [];
  });
}

/** One position by id, with its current text. */
export async function findPosition(db: Kysely<Database>, id: number): Promise<Position | undefined> {
  const row = await db.selectFrom('positions').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? (await withCurrentText(db, [row]))[0] : undefined;
}

/** One position by its address, with its current text. */
export async function findPositionBySlug(db: Kysely<Database>, slug: string): Promise<Position | undefined> {
  const row = await db.selectFrom('positions').selectAll().where('slug', '=', slug).executeTakeFirst();
  return row ? (await withCurrentText(db, [row]))[0] : undefined;
}

/** What the public list shows: positions in consultation (soonest to close first), then adopted ones (newest first). */
export async function listPublicPositions(db: Kysely<Database>): Promise<{ consultation: Position[]; adopted: Position[] }> {
  const rows = await db.selectFrom('positions').selectAll().where('status', 'in', ['consultation', 'adopted']).execute();
  const positions = await withCurrentText(db, rows);
  return {
    consultation: positions.filter((p) => p.status === 'consultation').sort((a, b) => (a.closesAt ?? 0) - (b.closesAt ?? 0)),
    adopted: positions.filter((p) => p.status === 'adopted').sort((a, b) => (b.adoptedAt ?? 0) - (a.adoptedAt ?? 0)),
  };
}

/** Every position, for the editors, newest change first. */
export async function listAllPositions(db: Kysely<Database>): Promise<Position[]> {
  const rows = await db.selectFrom('positions').selectAll().orderBy('updated_at', 'desc').orderBy('id', 'desc').execute();
  return withCurrentText(db, rows);
}

/** Consultations that take stances and comments at `now`, soonest to close first. */
export async function listOpenConsultations(db: Kysely<Database>, now: number): Promise<Position[]> {
  const rows = await db.selectFrom('positions').selectAll().where('status', '=', 'consultation').where('closes_at', '>', now).orderBy('closes_at').execute();
  return withCurrentText(db, rows);
}

/** Every version of a position, oldest first. */
export async function positionVersions(db: Kysely<Database>, positionId: number): Promise<PositionVersion[]> {
  const rows = await db.selectFrom('position_versions').selectAll().where('position_id', '=', positionId).orderBy('version').execute();
  return rows.map(toVersion);
}

/** A member's comment as pages show it. */
export interface PositionComment {
  id: number;
  version: number;
  section: number;
  body: string;
  authorName: string | null;
  townName: Record<Language, string>;
  createdAt: number;
}

/** Every comment on a position, oldest first. Members-only: the caller checks canReadComments. */
export async function positionComments(db: Kysely<Database>, positionId: number): Promise<PositionComment[]> {
  const rows = await db
    .selectFrom('position_comments')
    .innerJoin('towns', 'towns.id', 'position_comments.town_id')
    .leftJoin('users', 'users.id', 'position_comments.author_id')
    .select(['position_comments.id', 'position_comments.version', 'position_comments.section', 'position_comments.body', 'position_comments.created_at', 'users.display_name', 'towns.name_kk', 'towns.name_ru', 'towns.name_en'])
    .where('position_comments.position_id', '=', positionId)
    .orderBy('position_comments.id')
    .execute();
  return rows.map((row) => ({
    id: row.id,
    version: row.version,
    section: row.section,
    body: row.body,
    authorName: row.display_name,
    townName: { kk: row.name_kk, ru: row.name_ru, en: row.name_en },
    createdAt: Number(row.created_at),
  }));
}

/** A town's recorded stance. */
export interface TownStance {
  townId: number;
  townSlug: string;
  townName: Record<Language, string>;
  region: string;
  stance: PositionStanceValue;
  reason: string | null;
  version: number;
  updatedAt: number;
}

/** Every town's stance on a position, by town name (English, a stable order). */
export async function positionStances(db: Kysely<Database>, positionId: number): Promise<TownStance[]> {
  const rows = await db
    .selectFrom('position_stances')
    .innerJoin('towns', 'towns.id', 'position_stances.town_id')
    .select(['position_stances.town_id', 'position_stances.stance', 'position_stances.reason', 'position_stances.version', 'position_stances.updated_at', 'towns.slug', 'towns.region', 'towns.name_kk', 'towns.name_ru', 'towns.name_en'])
    .where('position_stances.position_id', '=', positionId)
    .orderBy('towns.name_en')
    .execute();
  return rows.map((row) => ({
    townId: row.town_id,
    townSlug: row.slug,
    townName: { kk: row.name_kk, ru: row.name_ru, en: row.name_en },
    region: row.region,
    stance: row.stance,
    reason: row.reason,
    version: row.version,
    updatedAt: Number(row.updated_at),
  }));
}

/** One town's stance on a position, if it has recorded one. */
export async function townStance(db: Kysely<Database>, positionId: number, townId: number): Promise<TownStance | undefined> {
  return (await positionStances(db, positionId)).find((stance) => stance.townId === townId);
}

/** How many towns took each stance. */
export type StanceCounts = Record<PositionStanceValue, number> & { total: number };

function emptyCounts(): StanceCounts {
  return { support: 0, support_with_changes: 0, oppose: 0, abstain: 0, total: 0 };
}

/** The tally: all towns, and per region (regions in the order first met, by the stances' order). */
export interface PositionTally {
  all: StanceCounts;
  byRegion: Array<{ region: string; counts: StanceCounts }>;
}

/** Counts stances overall and by region (pure). */
export function tallyStances(stances: readonly Pick<TownStance, 'region' | 'stance'>[]): PositionTally {
  const all = emptyCounts();
  const regions = new Map<string, StanceCounts>();
  for (const { region, stance } of stances) {
    const counts = regions.get(region) ?? emptyCounts();
    regions.set(region, counts);
    for (const bucket of [all, counts]) {
      bucket[stance] += 1;
      bucket.total += 1;
    }
  }
  return { all, byRegion: [...regions.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([region, counts]) => ({ region, counts })) };
}

/** What the public page says of an adopted position: how many towns took part and supported. */
export interface Participation {
  towns: number;
  supported: number;
  supportedWithChanges: number;
}

/** Towns that took part (recorded a stance or commented) and those that supported it, with or without changes. */
export async function participation(db: Kysely<Database>, positionId: number): Promise<Participation> {
  const stances = await db.selectFrom('position_stances').select(['town_id', 'stance']).where('position_id', '=', positionId).execute();
  const commenters = await db.selectFrom('position_comments').select('town_id').distinct().where('position_id', '=', positionId).execute();
  const towns = new Set([...stances.map((row) => row.town_id), ...commenters.map((row) => row.town_id)]);
  return {
    towns: towns.size,
    supported: stances.filter((row) => row.stance === 'support').length,
    supportedWithChanges: stances.filter((row) => row.stance === 'support_with_changes').length,
  };
}

export { STANCES };

/** For a town's administrator's home: the consultations open now, each with the town's stance if it has one. */
export async function openConsultationsForTown(db: Kysely<Database>, townId: number, now: number): Promise<Array<{ position: Position; stance: PositionStanceValue | null }>> {
  const positions = await listOpenConsultations(db, now);
  if (positions.length === 0) return [];
  const stances = await db.selectFrom('position_stances').select(['position_id', 'stance']).where('town_id', '=', townId).where('position_id', 'in', positions.map((p) => p.id)).execute();
  const byPosition = new Map(stances.map((row) => [row.position_id, row.stance]));
  return positions.map((position) => ({ position, stance: byPosition.get(position.id) ?? null }));
}
