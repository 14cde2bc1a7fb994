import { sql, type RawBuilder } from 'kysely';

/**
 * The condition "no one holds this row at `now`" for tables with a `lease_until` column
 * (the mail outbox, scheduled jobs): never leased, or the holder's lease has run out.
 */
export function leaseFreeAt(now: number): RawBuilder<boolean> {
  return sql<boolean>`(lease_until is null or lease_until <= ${now})`;
}
