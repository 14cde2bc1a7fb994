import { sql, type Kysely } from 'kysely';
import { autoIncrementKey } from './dialect.ts';

// Frozen once landed. Positions, "one voice" (issue 19): the association drafts a
// position, opens it for consultation until a date, member towns comment on its sections
// and each town records one stance; editors revise it (every version kept) and adopt it.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('positions')
    .addColumn('id', 'integer', autoIncrementKey(db))
    .addColumn('slug', 'text', (col) => col.notNull().unique())
    // draft | consultation | adopted. "Closed" is a consultation past its closes_at.
    .addColumn('status', 'text', (col) => col.notNull().check(sql`status in ('draft', 'consultation', 'adopted')`))
    // The version the position reads as now (the newest row of position_versions).
    .addColumn('current_version', 'integer', (col) => col.notNull().defaultTo(1))
    // Space-free JSON array of topic ids of the taxonomy.
    .addColumn('topics', 'text', (col) => col.notNull().defaultTo('[]'))
    .addColumn('opened_at', 'bigint')
    // Stances and comments are taken while now < closes_at (UTC seconds).
    .addColumn('closes_at', 'bigint')
    .addColumn('adopted_at', 'bigint')
    .addColumn('adopted_version', 'integer')
    .addColumn('created_by', 'text', (col) => col.references('users.id').onDelete('set null'))
    .addColumn('created_at', 'bigint', (col) => col.notNull())
    .addColumn('updated_at', 'bigint', (col) => col.notNull())
    .execute();
  await db.schema.createIndex('positions_status').on('positions').column('status').execute();

  await db.schema
    .createTable('position_versions')
    .addColumn('id', 'integer', autoIncrementKey(db))
    .addColumn('position_id', 'integer', (col) => col.notNull().references('positions.id').onDelete('cascade'))
    .addColumn('version', 'integer', (col) => col.notNull())
    // The language the text is written in.
    .addColumn('lang', 'text', (col) => col.notNull())
    .addColumn('title', 'text', (col) => col.notNull())
    .addColumn('summary', 'text', (col) => col.notNull())
    // JSON array of { heading, body } (body is markdown).
    .addColumn('sections', 'text', (col) => col.notNull())
    // What changed from the previous version, in the editors' words.
    .addColumn('change_note', 'text')
    .addColumn('created_by', 'text', (col) => col.references('users.id').onDelete('set null'))
    .addColumn('created_at', 'bigint', (col) => col.notNull())
    .addUniqueConstraint('position_versions_one_per_number', ['position_id', 'version'])
    .execute();

  await db.schema
    .createTable('position_comments')
    .addColumn('id', 'integer', autoIncrementKey(db))
    .addColumn('position_id', 'integer', (col) => col.notNull().references('positions.id').onDelete('cascade'))
    // The version and section (0-based) the comment was written on.
    .addColumn('version', 'integer', (col) => col.notNull())
    .addColumn('section', 'integer', (col) => col.notNull())
    .addColumn('author_id', 'text', (col) => col.references('users.id').onDelete('set null'))
    .addColumn('town_id', 'integer', (col) => col.notNull().references('towns.id').onDelete('cascade'))
    .addColumn('body', 'text', (col) => col.notNull())
    .addColumn('created_at', 'bigint', (col) => col.notNull())
    .execute();
  await db.schema.createIndex('position_comments_position').on('position_comments').columns(['position_id', 'id']).execute();

  await db.schema
    .createTable('position_stances')
    .addColumn('id', 'integer', autoIncrementKey(db))
    .addColumn('position_id', 'integer', (col) => col.notNull().references('positions.id').onDelete('cascade'))
    .addColumn('town_id', 'integer', (col) => col.notNull().references('towns.id').onDelete('cascade'))
    // support | support_with_changes | oppose | abstain
    .addColumn('stance', 'text', (col) => col.notNull().check(sql`stance in ('support', 'support_with_changes', 'oppose', 'abstain')`))
    .addColumn('reason', 'text')
    // The version the town read when it last recorded its stance.
    .addColumn('version', 'integer', (col) => col.notNull())
    .addColumn('recorded_by', 'text', (col) => col.references('users.id').onDelete('set null'))
    .addColumn('created_at', 'bigint', (col) => col.notNull())
    .addColumn('updated_at', 'bigint', (col) => col.notNull())
    // One town, one stance: a second administrator changes it rather than adding one.
    .addUniqueConstraint('position_stances_one_per_town', ['position_id', 'town_id'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('position_stances').execute();
  await db.schema.dropTable('position_comments').execute();
  await db.schema.dropTable('position_versions').execute();
  await db.schema.dropTable('positions').execute();
}
