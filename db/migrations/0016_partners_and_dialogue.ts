import { sql, type Kysely } from 'kysely';
import { autoIncrementKey, onEngine, widenSqliteCheck, withoutRowid } from './dialect.ts';

// Frozen once landed. Partners and the dialogue space (issue 19): organisations that are
// not towns apply and, once approved, hold accounts with the role `partner`; topics that
// towns, partners and the association open and answer, moderated by editors, with their
// history, the towns and partners named on them, and who follows them.

const PARTNER_KINDS = ['company', 'business_association', 'investor', 'development_agency', 'government'];
const TOPIC_KINDS = ['proposal', 'question', 'problem', 'offer'];
const TOPIC_STATUSES = ['open', 'under_discussion', 'agreed', 'declined', 'closed'];

export async function up(db: Kysely<any>): Promise<void> {
  // The role check of 0001 lists the roles; `partner` joins whatever it holds now (another
  // migration may have added a role too), on SQLite by rewriting the table's definition.
  await onEngine(db, {
    sqlite: () => widenSqliteCheck(db, 'users', 'role', ['partner']),
    postgres: () => widenPostgresRoleCheck(db, ['partner']),
  });

  // A partner organisation: its application and, once approved, the partner itself.
  await db.schema
    .createTable('partners')
    .addColumn('id', 'integer', autoIncrementKey(db))
    .addColumn('name', 'text', (col) => col.notNull())
    .addColumn('kind', 'text', (col) => col.notNull().check(sqlIn('kind', PARTNER_KINDS)))
    // BIN or another registration number, as the applicant wrote it.
    .addColumn('registration_number', 'text', (col) => col.notNull())
    .addColumn('sector', 'text', (col) => col.notNull())
    // JSON array of region ids from content/taxonomies/regions.json.
    .addColumn('regions', 'text', (col) => col.notNull())
    .addColumn('contact_name', 'text', (col) => col.notNull())
    .addColumn('email', 'text', (col) => col.notNull())
    .addColumn('phone', 'text', (col) => col.notNull())
    .addColumn('motivation', 'text', (col) => col.notNull())
    .addColumn('language', 'text', (col) => col.notNull().check(sqlIn('language', ['kk', 'ru', 'en'])))
    .addColumn('status', 'text', (col) => col.notNull().check(sqlIn('status', ['pending', 'approved', 'rejected'])))
    .addColumn('decision_reason', 'text')
    // The editor's id without a foreign key: users.partner_id points here, and a cycle of
    // references leaves copy-database no order in which to copy the two tables.
    .addColumn('decided_by', 'text')
    .addColumn('decided_at', 'bigint')
    .addColumn('created_at', 'bigint', (col) => col.notNull())
    .execute();
  // One pending application per email, as for towns.
  await db.schema.createIndex('partners_pending_email').on('partners').column('email').unique().where(sql.ref('status'), '=', 'pending').execute();
  await db.schema.createIndex('partners_status').on('partners').columns(['status', 'created_at']).execute();

  await db.schema.alterTable('users').addColumn('partner_id', 'integer', (col) => col.references('partners.id')).execute();
  await db.schema.createIndex('users_partner').on('users').column('partner_id').execute();

  await db.schema
    .createTable('dialogue_topics')
    .addColumn('id', 'integer', autoIncrementKey(db))
    .addColumn('title', 'text', (col) => col.notNull())
    .addColumn('body', 'text', (col) => col.notNull())
    .addColumn('kind', 'text', (col) => col.notNull().check(sqlIn('kind', TOPIC_KINDS)))
    // The language the topic is written in (its author's page language).
    .addColumn('language', 'text', (col) => col.notNull().check(sqlIn('language', ['kk', 'ru', 'en'])))
    // JSON arrays of topic ids and region ids.
    .addColumn('topics', 'text', (col) => col.notNull())
    .addColumn('regions', 'text', (col) => col.notNull())
    .addColumn('author_id', 'text', (col) => col.notNull().references('users.id'))
    // Who opened it: a town, a partner, or (both null) the association.
    .addColumn('town_id', 'integer', (col) => col.references('towns.id'))
    .addColumn('partner_id', 'integer', (col) => col.references('partners.id'))
    .addColumn('status', 'text', (col) => col.notNull().check(sqlIn('status', TOPIC_STATUSES)))
    .addColumn('outcome', 'text')
    // 1: the public reads it too; 0: signed-in accounts only.
    .addColumn('public', 'integer', (col) => col.notNull().defaultTo(0).check(sql`public in (0, 1)`))
    // Null while an editor has not approved it (a partner's first topic); nobody but its side and editors sees it.
    .addColumn('approved_at', 'bigint')
    .addColumn('created_at', 'bigint', (col) => col.notNull())
    .addColumn('updated_at', 'bigint', (col) => col.notNull())
    .execute();
  await db.schema.createIndex('dialogue_topics_activity').on('dialogue_topics').columns(['approved_at', 'updated_at', 'id']).execute();

  // The towns and partners a topic names: they are asked to answer.
  await db.schema
    .createTable('dialogue_topic_towns')
    .addColumn('topic_id', 'integer', (col) => col.notNull().references('dialogue_topics.id').onDelete('cascade'))
    .addColumn('town_id', 'integer', (col) => col.notNull().references('towns.id'))
    .addPrimaryKeyConstraint('dialogue_topic_towns_pk', ['topic_id', 'town_id'])
    .modifyEnd(withoutRowid(db))
    .execute();
  await db.schema
    .createTable('dialogue_topic_partners')
    .addColumn('topic_id', 'integer', (col) => col.notNull().references('dialogue_topics.id').onDelete('cascade'))
    .addColumn('partner_id', 'integer', (col) => col.notNull().references('partners.id'))
    .addPrimaryKeyConstraint('dialogue_topic_partners_pk', ['topic_id', 'partner_id'])
    .modifyEnd(withoutRowid(db))
    .execute();

  await db.schema
    .createTable('dialogue_posts')
    .addColumn('id', 'integer', autoIncrementKey(db))
    .addColumn('topic_id', 'integer', (col) => col.notNull().references('dialogue_topics.id').onDelete('cascade'))
    .addColumn('author_id', 'text', (col) => col.notNull().references('users.id'))
    .addColumn('body', 'text', (col) => col.notNull())
    .addColumn('created_at', 'bigint', (col) => col.notNull())
    .addColumn('hidden_at', 'bigint')
    .addColumn('hidden_by', 'text', (col) => col.references('users.id'))
    // A community rule id (src/lib/community-rules.ts) and the moderator's words.
    .addColumn('hidden_rule', 'text')
    .addColumn('hidden_reason', 'text')
    .execute();
  await db.schema.createIndex('dialogue_posts_topic').on('dialogue_posts').columns(['topic_id', 'id']).execute();

  // What happened to a topic, as a kind and parameters, rendered in the viewer's language.
  await db.schema
    .createTable('dialogue_events')
    .addColumn('id', 'integer', autoIncrementKey(db))
    .addColumn('topic_id', 'integer', (col) => col.notNull().references('dialogue_topics.id').onDelete('cascade'))
    .addColumn('actor_id', 'text', (col) => col.references('users.id'))
    .addColumn('kind', 'text', (col) => col.notNull())
    .addColumn('params', 'text', (col) => col.notNull())
    .addColumn('created_at', 'bigint', (col) => col.notNull())
    .execute();
  await db.schema.createIndex('dialogue_events_topic').on('dialogue_events').columns(['topic_id', 'id']).execute();

  await db.schema
    .createTable('dialogue_follows')
    .addColumn('topic_id', 'integer', (col) => col.notNull().references('dialogue_topics.id').onDelete('cascade'))
    .addColumn('user_id', 'text', (col) => col.notNull().references('users.id').onDelete('cascade'))
    .addPrimaryKeyConstraint('dialogue_follows_pk', ['topic_id', 'user_id'])
    .modifyEnd(withoutRowid(db))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('dialogue_follows').execute();
  await db.schema.dropTable('dialogue_events').execute();
  await db.schema.dropTable('dialogue_posts').execute();
  await db.schema.dropTable('dialogue_topic_partners').execute();
  await db.schema.dropTable('dialogue_topic_towns').execute();
  await db.schema.dropTable('dialogue_topics').execute();
  await db.schema.dropIndex('users_partner').execute();
  await db.schema.alterTable('users').dropColumn('partner_id').execute();
  await db.schema.dropTable('partners').execute();
  // The role check keeps `partner` on the way down: narrowing it would refuse existing rows.
}

async function widenPostgresRoleCheck(db: Kysely<any>, roles: string[]): Promise<void> {
  const row = await sql<{ definition: string }>`select pg_get_constraintdef(oid) as definition from pg_constraint where conname = 'users_role_check'`.execute(db);
  const current = [...(row.rows[0]?.definition ?? '').matchAll(/'([a-z_]+)'/g)].map((match) => match[1]!);
  const widened = [...new Set([...current, ...roles])];
  await sql.raw('alter table users drop constraint if exists users_role_check').execute(db);
  await sql.raw(`alter table users add constraint users_role_check check (role in (${widened.map((role) => `'${role}'`).join(', ')}))`).execute(db);
}

function sqlIn(column: string, values: string[]) {
  // Values are constants written above, never user input.
  return sql.raw(`${column} in (${values.map((value) => `'${value}'`).join(', ')})`);
}
