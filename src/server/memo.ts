import type { Kysely } from 'kysely';
import type { Database } from '~/server/db/schema.ts';

/** A value read from the database and kept for a while; see `memoPerDatabase`. */
export interface DatabaseMemo<T> {
  get(db: Kysely<Database>): Promise<T>;
  /** Drops the kept value, after a change this process made, so its next read is fresh. */
  forget(db: Kysely<Database>): void;
}

/**
 * Keeps what `load` read for `ttlMs`, one value per database handle (tests open many
 * databases in one process). Another instance's change shows here within `ttlMs`; a
 * change made here is seen at once when its writer calls `forget`. A failed read is
 * not kept, so the next request tries again.
 */
export function memoPerDatabase<T>(ttlMs: number, load: (db: Kysely<Database>) => Promise<T>): DatabaseMemo<T> {
  const kept = new WeakMap<Kysely<Database>, { at: number; value: Promise<T> }>();
  return {
    get(db) {
      const entry = kept.get(db);
      const nowMs = Date.now();
      if (entry && nowMs - entry.at <= ttlMs) return entry.value;
      const value = load(db);
      value.catch(() => kept.delete(db));
      kept.set(db, { at: nowMs, value });
      return value;
    },
    forget(db) {
      kept.delete(db);
    },
  };
}
