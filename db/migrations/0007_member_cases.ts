import { sql, type Kysely } from 'kysely';
import { autoIncrementKey } from './dialect.ts';

// Frozen once landed. Member towns' cases (capability F): the working copy a town edits,
// the published copy the public reads (kept apart, so a proposed change never touches
// what is published until an editor approves it), and the history of every state change.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('member_cases')
    .addColumn('id', 'integer', autoIncrementKey(db))
    .addColumn('town_id', 'integer', (col) => col.notNull().references('towns.id').onDelete('restrict'))
    .addColumn('created_by', 'text', (col) => col.references('users.id').onDelete('set null'))
    .addColumn('updated_by', 'text', (col) => col.references('users.id').onDelete('set null'))
    // A resolved expertise request this case grew from; no foreign key (another capability's table).
    .addColumn('source_request_id', 'integer')
    // draft | submitted | changes_requested | approved | rejected (of the working copy).
    .addColumn('status', 'text', (col) => col.notNull().check(sql`status in ('draft', 'submitted', 'changes_requested', 'approved', 'rejected')`))
    // Bumped on every save and state change: a save names the version it started from.
    .addColumn('version', 'integer', (col) => col.notNull().defaultTo(1))
    // The working copy, as JSON (title, summary, sections, topics, facts, indicators, languages).
    .addColumn('content', 'text', (col) => col.notNull())
    // What the public reads: a JSON copy of an approved working copy; null until first approval.
    .addColumn('published_content', 'text')
    .addColumn('slug', 'text', (col) => col.unique())
    .addColumn('published_at', 'bigint')
    .addColumn('published_version', 'integer')
    .addColumn('unpublished_at', 'bigint')
    .addColumn('unpublish_reason', 'text')
    // Demo cases say "Illustrative example", like file cases that did not really happen.
    .addColumn('illustrative', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('created_at', 'bigint', (col) => col.notNull())
    .addColumn('updated_at', 'bigint', (col) => col.notNull())
    .execute();
  await db.schema.createIndex('member_cases_town').on('member_cases').column('town_id').execute();
  await db.schema.createIndex('member_cases_status').on('member_cases').column('status').execute();

  await db.schema
    .createTable('member_case_events')
    .addColumn('id', 'integer', autoIncrementKey(db))
    .addColumn('case_id', 'integer', (col) => col.notNull().references('member_cases.id').onDelete('cascade'))
    .addColumn('actor_id', 'text', (col) => col.references('users.id').onDelete('set null'))
    // created | submitted | resubmitted | comment | changes_requested | approved | rejected | unpublished | revision_started | withdrawn
    .addColumn('kind', 'text', (col) => col.notNull())
    .addColumn('from_status', 'text')
    .addColumn('to_status', 'text')
    .addColumn('version', 'integer')
    // A comment, a reason for rejecting or unpublishing, or what changes are requested.
    .addColumn('body', 'text')
    .addColumn('at', 'bigint', (col) => col.notNull())
    .execute();
  await db.schema.createIndex('member_case_events_case').on('member_case_events').columns(['case_id', 'id']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('member_case_events').execute();
  await db.schema.dropTable('member_cases').execute();
}
