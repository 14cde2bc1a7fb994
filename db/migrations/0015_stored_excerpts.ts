import type { Kysely } from 'kysely';
import { requestExcerpt } from '~/server/exchange/excerpt.ts';

// Frozen once landed. Speed at national scale (issue 14): a request's plain-text excerpt
// is stored when the request is written, so the exchange list no longer runs marked and
// sanitize-html over every body it shows on every view; the existing rows get theirs here.
// And the indexes that EXPLAIN showed missing at national scale.

/** Rows read and written per step of the backfill (keeps memory flat on any table size). */
const BACKFILL_BATCH = 500;

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('help_requests').addColumn('excerpt', 'text', (col) => col.notNull().defaultTo('')).execute();
  for (let after = 0; ; ) {
    const rows: Array<{ id: number; body: string }> = await db.selectFrom('help_requests').select(['id', 'body']).where('id', '>', after).orderBy('id').limit(BACKFILL_BATCH).execute();
    if (rows.length === 0) break;
    for (const row of rows) {
      await db.updateTable('help_requests').set({ excerpt: requestExcerpt(row.body) }).where('id', '=', row.id).execute();
    }
    after = Number(rows.at(-1)!.id);
  }
  // A member's notifications page, newest first (50 of them): without it both engines
  // read and sort every notification of the member (20,000 for a busy one).
  await db.schema.createIndex('notifications_user_id').on('notifications').columns(['user_id', 'id']).execute();
  // Every town's published figures of a year (a dashboard's comparison with all towns).
  await db.schema.createIndex('indicator_values_period').on('indicator_values').columns(['period', 'indicator']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('indicator_values_period').execute();
  await db.schema.dropIndex('notifications_user_id').execute();
  await db.schema.alterTable('help_requests').dropColumn('excerpt').execute();
}
