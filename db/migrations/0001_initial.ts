import { sql, type Kysely } from 'kysely';
import { autoIncrementKey } from './dialect.ts';

// Frozen once landed: change the schema with a new migration, never by editing this one.
// Times are whole seconds since the Unix epoch (UTC) in bigint columns.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('towns')
    .addColumn('id', 'integer', autoIncrementKey(db))
    .addColumn('slug', 'text', (col) => col.notNull().unique())
    .addColumn('name_kk', 'text', (col) => col.notNull())
    .addColumn('name_ru', 'text', (col) => col.notNull())
    .addColumn('name_en', 'text', (col) => col.notNull())
    .addColumn('region', 'text', (col) => col.notNull())
    .addColumn('population', 'integer')
    .addColumn('main_industry', 'text')
    .addColumn('founding_enterprise_kk', 'text')
    .addColumn('founding_enterprise_ru', 'text')
    .addColumn('founding_enterprise_en', 'text')
    .addColumn('economic_potential', 'text', (col) => col.check(sqlIn('economic_potential', ['high', 'medium', 'low'])))
    .addColumn('created_at', 'bigint', (col) => col.notNull())
    .addColumn('updated_at', 'bigint', (col) => col.notNull())
    .execute();

  await db.schema
    .createTable('users')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('email', 'text', (col) => col.notNull().unique())
    .addColumn('password_hash', 'text', (col) => col.notNull())
    .addColumn('display_name', 'text', (col) => col.notNull())
    .addColumn('role', 'text', (col) => col.notNull().check(sqlIn('role', ['member', 'town_admin', 'editor', 'admin'])))
    .addColumn('town_id', 'integer', (col) => col.references('towns.id').onDelete('restrict'))
    .addColumn('language', 'text', (col) => col.notNull().defaultTo('kk').check(sqlIn('language', ['kk', 'ru', 'en'])))
    .addColumn('disabled_at', 'bigint')
    .addColumn('created_at', 'bigint', (col) => col.notNull())
    .addColumn('updated_at', 'bigint', (col) => col.notNull())
    .execute();
  await db.schema.createIndex('users_town_id').on('users').column('town_id').execute();

  await db.schema
    .createTable('sessions')
    .addColumn('id_hash', 'text', (col) => col.primaryKey())
    .addColumn('user_id', 'text', (col) => col.notNull().references('users.id').onDelete('cascade'))
    .addColumn('expires_at', 'bigint', (col) => col.notNull())
    .addColumn('created_at', 'bigint', (col) => col.notNull())
    .execute();
  await db.schema.createIndex('sessions_user_id').on('sessions').column('user_id').execute();
  await db.schema.createIndex('sessions_expires_at').on('sessions').column('expires_at').execute();

  await db.schema
    .createTable('rate_limits')
    .addColumn('key', 'text', (col) => col.primaryKey())
    .addColumn('window_start', 'bigint', (col) => col.notNull())
    .addColumn('count', 'integer', (col) => col.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('rate_limits').execute();
  await db.schema.dropTable('sessions').execute();
  await db.schema.dropTable('users').execute();
  await db.schema.dropTable('towns').execute();
}

function sqlIn(column: string, values: string[]) {
  // Values are constants written above, never user input.
  return sql.raw(`${column} in (${values.map((value) => `'${value}'`).join(', ')})`);
}
