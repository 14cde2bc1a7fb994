import { sql, type Kysely, type KyselyPlugin, type Transaction } from 'kysely';
import type { Database } from '~/server/db/schema.ts';
import { freshSince, readsFreshFromNow } from './freshness.ts';

export { readsFreshFromNow };

/**
 * The one way Qala keeps database reads in process memory: one change counter per area
 * (a row of `changes`), bumped by every writer of that area inside its own transaction;
 * a kept read remembers the counters it was read under and is read again once one moved.
 * The counters live in the database, so a change made by any process (another instance,
 * a QALA_WORKERS worker, a `qala` command) is seen by every other at its next read, for
 * one small query; a kept value is never older than the last committed change.
 */

/**
 * The areas of what readers see that processes keep in memory. An area is bumped by
 * every write that changes what a kept read of it would return.
 */
export const CHANGE_AREAS = [
  /** Published portal items (publish, scheduled publication, withdrawal). */
  'editorial',
  /** Member towns: created (an approved application, the demo seed) or edited. */
  'towns',
  /** Member towns' published cases (approved, revised, taken down). */
  'cases',
  /** Towns' published indicator figures (published or corrected). */
  'indicators',
  /** Working groups themselves: created, edited, archived or brought back (not their members or posts). */
  'groups',
  /**
   * Who belongs to which working group, as group lists show it (how many active members,
   * from which towns): joins, leaves, approvals, invitations, role changes, and accounts
   * disabled or brought back (a disabled member no longer counts).
   */
  'memberships',
  /** Working groups' threads: started, hidden or shown again (not replies, which change no count kept). */
  'threads',
] as const;
export type ChangeArea = (typeof CHANGE_AREAS)[number];

/** Every area's counter (0 for an area never changed). */
export type ChangeSerials = Readonly<Record<ChangeArea, number>>;

type Db = Kysely<Database> | Transaction<Database>;

/**
 * Says, inside the writer's transaction, that what readers see of `area` changed. The
 * bump commits (or rolls back) with the write, so no process can read the counter
 * moved and still find the old rows, nor the new rows under the old counter for longer
 * than its next read.
 */
export async function recordChange(db: Db, area: ChangeArea): Promise<void> {
  await db
    .insertInto('changes')
    .values({ area, serial: 1 })
    .onConflict((conflict) => conflict.column('area').doUpdateSet({ serial: sql`changes.serial + 1` }))
    .execute();
  // Outside a transaction the bump is committed now; inside one, the drivers' commit says so
  // (src/server/db/connection.ts, sqlite-driver.ts).
  if (!db.isTransaction) readsFreshFromNow();
}

/**
 * How long a read of the counters may serve later kept reads (see `sharedSerials`) when
 * nothing raised the freshness bar meanwhile: the same bound as the item pages' router
 * (src/node/live-related.ts). It only matters to work outside requests (jobs, background
 * passes), which may see another process's change this much later; a request's reads
 * are bounded by its arrival (`readsFreshFromNow`).
 */
export const SHARED_READ_MS = 250;

const sharedReads = new WeakMap<Kysely<Database>, { startedAt: number; serials: Promise<ChangeSerials> }>();

/**
 * The counters for a kept read: the last read through `db` (finished or in flight) when it
 * started after the freshness bar and less than SHARED_READ_MS ago, else a new read. A page
 * with several kept reads (the groups list has six: groups, memberships, threads, towns…)
 * reads the counters once, not once each: on PostgreSQL each was a query and a round trip.
 * A read started at or before a request's arrival, or before a commit of this process,
 * never serves after it, so nothing kept is older than what a request must see.
 */
export function sharedSerials(db: Kysely<Database>): Promise<ChangeSerials> {
  const now = performance.now();
  const last = sharedReads.get(db);
  if (last && last.startedAt > freshSince() && now - last.startedAt < SHARED_READ_MS) return last.serials;
  const read = { startedAt: now, serials: changeSerials(db) };
  sharedReads.set(db, read);
  read.serials.catch(() => {
    if (sharedReads.get(db) === read) sharedReads.delete(db);
  });
  return read.serials;
}

/** Every area's counter, in one query (a handful of rows). */
export async function changeSerials(db: Kysely<Database>): Promise<ChangeSerials> {
  const rows = await db.selectFrom('changes').select(['area', 'serial']).execute();
  const serials = Object.fromEntries(CHANGE_AREAS.map((area) => [area, 0])) as Record<ChangeArea, number>;
  for (const row of rows) if (row.area in serials) serials[row.area as ChangeArea] = Number(row.serial);
  return serials;
}

/** The counters of some areas as one comparable value. */
export function stampOf(serials: ChangeSerials, areas: readonly ChangeArea[]): string {
  return areas.map((area) => serials[area]).join(':');
}

/** A database read kept in memory until one of its areas changes; see `keptUntilChanged`. */
export interface KeptRead<T> {
  /** The kept value, or a fresh read when an area's counter moved (one small query either way). */
  get(db: Kysely<Database>): Promise<T>;
}

/**
 * Keeps what `load` read, one value per database handle (tests open many databases in
 * one process), while the counters of `areas` stay where they were when it was read.
 * The counters are read before `load`, so the value is never older than its stamp: a
 * change committed meanwhile only costs one more read. The same value (the same object)
 * comes back while nothing changed, so callers may key their own derived data on it
 * (a WeakMap), and it is shared: callers must not change it. A failed read is not kept.
 */
export function keptUntilChanged<T>(areas: readonly ChangeArea[], load: (db: Kysely<Database>) => Promise<T>): KeptRead<T> {
  const kept = new WeakMap<Kysely<Database>, { stamp: string; value: Promise<T> }>();
  return {
    async get(handle) {
      const view = views.get(handle);
      // Kept per database, not per view: a view's handle stands for the one it was made from.
      const db = view?.db ?? handle;
      const stamp = stampOf(await (view ? (view.serials ??= sharedSerials(db)) : sharedSerials(db)), areas);
      const entry = kept.get(db);
      if (entry && entry.stamp === stamp) return entry.value;
      const value = load(db);
      const fresh = { stamp, value };
      value.catch(() => {
        if (kept.get(db) === fresh) kept.delete(db);
      });
      kept.set(db, fresh);
      return value;
    },
  };
}

/** The handles `forOneView` made: the database each stands for, and the counters its first kept read read. */
const views = new WeakMap<Kysely<Database>, { db: Kysely<Database>; serials?: Promise<ChangeSerials> }>();

/** Changes nothing: `withPlugin` with it gives a handle of its own (a key for `views`) on the same connections. */
const AS_IS: KyselyPlugin = { transformQuery: (args) => args.node, transformResult: async (args) => args.result };

/**
 * A handle on `db` for one view of a page that only reads: every kept read through it
 * (`keptUntilChanged`, `keptPerKeyUntilChanged`) compares its stamp with the counters read
 * once, by the view's first kept read, instead of reading them again for each (a town
 * profile read them eight times a view: eight queries, eight round trips on PostgreSQL).
 * That read starts after the request arrived, so the view still sees every change
 * committed before it; a change committed while it renders shows at the next view, as
 * with a kept page. Not for a request that writes: its own change, committed after the
 * counters were read, would not show in its kept reads.
 */
export function forOneView(db: Kysely<Database>): Kysely<Database> {
  const handle = db.withPlugin(AS_IS);
  views.set(handle, { db: views.get(db)?.db ?? db });
  return handle;
}

/** Values kept per key (e.g. per group); see `keptPerKeyUntilChanged`. */
export interface KeptPerKey<K, V> {
  /** The values of `keys`: the kept ones, and the others read now in one call (one small query when all are kept). */
  get(db: Kysely<Database>, keys: readonly K[]): Promise<ReadonlyMap<K, V>>;
}

/**
 * Keeps values per key, read as pages ask for them (`readMissing` gets every key not
 * kept yet, and must answer for each), until one of `areas`' counters moves; then every
 * key is read again as it is asked for. For what a page shows of a few of many records
 * (the member towns of a member's 40 groups among 2,000), where reading all at once
 * would cost more than the page. Each counter value starts an empty map, and what is put
 * in it was read after that value was, so nothing kept is older than its stamp.
 */
export function keptPerKeyUntilChanged<K, V>(areas: readonly ChangeArea[], readMissing: (db: Kysely<Database>, keys: readonly K[]) => Promise<ReadonlyMap<K, V>>): KeptPerKey<K, V> {
  const maps = keptUntilChanged(areas, async (): Promise<Map<K, V>> => new Map());
  return {
    async get(db, keys) {
      const kept = await maps.get(db);
      const missing = keys.filter((key) => !kept.has(key));
      if (missing.length > 0) for (const [key, value] of await readMissing(db, missing)) kept.set(key, value);
      return kept;
    },
  };
}
