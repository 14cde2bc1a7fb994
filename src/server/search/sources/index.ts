import type { Kysely } from 'kysely';
import type { Database } from '~/server/db/schema.ts';
import type { SearchDocument } from '../documents.ts';
import { forgetResync, resyncUntilDone, type ResyncStep } from '../resync.ts';
import { syncReleaseDocuments } from './release.ts';

export { DATABASE_SOURCES, DATABASE_SOURCES_VERSION } from './registry.ts';

/**
 * A full pass over every database source now, to its end (the demo seed, tests): the
 * same pages the background pass writes. Returns the documents written per source.
 */
export async function resyncDatabaseSources(db: Kysely<Database>): Promise<Record<string, number>> {
  await forgetResync(db);
  return resyncUntilDone(db);
}

/**
 * What a starting server (and `migrate`) does for search before it serves: the release's
 * documents when they changed (a few thousand at most, in one write transaction, so
 * instances starting together write them once). The database sources are not waited
 * for: when the indexing code changed, or on a database from before search, the
 * `search-index` job rewrites them in the background (../resync.ts), and the search page
 * says how far it is. Returns how many release documents were written.
 */
export async function syncSearchAtStart(db: Kysely<Database>, content: readonly SearchDocument[] | null): Promise<{ release: number }> {
  return { release: await syncReleaseDocuments(db, content) };
}

/**
 * `qala search reindex`: every source rewritten, whatever the fingerprints say: the
 * release's documents at once, then a full pass over the database sources, step by step
 * (a server running beside it serves throughout and may take steps of the same pass).
 */
export async function reindexEverything(
  db: Kysely<Database>,
  content: readonly SearchDocument[] | null,
  onStep?: (step: ResyncStep) => void | Promise<void>,
): Promise<Record<string, number>> {
  await db.deleteFrom('search_syncs').execute();
  await forgetResync(db);
  const release = await syncReleaseDocuments(db, content);
  return { release, ...(await resyncUntilDone(db, { onStep })) };
}
