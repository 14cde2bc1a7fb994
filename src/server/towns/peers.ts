import type { Kysely } from 'kysely';
import { DEFAULT_COMPARE_INDICATOR } from '~/lib/indicators/compare-query.ts';
import type { Database } from '~/server/db/schema.ts';
import { bestSharedIndicator, similarTowns, type LatestFigure, type ScoredPeer } from './similarity.ts';
import { listTowns, type TownSummary } from './towns.ts';

/** "Towns like yours" for one town: its peers with their reasons, and the indicator to compare them on. */
export interface PeerTowns {
  town: TownSummary;
  peers: Array<ScoredPeer<TownSummary>>;
  /** The indicator most of the town and its peers have published (the compare links use it). */
  compareIndicator: string;
}

/**
 * Every town's latest published figure of each indicator, in one query: the shape
 * similarity reads. Never a figure the town has not published.
 */
export async function latestPublishedFigures(db: Kysely<Database>): Promise<LatestFigure[]> {
  const rows = await db
    .selectFrom('indicator_values as v')
    .select(['v.town_id', 'v.indicator', 'v.value'])
    .where('v.published_at', 'is not', null)
    .where((eb) =>
      eb(
        'v.period',
        '=',
        eb
          .selectFrom('indicator_values as later')
          .select((inner) => inner.fn.max('later.period').as('period'))
          .whereRef('later.town_id', '=', 'v.town_id')
          .whereRef('later.indicator', '=', 'v.indicator')
          .where('later.published_at', 'is not', null),
      ),
    )
    .execute();
  return rows.map((row) => ({ townId: row.town_id, indicator: row.indicator, value: Number(row.value) }));
}

/**
 * The five member towns most like a town (see src/server/towns/similarity.ts for how),
 * in two queries whatever the number of towns. Undefined when no town has this id or slug.
 * For the town profile and the member home.
 */
export async function findPeerTowns(db: Kysely<Database>, key: { id: number } | { slug: string }): Promise<PeerTowns | undefined> {
  const [towns, figures] = await Promise.all([listTowns(db), latestPublishedFigures(db)]);
  const town = towns.find((candidate) => ('id' in key ? candidate.id === key.id : candidate.slug === key.slug));
  if (!town) return undefined;
  const peers = similarTowns(town, towns, figures);
  const compareIndicator = bestSharedIndicator([town.id, ...peers.map((peer) => peer.town.id)], figures) ?? DEFAULT_COMPARE_INDICATOR;
  return { town, peers, compareIndicator };
}
