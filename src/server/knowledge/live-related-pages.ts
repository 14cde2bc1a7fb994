import type { ChangeArea } from '~/server/cache/changes.ts';

/**
 * What the Node entry and the item pages agree on about prerendered item pages whose
 * related items the database changes (src/server/knowledge/live-related.ts computes the
 * set inside Astro, src/node/live-related.ts routes by it). Kept apart from both, as the
 * Node entry cannot import what reads `astro:content`.
 */

/** The change areas whose writes can change which prerendered item pages the database alters. */
export const LIVE_RELATED_AREAS: readonly ChangeArea[] = ['editorial', 'cases', 'towns'];

/**
 * The prerendered item pages (`/<lang>/<section>/<slug>/`) whose related items, read with
 * the database, include an item that is not a file (a portal item or a member case), and
 * the counters (`stampOf(serials, LIVE_RELATED_AREAS)`) read before the items were.
 */
export interface LiveRelatedPages {
  stamp: string;
  affected: ReadonlySet<string>;
}

/** How an item page hands the set back to the Node entry that asked for it (through `locals`, which only the Node entry sets). */
export type OfferLiveRelatedPages = (pages: LiveRelatedPages) => void;
