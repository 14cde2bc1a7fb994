import type { Kysely } from 'kysely';
import { autoIncrementKey } from './dialect.ts';

// Frozen once landed. Town profile editing (issue 17): the year a population figure is
// for, a postal address, which languages' names the town has given, and the history of
// every change to a profile (who, when, which fields from what to what).

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('towns').addColumn('population_year', 'integer').execute();
  await db.schema.alterTable('towns').addColumn('contact_address', 'text').execute();
  // Comma-separated languages (kk,ru,en) whose names were given in the edit form; null
  // until the first edit, when a name counts as given if it is written in its language's
  // script (so an approved "Baikonur" has an English name only). See src/server/towns/profile.ts.
  await db.schema.alterTable('towns').addColumn('given_names', 'text').execute();

  await db.schema
    .createTable('town_profile_changes')
    .addColumn('id', 'integer', autoIncrementKey(db))
    .addColumn('town_id', 'integer', (col) => col.notNull().references('towns.id').onDelete('cascade'))
    .addColumn('actor_id', 'text', (col) => col.references('users.id').onDelete('set null'))
    .addColumn('at', 'bigint', (col) => col.notNull())
    // JSON array of { field, before, after }: only the fields that changed.
    .addColumn('changes', 'text', (col) => col.notNull())
    .execute();
  await db.schema.createIndex('town_profile_changes_town').on('town_profile_changes').columns(['town_id', 'at']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('town_profile_changes').execute();
  for (const column of ['given_names', 'contact_address', 'population_year']) {
    await db.schema.alterTable('towns').dropColumn(column).execute();
  }
}
