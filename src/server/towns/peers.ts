import { sql, type Kysely } from 'kysely';
import { DEFAULT_COMPARE_INDICATOR } from '~/lib/indicators/compare-query.ts';
import { byEngine } from '~/server/db/dialect.ts';
import type { Database } from '~/server/db/schema.ts';
import { keptUntilChanged } from '~/server/cache/changes.ts';
import { bestSharedIndicator, indicatorPositions, similarTowns, type LatestFigure, type ScoredPeer } from './similarity.ts';
import { memberTownList, type TownSummary } from './towns.ts';

/** "Towns like yours" for one town: its peers with their reasons, and the indicator to compare them on. */
export interface PeerTowns {
  town: TownSummary;
  peers: Array<ScoredPeer<TownSummary>>;
  /** The indicator most of the town and its peers have published (the compare links use it). */
  compareIndicator: string;
}

/**
 * Every town's latest published figure of each indicator, in one query: the shape
 * similarity reads. Never a figure the town has not published. Each engine has its own
 * way to take one row per group (SQLite's bare column beside `max()`, which comes from the
 * row holding the maximum; PostgreSQL's `DISTINCT ON`): both read the published rows once,
 * where a portable correlated subquery read them once per row (see tests/bench/peer-towns.measure.ts).
 */
export async function latestPublishedFigures(db: Kysely<Database>): Promise<LatestFigure[]> {
  const query = byEngine(db, {
    sqlite: sql<{ town_id: number; indicator: string; value: number }>`SELECT town_id, indicator, value, max(period) AS period FROM indicator_values WHERE published_at IS NOT NULL GROUP BY town_id, indicator`,
    postgres: sql<{ town_id: number; indicator: string; value: number }>`SELECT DISTINCT ON (town_id, indicator) town_id, indicator, value FROM indicator_values WHERE published_at IS NOT NULL ORDER BY town_id, indicator, period DESC`,
  });
  const { rows } = await query.execute(db);
  return rows.map((row) => ({ townId: Number(row.town_id), indicator: row.indicator, value: Number(row.value) }));
}

/**
 * The latest published figures, placed, kept until the `indicators` change counter moves
 * (publishing or correcting figures bumps it): at national scale (1,000 towns, 100,000
 * figures) reading and placing them takes hundreds of milliseconds. The towns come from
 * their own kept list.
 */
const placedFigures = keptUntilChanged(['indicators'], async (db) => {
  const figures = await latestPublishedFigures(db);
  return { figures, positions: indicatorPositions(figures) };
});

/** Each town's peers, computed once per kept town list and kept figures (both the same objects while unchanged). */
const peersKept = new WeakMap<object, { towns: readonly TownSummary[]; byTown: Map<number, PeerTowns> }>();

/**
 * The five member towns most like a town (see src/server/towns/similarity.ts for how),
 * in two queries whatever the number of towns. Undefined when no town has this id or slug.
 * For the town profile and the member home. A town's peers are kept until towns or
 * figures change: scoring 1,000 candidates took about 10 ms a profile view.
 */
export async function findPeerTowns(db: Kysely<Database>, key: { id: number } | { slug: string }): Promise<PeerTowns | undefined> {
  const [towns, placed] = await Promise.all([memberTownList(db), placedFigures.get(db)]);
  const town = towns.find((candidate) => ('id' in key ? candidate.id === key.id : candidate.slug === key.slug));
  if (!town) return undefined;
  let kept = peersKept.get(placed);
  if (!kept || kept.towns !== towns) peersKept.set(placed, (kept = { towns, byTown: new Map() }));
  const known = kept.byTown.get(town.id);
  if (known) return known;
  const peers = similarTowns(town, towns, placed.positions);
  const compareIndicator = bestSharedIndicator([town.id, ...peers.map((peer) => peer.town.id)], placed.figures) ?? DEFAULT_COMPARE_INDICATOR;
  const found = { town, peers, compareIndicator };
  kept.byTown.set(town.id, found);
  return found;
}
