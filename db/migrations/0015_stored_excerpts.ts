import type { Kysely } from 'kysely';
import { requestExcerpt } from '~/server/exchange/excerpt.ts';

// Frozen once landed. Speed at national scale (issue 14): a request's plain-text excerpt
// is stored when the request is written, so the exchange list no longer runs marked and
// sanitize-html over every body it shows on every view; the existing rows get theirs here.

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
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('help_requests').dropColumn('excerpt').execute();
}
