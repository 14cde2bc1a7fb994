import type { Kysely } from 'kysely';
import * as clock from '~/lib/clock.ts';
import type { Database } from '~/server/db/schema.ts';
import type { SearchDocument } from '../documents.ts';
import { resyncDialogue } from '~/server/dialogue/search.ts';
import { resyncPositions } from '~/server/positions/search.ts';
import { resyncExchange } from './exchange.ts';
import { resyncGroups } from './groups.ts';
import { resyncTownFigures } from './indicators.ts';
import { resyncMemberCases } from './member-cases.ts';
import { resyncMembers } from './members.ts';
import { syncReleaseDocuments } from './release.ts';
import { inTransaction } from './text.ts';
import { resyncTowns } from './towns.ts';

/**
 * Every source that lives in the database, by name: each rewrites all of its rows. Run at
 * start when the indexing code changed (DATABASE_SOURCES_VERSION), by the demo seed, and by
 * `qala search reindex`.
 */
export const DATABASE_SOURCES: Record<string, (db: Kysely<Database>) => Promise<number>> = {
  towns: resyncTowns,
  'indicator-values': resyncTownFigures,
  'member-cases': resyncMemberCases,
  groups: resyncGroups,
  exchange: resyncExchange,
  members: resyncMembers,
  dialogue: resyncDialogue,
  positions: resyncPositions,
};

/**
 * The version of what the database sources write. Raise it when a source writes
 * different documents (a new field, a new source): the next start rewrites them all.
 */
export const DATABASE_SOURCES_VERSION = '2';
const DATABASE_SYNC = 'database';

/** Rewrites every database source in one transaction; returns the documents written per source. */
export async function resyncDatabaseSources(db: Kysely<Database>, now = clock.now()): Promise<Record<string, number>> {
  return inTransaction(db, async (trx) => {
    const written: Record<string, number> = {};
    for (const [name, resync] of Object.entries(DATABASE_SOURCES)) written[name] = await resync(trx);
    await trx
      .insertInto('search_syncs')
      .values({ name: DATABASE_SYNC, fingerprint: DATABASE_SOURCES_VERSION, synced_at: now })
      .onConflict((conflict) => conflict.column('name').doUpdateSet({ fingerprint: DATABASE_SOURCES_VERSION, synced_at: now }))
      .execute();
    return written;
  });
}

/**
 * What a starting server (and `migrate`) does for search: the release's documents when
 * they changed, and every database source when the indexing code changed or never ran
 * (a database from before search). One write transaction each, so instances starting
 * together do it once. Returns how many documents were written.
 */
export async function syncSearchAtStart(db: Kysely<Database>, content: readonly SearchDocument[] | null): Promise<{ release: number; database: number }> {
  const release = await syncReleaseDocuments(db, content);
  const database = await inTransaction(db, async (trx) => {
    const last = await trx.selectFrom('search_syncs').select('fingerprint').where('name', '=', DATABASE_SYNC).executeTakeFirst();
    if (last?.fingerprint === DATABASE_SOURCES_VERSION) return 0;
    return Object.values(await resyncDatabaseSources(trx)).reduce((sum, count) => sum + count, 0);
  });
  return { release, database };
}

/** `qala search reindex`: every source rewritten, whatever the fingerprints say. */
export async function reindexEverything(db: Kysely<Database>, content: readonly SearchDocument[] | null): Promise<Record<string, number>> {
  return inTransaction(db, async (trx) => {
    await trx.deleteFrom('search_syncs').execute();
    const release = await syncReleaseDocuments(trx, content);
    return { release, ...(await resyncDatabaseSources(trx)) };
  });
}
