import { sql, type Kysely } from 'kysely';
import { withoutRowid } from './dialect.ts';

// Frozen once landed. The member home (issue 17): when each member last opened each of
// their groups, so the home can say what is new there; and the indexes that keep the
// home's counts to a range of new rows whatever the tables' size.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('group_visits')
    .addColumn('user_id', 'text', (col) => col.notNull().references('users.id').onDelete('cascade'))
    .addColumn('group_id', 'integer', (col) => col.notNull().references('groups.id').onDelete('cascade'))
    .addColumn('visited_at', 'bigint', (col) => col.notNull())
    .addPrimaryKeyConstraint('group_visits_pk', ['user_id', 'group_id'])
    .modifyEnd(withoutRowid(db))
    .execute();
  // A group's threads by activity alone (the existing index puts `pinned` first, which
  // makes "active since" a walk over every thread of the group); hidden_at too, so the
  // count never reads the threads themselves.
  await db.schema.createIndex('group_threads_group_activity').on('group_threads').columns(['group_id', 'last_activity_at', 'hidden_at', 'id']).execute();
  // The people directory, in name order, one page at a time.
  await db.schema.createIndex('users_display_name').on('users').columns(['display_name', 'id']).execute();
  // What one member has read: the home joins it to a month of their groups' threads
  // (without it PostgreSQL reads every member's marks to find one member's).
  await db.schema.createIndex('group_thread_reads_user').on('group_thread_reads').columns(['user_id', 'thread_id']).execute();
  // Unread notifications of one member, newest first, without stepping over the read ones.
  await db.schema.createIndex('notifications_unread').on('notifications').columns(['user_id', 'id']).where(sql.ref('read_at'), 'is', null).execute();
  // "Invited to answer": the invitations of one member.
  await db.schema.createIndex('help_request_invitations_user').on('help_request_invitations').columns(['user_id', 'created_at']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('help_request_invitations_user').execute();
  await db.schema.dropIndex('users_display_name').execute();
  await db.schema.dropIndex('notifications_unread').execute();
  await db.schema.dropIndex('group_thread_reads_user').execute();
  await db.schema.dropIndex('group_threads_group_activity').execute();
  await db.schema.dropTable('group_visits').execute();
}
