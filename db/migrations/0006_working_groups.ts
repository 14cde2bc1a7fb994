import { sql, type Kysely } from 'kysely';
import { autoIncrementKey } from './dialect.ts';

// Frozen once landed. Working groups (capability E): groups, their members and join
// requests, discussion threads with replies, read and follow marks, meetings with
// answers, and pinned resources. Times are whole seconds since the Unix epoch (UTC).

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('groups')
    .addColumn('id', 'integer', autoIncrementKey(db))
    .addColumn('slug', 'text', (col) => col.notNull().unique())
    .addColumn('name_kk', 'text', (col) => col.notNull())
    .addColumn('name_ru', 'text', (col) => col.notNull())
    .addColumn('name_en', 'text', (col) => col.notNull())
    .addColumn('purpose_kk', 'text', (col) => col.notNull())
    .addColumn('purpose_ru', 'text', (col) => col.notNull())
    .addColumn('purpose_en', 'text', (col) => col.notNull())
    .addColumn('topics', 'text', (col) => col.notNull().defaultTo('[]'))
    .addColumn('type', 'text', (col) => col.notNull().check(sqlIn('type', ['committee', 'forum', 'community'])))
    .addColumn('visibility', 'text', (col) => col.notNull().check(sqlIn('visibility', ['open', 'approval', 'private'])))
    .addColumn('rhythm', 'text', (col) => col.notNull().check(sqlIn('rhythm', ['weekly', 'fortnightly', 'monthly', 'quarterly', 'as_needed'])))
    .addColumn('description_public', 'integer', (col) => col.notNull().defaultTo(1))
    .addColumn('archived_at', 'bigint')
    .addColumn('created_by', 'text', (col) => col.references('users.id').onDelete('set null'))
    .addColumn('created_at', 'bigint', (col) => col.notNull())
    .addColumn('updated_at', 'bigint', (col) => col.notNull())
    .execute();

  await db.schema
    .createTable('group_members')
    .addColumn('group_id', 'integer', (col) => col.notNull().references('groups.id').onDelete('cascade'))
    .addColumn('user_id', 'text', (col) => col.notNull().references('users.id').onDelete('cascade'))
    .addColumn('role', 'text', (col) => col.notNull().check(sqlIn('role', ['lead', 'member'])))
    .addColumn('joined_at', 'bigint', (col) => col.notNull())
    .addPrimaryKeyConstraint('group_members_pk', ['group_id', 'user_id'])
    .execute();
  await db.schema.createIndex('group_members_user').on('group_members').column('user_id').execute();

  await db.schema
    .createTable('group_join_requests')
    .addColumn('id', 'integer', autoIncrementKey(db))
    .addColumn('group_id', 'integer', (col) => col.notNull().references('groups.id').onDelete('cascade'))
    .addColumn('user_id', 'text', (col) => col.notNull().references('users.id').onDelete('cascade'))
    .addColumn('note', 'text')
    .addColumn('status', 'text', (col) => col.notNull().check(sqlIn('status', ['pending', 'approved', 'declined', 'withdrawn'])))
    .addColumn('decided_by', 'text', (col) => col.references('users.id').onDelete('set null'))
    .addColumn('decided_at', 'bigint')
    .addColumn('created_at', 'bigint', (col) => col.notNull())
    .execute();
  await db.schema
    .createIndex('group_join_requests_one_pending')
    .on('group_join_requests')
    .columns(['group_id', 'user_id'])
    .unique()
    .where(sql.ref('status'), '=', 'pending')
    .execute();

  await db.schema
    .createTable('group_threads')
    .addColumn('id', 'integer', autoIncrementKey(db))
    .addColumn('group_id', 'integer', (col) => col.notNull().references('groups.id').onDelete('cascade'))
    .addColumn('author_id', 'text', (col) => col.references('users.id').onDelete('set null'))
    .addColumn('title', 'text', (col) => col.notNull())
    .addColumn('body', 'text', (col) => col.notNull())
    .addColumn('pinned', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('locked', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('hidden_at', 'bigint')
    .addColumn('hidden_by', 'text', (col) => col.references('users.id').onDelete('set null'))
    .addColumn('hidden_reason', 'text')
    .addColumn('created_at', 'bigint', (col) => col.notNull())
    .addColumn('last_activity_at', 'bigint', (col) => col.notNull())
    .execute();
  await db.schema.createIndex('group_threads_activity').on('group_threads').columns(['group_id', 'pinned', 'last_activity_at']).execute();

  await db.schema
    .createTable('group_replies')
    .addColumn('id', 'integer', autoIncrementKey(db))
    .addColumn('thread_id', 'integer', (col) => col.notNull().references('group_threads.id').onDelete('cascade'))
    .addColumn('author_id', 'text', (col) => col.references('users.id').onDelete('set null'))
    .addColumn('body', 'text', (col) => col.notNull())
    .addColumn('hidden_at', 'bigint')
    .addColumn('hidden_by', 'text', (col) => col.references('users.id').onDelete('set null'))
    .addColumn('hidden_reason', 'text')
    .addColumn('created_at', 'bigint', (col) => col.notNull())
    .execute();
  await db.schema.createIndex('group_replies_thread').on('group_replies').columns(['thread_id', 'id']).execute();

  await db.schema
    .createTable('group_thread_reads')
    .addColumn('thread_id', 'integer', (col) => col.notNull().references('group_threads.id').onDelete('cascade'))
    .addColumn('user_id', 'text', (col) => col.notNull().references('users.id').onDelete('cascade'))
    .addColumn('read_at', 'bigint', (col) => col.notNull())
    .addPrimaryKeyConstraint('group_thread_reads_pk', ['thread_id', 'user_id'])
    .execute();

  await db.schema
    .createTable('group_thread_follows')
    .addColumn('thread_id', 'integer', (col) => col.notNull().references('group_threads.id').onDelete('cascade'))
    .addColumn('user_id', 'text', (col) => col.notNull().references('users.id').onDelete('cascade'))
    .addColumn('following', 'integer', (col) => col.notNull())
    .addPrimaryKeyConstraint('group_thread_follows_pk', ['thread_id', 'user_id'])
    .execute();

  await db.schema
    .createTable('group_meetings')
    .addColumn('id', 'integer', autoIncrementKey(db))
    .addColumn('group_id', 'integer', (col) => col.notNull().references('groups.id').onDelete('cascade'))
    .addColumn('title', 'text', (col) => col.notNull())
    .addColumn('starts_at', 'bigint', (col) => col.notNull())
    .addColumn('duration_minutes', 'integer', (col) => col.notNull())
    .addColumn('place', 'text')
    .addColumn('link', 'text')
    .addColumn('agenda', 'text', (col) => col.notNull())
    .addColumn('created_by', 'text', (col) => col.references('users.id').onDelete('set null'))
    .addColumn('created_at', 'bigint', (col) => col.notNull())
    .execute();
  await db.schema.createIndex('group_meetings_group').on('group_meetings').columns(['group_id', 'starts_at']).execute();

  await db.schema
    .createTable('group_meeting_answers')
    .addColumn('meeting_id', 'integer', (col) => col.notNull().references('group_meetings.id').onDelete('cascade'))
    .addColumn('user_id', 'text', (col) => col.notNull().references('users.id').onDelete('cascade'))
    .addColumn('answer', 'text', (col) => col.notNull().check(sqlIn('answer', ['yes', 'no', 'maybe'])))
    .addColumn('answered_at', 'bigint', (col) => col.notNull())
    .addPrimaryKeyConstraint('group_meeting_answers_pk', ['meeting_id', 'user_id'])
    .execute();

  await db.schema
    .createTable('group_resources')
    .addColumn('id', 'integer', autoIncrementKey(db))
    .addColumn('group_id', 'integer', (col) => col.notNull().references('groups.id').onDelete('cascade'))
    .addColumn('kind', 'text', (col) => col.notNull().check(sqlIn('kind', ['item', 'link'])))
    .addColumn('target', 'text', (col) => col.notNull())
    .addColumn('title', 'text')
    .addColumn('created_by', 'text', (col) => col.references('users.id').onDelete('set null'))
    .addColumn('created_at', 'bigint', (col) => col.notNull())
    .execute();
  await db.schema.createIndex('group_resources_group').on('group_resources').column('group_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    'group_resources',
    'group_meeting_answers',
    'group_meetings',
    'group_thread_follows',
    'group_thread_reads',
    'group_replies',
    'group_threads',
    'group_join_requests',
    'group_members',
    'groups',
  ]) {
    await db.schema.dropTable(table).execute();
  }
}

function sqlIn(column: string, values: string[]) {
  // Values are constants written above, never user input.
  return sql.raw(`${column} in (${values.map((value) => `'${value}'`).join(', ')})`);
}
