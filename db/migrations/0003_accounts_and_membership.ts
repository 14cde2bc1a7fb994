import { sql, type Kysely } from 'kysely';
import { autoIncrementKey } from './dialect.ts';

// Frozen once landed. What membership and accounts need: profiles, single-use tokens
// (invitations, password resets, email changes), applications, notifications, the
// mail outbox and the audit log.

export async function up(db: Kysely<any>): Promise<void> {
  for (const [column, type] of [
    ['position', 'text'],
    ['languages_spoken', 'text'],
    ['expertise_topics', 'text'],
    ['expertise_keywords', 'text'],
    ['bio', 'text'],
  ] as const) {
    await db.schema.alterTable('users').addColumn(column, type).execute();
  }
  await db.schema.alterTable('users').addColumn('contactable', 'integer', (col) => col.notNull().defaultTo(0)).execute();

  await db.schema
    .createTable('tokens')
    .addColumn('id_hash', 'text', (col) => col.primaryKey())
    .addColumn('purpose', 'text', (col) => col.notNull())
    .addColumn('email', 'text', (col) => col.notNull())
    .addColumn('user_id', 'text', (col) => col.references('users.id').onDelete('cascade'))
    .addColumn('data', 'text')
    .addColumn('expires_at', 'bigint', (col) => col.notNull())
    .addColumn('used_at', 'bigint')
    .addColumn('created_at', 'bigint', (col) => col.notNull())
    .execute();
  await db.schema.createIndex('tokens_email').on('tokens').columns(['purpose', 'email']).execute();

  await db.schema
    .createTable('membership_applications')
    .addColumn('id', 'integer', autoIncrementKey(db))
    .addColumn('town_name', 'text', (col) => col.notNull())
    .addColumn('region', 'text', (col) => col.notNull())
    .addColumn('population', 'integer')
    .addColumn('main_industry', 'text', (col) => col.notNull())
    .addColumn('contact_name', 'text', (col) => col.notNull())
    .addColumn('email', 'text', (col) => col.notNull())
    .addColumn('phone', 'text', (col) => col.notNull())
    .addColumn('motivation', 'text', (col) => col.notNull())
    .addColumn('language', 'text', (col) => col.notNull())
    .addColumn('status', 'text', (col) => col.notNull().defaultTo('pending'))
    .addColumn('decision_reason', 'text')
    .addColumn('town_id', 'integer', (col) => col.references('towns.id').onDelete('set null'))
    .addColumn('decided_by', 'text', (col) => col.references('users.id').onDelete('set null'))
    .addColumn('decided_at', 'bigint')
    .addColumn('created_at', 'bigint', (col) => col.notNull())
    .execute();
  await db.schema
    .createIndex('membership_applications_one_pending_per_email')
    .on('membership_applications')
    .column('email')
    .unique()
    .where(sql.ref('status'), '=', 'pending')
    .execute();

  await db.schema
    .createTable('notifications')
    .addColumn('id', 'integer', autoIncrementKey(db))
    .addColumn('user_id', 'text', (col) => col.notNull().references('users.id').onDelete('cascade'))
    .addColumn('kind', 'text', (col) => col.notNull())
    .addColumn('params', 'text', (col) => col.notNull())
    .addColumn('link', 'text')
    .addColumn('created_at', 'bigint', (col) => col.notNull())
    .addColumn('read_at', 'bigint')
    .execute();
  await db.schema.createIndex('notifications_user').on('notifications').columns(['user_id', 'created_at']).execute();

  await db.schema
    .createTable('notification_preferences')
    .addColumn('user_id', 'text', (col) => col.notNull().references('users.id').onDelete('cascade'))
    .addColumn('kind', 'text', (col) => col.notNull())
    .addColumn('email', 'integer', (col) => col.notNull())
    .addPrimaryKeyConstraint('notification_preferences_pk', ['user_id', 'kind'])
    .execute();

  await db.schema
    .createTable('email_outbox')
    .addColumn('id', 'integer', autoIncrementKey(db))
    .addColumn('to_address', 'text', (col) => col.notNull())
    .addColumn('subject', 'text', (col) => col.notNull())
    .addColumn('text_body', 'text', (col) => col.notNull())
    .addColumn('language', 'text', (col) => col.notNull())
    .addColumn('created_at', 'bigint', (col) => col.notNull())
    .execute();

  await db.schema
    .createTable('audit_log')
    .addColumn('id', 'integer', autoIncrementKey(db))
    .addColumn('at', 'bigint', (col) => col.notNull())
    .addColumn('actor_id', 'text')
    .addColumn('action', 'text', (col) => col.notNull())
    .addColumn('target_type', 'text')
    .addColumn('target_id', 'text')
    .addColumn('client_address', 'text')
    .addColumn('details', 'text')
    .execute();
  await db.schema.createIndex('audit_log_at').on('audit_log').column('at').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['audit_log', 'email_outbox', 'notification_preferences', 'notifications', 'membership_applications', 'tokens']) {
    await db.schema.dropTable(table).execute();
  }
  for (const column of ['contactable', 'bio', 'expertise_keywords', 'expertise_topics', 'languages_spoken', 'position']) {
    await db.schema.alterTable('users').dropColumn(column).execute();
  }
}
