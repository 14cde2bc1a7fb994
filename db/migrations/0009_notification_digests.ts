import { sql, type Kysely } from 'kysely';

// Each member chooses per notification kind how it reaches them by email: at once,
// in a daily or weekly digest, or never. The on/off choice of 0003 becomes a delivery:
// on → immediate; off → never, because a member who turned a kind's mail off asked for
// no mail about it, and must not start receiving digests they never chose.
// A notification waiting for a digest carries its cadence (`digest`) until a digest
// claims it (`digested_at`).

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('notification_preferences')
    .addColumn('delivery', 'text', (col) => col.notNull().defaultTo('immediate').check(sql`delivery in ('immediate', 'daily', 'weekly', 'never')`))
    .execute();
  await db.updateTable('notification_preferences').set({ delivery: 'never' }).where('email', '=', 0).execute();
  await db.schema.alterTable('notification_preferences').dropColumn('email').execute();

  await db.schema.alterTable('notifications').addColumn('digest', 'text').execute();
  await db.schema.alterTable('notifications').addColumn('digested_at', 'bigint').execute();
  // Only waiting notifications are indexed: the digest run looks for those alone.
  await db.schema
    .createIndex('notifications_digest_waiting')
    .on('notifications')
    .columns(['digest', 'user_id', 'created_at'])
    .where(sql<boolean>`digest is not null and digested_at is null`)
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('notifications_digest_waiting').execute();
  await db.schema.alterTable('notifications').dropColumn('digested_at').execute();
  await db.schema.alterTable('notifications').dropColumn('digest').execute();

  await db.schema.alterTable('notification_preferences').addColumn('email', 'integer', (col) => col.notNull().defaultTo(1)).execute();
  await db.updateTable('notification_preferences').set({ email: 0 }).where('delivery', '=', 'never').execute();
  await db.schema.alterTable('notification_preferences').dropColumn('delivery').execute();
}
