import { sql, type Kysely } from 'kysely';
import { autoIncrementKey } from './dialect.ts';

// Frozen once landed. Town profiles (description in three languages, contacts) and
// indicator values: one row per town, indicator and year, with every change kept in
// indicator_value_history. A value with published_at null is seen by members only.

export async function up(db: Kysely<any>): Promise<void> {
  for (const column of ['description_kk', 'description_ru', 'description_en', 'contact_email', 'contact_phone', 'contact_website']) {
    await db.schema.alterTable('towns').addColumn(column, 'text').execute();
  }

  await db.schema
    .createTable('indicator_values')
    .addColumn('id', 'integer', autoIncrementKey(db))
    .addColumn('town_id', 'integer', (col) => col.notNull().references('towns.id').onDelete('cascade'))
    .addColumn('indicator', 'text', (col) => col.notNull())
    .addColumn('period', 'integer', (col) => col.notNull())
    .addColumn('value', 'real', (col) => col.notNull())
    .addColumn('source_note', 'text', (col) => col.notNull())
    .addColumn('illustrative', 'integer', (col) => col.notNull().defaultTo(0).check(sql`illustrative in (0, 1)`))
    .addColumn('published_at', 'bigint')
    .addColumn('created_by', 'text', (col) => col.references('users.id').onDelete('set null'))
    .addColumn('created_at', 'bigint', (col) => col.notNull())
    .addColumn('updated_by', 'text', (col) => col.references('users.id').onDelete('set null'))
    .addColumn('updated_at', 'bigint', (col) => col.notNull())
    .addUniqueConstraint('indicator_values_one_per_period', ['town_id', 'indicator', 'period'])
    .execute();
  // Peer ranking and per-indicator downloads read by indicator and period.
  await db.schema.createIndex('indicator_values_indicator_period').on('indicator_values').columns(['indicator', 'period']).execute();

  await db.schema
    .createTable('indicator_value_history')
    .addColumn('id', 'integer', autoIncrementKey(db))
    .addColumn('value_id', 'integer', (col) => col.notNull().references('indicator_values.id').onDelete('cascade'))
    .addColumn('town_id', 'integer', (col) => col.notNull().references('towns.id').onDelete('cascade'))
    .addColumn('change', 'text', (col) => col.notNull().check(sql`change in ('added', 'corrected', 'published')`))
    .addColumn('old_value', 'real')
    .addColumn('new_value', 'real', (col) => col.notNull())
    .addColumn('old_source_note', 'text')
    .addColumn('source_note', 'text', (col) => col.notNull())
    .addColumn('actor_id', 'text', (col) => col.references('users.id').onDelete('set null'))
    .addColumn('at', 'bigint', (col) => col.notNull())
    .execute();
  await db.schema.createIndex('indicator_value_history_town').on('indicator_value_history').columns(['town_id', 'at']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('indicator_value_history').execute();
  await db.schema.dropTable('indicator_values').execute();
  for (const column of ['contact_website', 'contact_phone', 'contact_email', 'description_en', 'description_ru', 'description_kk']) {
    await db.schema.alterTable('towns').dropColumn(column).execute();
  }
}
