import type { Kysely } from 'kysely';
import { setImmediate as nextTurn, setTimeout as sleep } from 'node:timers/promises';
import * as clock from '~/lib/clock.ts';
import type { Database } from '~/server/db/schema.ts';
import { removeSearchDocuments, saveSearchDocuments } from './documents.ts';
import type { KnownVocabulary } from './index-writer.ts';
import { DATABASE_SOURCES, DATABASE_SOURCES_VERSION } from './sources/registry.ts';
import { inTransaction } from './sources/text.ts';

/**
 * A full pass over the database sources, rewriting every document they make, without
 * ever holding up the server: a page of things at a time, each page read and written
 * in one short write transaction, so members' writes go in between and other instances
 * are not held up. Where the pass is lives in `search_resync_progress` (migration
 * 0021), so a restart or another instance continues it; each step reads that row in its
 * own write transaction, so two processes stepping at once never do a page twice.
 *
 * Members' writes during a pass are never overwritten with older data: a page reads its
 * things in the same write transaction that writes their documents, and Qala's write
 * transactions take turns on both engines (SQLite's BEGIN IMMEDIATE; PostgreSQL's
 * advisory lock, src/server/db/connection.ts), so a page either comes before a member's
 * change or reads it committed. When a source's pages
 * are all written, its documents the pass did not rewrite (their thing is gone or no
 * longer findable, their key changed) are swept, a page at a time; a member's write
 * during the pass is newer than the pass, so it stays.
 */

/** Things per page: a page of replies takes some tens of milliseconds to read, index and write. */
export const RESYNC_PAGE = 500;
/** The `search_syncs` row holding the version of the last finished pass. */
const DATABASE_SYNC = 'database';

/** The version of the last finished pass, if any. */
async function syncedVersion(db: Kysely<Database>): Promise<string | undefined> {
  return (await db.selectFrom('search_syncs').select('fingerprint').where('name', '=', DATABASE_SYNC).executeTakeFirst())?.fingerprint;
}

/**
 * Starts a pass unless the index is current or a pass of this version is under way (a
 * pass of another version is dropped: this code's documents are the ones wanted). Of
 * several processes asking at once, one writes the rows. Returns whether a pass is under way.
 */
export async function beginResync(db: Kysely<Database>, now = clock.now()): Promise<boolean> {
  if ((await syncedVersion(db)) === DATABASE_SOURCES_VERSION) return false;
  const names = Object.keys(DATABASE_SOURCES);
  const current = async (trx: Kysely<Database>) => {
    const rows = await trx.selectFrom('search_resync_progress').select(['source', 'version']).execute();
    return rows.length === names.length && rows.every((row) => row.version === DATABASE_SOURCES_VERSION && names.includes(row.source));
  };
  if (await current(db)) return true;
  // Counted before the write transaction (they are only for the progress shown), which stays short.
  const totals = await Promise.all(Object.values(DATABASE_SOURCES).map((source) => source.count(db)));
  return inTransaction(db, async (trx) => {
    if ((await syncedVersion(trx)) === DATABASE_SOURCES_VERSION) return false;
    if (await current(trx)) return true;
    await trx.deleteFrom('search_resync_progress').execute();
    await trx
      .insertInto('search_resync_progress')
      // The second after this one: a document written before the pass began is older
      // than it, whatever second it was written in; every page waits for it (see below).
      .values(names.map((source, position) => ({ source, position, version: DATABASE_SOURCES_VERSION, started_at: now + 1, cursor: null, total: totals[position]!, paged_at: null, finished_at: null })))
      .execute();
    return true;
  });
}

/** What one step did: the source it worked on and the documents it wrote or swept. */
export interface ResyncStep {
  source: string;
  written: number;
  swept: number;
}

/**
 * One step of the pass under way, in one write transaction: the next page of the first
 * unfinished source, or the next page of its sweep; the last step records the version
 * as synced. Returns null when there is nothing (more) to do.
 */
export async function resyncStep(db: Kysely<Database>, limit = RESYNC_PAGE, now?: number, vocabulary?: KnownVocabulary): Promise<ResyncStep | null> {
  await untilPassBegins(db);
  vocabulary?.learnt.clear();
  const step = await inTransaction(db, async (trx): Promise<ResyncStep | null> => {
    now ??= clock.now();
    const progress = await trx.selectFrom('search_resync_progress').selectAll().where('finished_at', 'is', null).orderBy('position').executeTakeFirst();
    if (!progress) {
      const rows = await trx.selectFrom('search_resync_progress').select('version').execute();
      // Another version's pass (an older or newer release beside this one) is its own to finish.
      if (rows.length === 0 || rows.some((row) => row.version !== DATABASE_SOURCES_VERSION)) return null;
      await trx
        .insertInto('search_syncs')
        .values({ name: DATABASE_SYNC, fingerprint: DATABASE_SOURCES_VERSION, synced_at: now })
        .onConflict((conflict) => conflict.column('name').doUpdateSet({ fingerprint: DATABASE_SOURCES_VERSION, synced_at: now }))
        .execute();
      await trx.deleteFrom('search_resync_progress').execute();
      return null;
    }
    if (progress.version !== DATABASE_SOURCES_VERSION) return null;
    const source = DATABASE_SOURCES[progress.source];
    const row = trx.updateTable('search_resync_progress').where('source', '=', progress.source);
    if (!source) {
      // A source this release no longer has: nothing to page; its documents are the next release's to drop.
      await row.set({ paged_at: now, finished_at: now }).execute();
      return { source: progress.source, written: 0, swept: 0 };
    }
    if (progress.paged_at === null) {
      const page = await source.page(trx, progress.cursor, limit);
      // Never older than the pass (with a clock held still, as in tests), so the sweep keeps it.
      await saveSearchDocuments(trx, page.documents, { updatedAt: Math.max(now, progress.started_at), vocabulary });
      await row
        .set((eb) => ({ cursor: page.cursor, done: eb('done', '+', page.things), written: eb('written', '+', page.documents.length), paged_at: page.cursor === null ? now : null }))
        .execute();
      return { source: progress.source, written: page.documents.length, swept: 0 };
    }
    const stale = await trx
      .selectFrom('search_documents')
      .select('key')
      .where('source', 'in', source.documentSources)
      .where('updated_at', '<', progress.started_at)
      .orderBy('key')
      .limit(limit)
      .execute();
    await removeSearchDocuments(
      trx,
      stale.map((document) => document.key),
    );
    if (stale.length < limit) await row.set({ finished_at: now }).execute();
    return { source: progress.source, written: 0, swept: stale.length };
  });
  // Committed: the words it added are stored.
  for (const pair of vocabulary?.learnt ?? []) vocabulary!.known.add(pair);
  return step;
}

/** Longest wait for a pass's first second (with a clock held still, it never comes). */
const BEGIN_WAIT_MS = 1_500;

/**
 * Waits, outside any transaction, until the second the pass under way begins: documents
 * written then (by a page, or by a member's write) are newer than the pass began, those
 * written before it are older, and the sweep tells them apart by that.
 */
async function untilPassBegins(db: Kysely<Database>): Promise<void> {
  const row = await db.selectFrom('search_resync_progress').select((eb) => eb.fn.max('started_at').as('started')).executeTakeFirst();
  const started = Number(row?.started ?? 0);
  const waitFrom = performance.now();
  while (clock.now() < started && performance.now() - waitFrom < BEGIN_WAIT_MS) await sleep(50);
}

/**
 * Runs the pass under way (starting one if the index needs it) to its end, a step at a
 * time, letting other work of this process run between steps: with `restShare`, it rests
 * that share of each step's time after it (a serving process answers requests then; a
 * step of SQLite work holds the event loop while it runs). Returns the documents written
 * per source.
 */
export async function resyncUntilDone(
  db: Kysely<Database>,
  options: { limit?: number; restShare?: number; onStep?: (step: ResyncStep) => void | Promise<void> } = {},
): Promise<Record<string, number>> {
  const written: Record<string, number> = {};
  if (!(await beginResync(db))) return written;
  const vocabulary: KnownVocabulary = { known: new Set(), learnt: new Set() };
  for (;;) {
    const started = performance.now();
    const step = await resyncStep(db, options.limit, undefined, vocabulary);
    if (!step) return written;
    written[step.source] = (written[step.source] ?? 0) + step.written;
    await options.onStep?.(step);
    if (options.restShare) await sleep((performance.now() - started) * options.restShare);
    else await nextTurn();
  }
}

/**
 * How far the index is from complete, for the search page: null when it is complete,
 * otherwise the share of things gone through, in whole percent (0–99).
 */
export async function indexingProgress(db: Kysely<Database>): Promise<number | null> {
  if ((await syncedVersion(db)) === DATABASE_SOURCES_VERSION) return null;
  const rows = await db.selectFrom('search_resync_progress').select(['total', 'done']).where('version', '=', DATABASE_SOURCES_VERSION).execute();
  const total = rows.reduce((sum, row) => sum + Number(row.total), 0);
  const done = rows.reduce((sum, row) => sum + Math.min(Number(row.done), Number(row.total)), 0);
  return total === 0 ? 0 : Math.min(99, Math.floor((100 * done) / total));
}

/** Forgets the last finished pass and any pass under way, so the next begins from scratch (`qala search reindex`). */
export async function forgetResync(db: Kysely<Database>): Promise<void> {
  await inTransaction(db, async (trx) => {
    await trx.deleteFrom('search_syncs').where('name', '=', DATABASE_SYNC).execute();
    await trx.deleteFrom('search_resync_progress').execute();
  });
}
