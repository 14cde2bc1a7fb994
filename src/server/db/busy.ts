/**
 * What every DatabaseBusyError says. Astro turns an error thrown in an action into an
 * ActionError that keeps only the message, so the message is how a busy database is
 * still recognised there (src/middleware.ts).
 */
export const DATABASE_BUSY_MESSAGE = 'database busy: another process held the write lock past the wait deadline';

/**
 * A write gave up waiting for SQLite's write lock, held by another process (a backup
 * tool, a migration, a second writer). Nothing was written; the request may simply be
 * tried again, so it answers 503, not 500.
 */
export class DatabaseBusyError extends Error {
  override readonly name = 'DatabaseBusyError';
  constructor(options?: ErrorOptions) {
    super(DATABASE_BUSY_MESSAGE, options);
  }
}

/**
 * Whether `error` is a DatabaseBusyError, or what Astro made of one. Checked by name
 * and message, not `instanceof`: the Node entry and Astro's bundle each carry their
 * own copy of this module, and the database handle comes from the entry's.
 */
export function isDatabaseBusy(error: unknown): boolean {
  return error instanceof Error && (error.name === 'DatabaseBusyError' || error.message === DATABASE_BUSY_MESSAGE);
}
