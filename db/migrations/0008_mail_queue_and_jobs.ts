import { sql, type Kysely } from 'kysely';
import { autoIncrementKey } from './dialect.ts';

// Frozen once landed. Mail that is never lost: every message waits in `email_outbox`
// until a worker has handed it to the SMTP server, each try is kept in `email_attempts`,
// and a worker claims a message with a lease so two instances never send it both.
// Scheduled jobs (sending mail, sweeping expired records) keep their lease and their
// last run in `scheduled_jobs`, so exactly one instance runs each and a restart
// remembers when it last ran.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('email_outbox')
    .addColumn('state', 'text', (col) => col.notNull().defaultTo('queued').check(sql`state in ('queued', 'sent', 'failed')`))
    .execute();
  for (const [name, type] of [
    // The HTML part as the caller wrote it; null: made from the text when sent.
    ['html_body', 'text'],
    // Tries in the current round (an administrator's retry starts a new round).
    ['attempts', 'integer'],
    ['next_attempt_at', 'bigint'],
    ['lease_owner', 'text'],
    ['lease_until', 'bigint'],
    ['last_error', 'text'],
    ['sent_at', 'bigint'],
  ] as const) {
    await db.schema
      .alterTable('email_outbox')
      .addColumn(name, type, (col) => (name === 'attempts' || name === 'next_attempt_at' ? col.notNull().defaultTo(0) : col))
      .execute();
  }
  // Mail written before this migration was never sent (the outbox only held mail when no
  // SMTP server was set): it waits as queued, due from when it was written.
  await sql`update email_outbox set next_attempt_at = created_at`.execute(db);
  await db.schema.createIndex('email_outbox_due').on('email_outbox').columns(['state', 'next_attempt_at']).execute();

  await db.schema
    .createTable('email_attempts')
    .addColumn('id', 'integer', autoIncrementKey(db))
    .addColumn('mail_id', 'integer', (col) => col.notNull().references('email_outbox.id').onDelete('cascade'))
    .addColumn('at', 'bigint', (col) => col.notNull())
    .addColumn('outcome', 'text', (col) => col.notNull().check(sql`outcome in ('sent', 'failed')`))
    .addColumn('error', 'text')
    .execute();
  await db.schema.createIndex('email_attempts_mail').on('email_attempts').columns(['mail_id', 'id']).execute();

  await db.schema
    .createTable('scheduled_jobs')
    .addColumn('name', 'text', (col) => col.primaryKey())
    .addColumn('next_run_at', 'bigint', (col) => col.notNull())
    .addColumn('lease_owner', 'text')
    .addColumn('lease_until', 'bigint')
    .addColumn('last_started_at', 'bigint')
    .addColumn('last_finished_at', 'bigint')
    .addColumn('last_duration_ms', 'integer')
    .addColumn('last_outcome', 'text', (col) => col.check(sql`last_outcome in ('succeeded', 'failed')`))
    .addColumn('last_error', 'text')
    // JSON: what the last run did, as counts (e.g. {"sent": 3}).
    .addColumn('last_report', 'text')
    .addColumn('runs', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('failures', 'integer', (col) => col.notNull().defaultTo(0))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('scheduled_jobs').execute();
  await db.schema.dropTable('email_attempts').execute();
  await db.schema.dropIndex('email_outbox_due').execute();
  for (const column of ['sent_at', 'last_error', 'lease_until', 'lease_owner', 'next_attempt_at', 'attempts', 'html_body', 'state']) {
    await db.schema.alterTable('email_outbox').dropColumn(column).execute();
  }
}
