import { sql, type Kysely } from 'kysely';

// Frozen once landed. The expertise exchange: towns' requests for help, other towns'
// responses, invitations to answer, topic watches, the history of every state change,
// and the derived tables the matching reads (expertise by topic, accepted answers).

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('help_requests')
    .addColumn('id', 'integer', (col) => col.primaryKey().autoIncrement())
    .addColumn('town_id', 'integer', (col) => col.notNull().references('towns.id'))
    .addColumn('author_id', 'text', (col) => col.notNull().references('users.id'))
    .addColumn('title', 'text', (col) => col.notNull())
    .addColumn('body', 'text', (col) => col.notNull())
    /** JSON array of help forms (advice, call, expert_visit, study_visit, workshop). */
    .addColumn('help_forms', 'text', (col) => col.notNull())
    /** JSON array of topic ids; mirrored in help_request_topics for filtering. */
    .addColumn('topics', 'text', (col) => col.notNull())
    /** JSON array of language codes the town can work in. */
    .addColumn('languages', 'text', (col) => col.notNull())
    .addColumn('urgency', 'text', (col) => col.notNull())
    /** ISO date (YYYY-MM-DD), Asia/Almaty calendar. */
    .addColumn('deadline', 'text')
    .addColumn('status', 'text', (col) => col.notNull())
    .addColumn('outcome', 'text')
    .addColumn('hidden_at', 'bigint')
    .addColumn('hidden_reason', 'text')
    .addColumn('published_at', 'bigint')
    .addColumn('resolved_at', 'bigint')
    .addColumn('created_at', 'bigint', (col) => col.notNull())
    .addColumn('updated_at', 'bigint', (col) => col.notNull())
    .execute();
  // The list walks published requests newest first, optionally within one status or town.
  // The two walking indexes also carry the columns the list filters on, so a filter
  // (region, language, hidden) is checked in the index without reading the row.
  await db.schema.createIndex('help_requests_published').on('help_requests').columns(['published_at', 'status', 'hidden_at', 'town_id', 'languages']).execute();
  await db.schema.createIndex('help_requests_status').on('help_requests').columns(['status', 'published_at', 'hidden_at', 'town_id', 'languages']).execute();
  await db.schema.createIndex('help_requests_town').on('help_requests').columns(['town_id', 'published_at']).execute();
  await db.schema.createIndex('help_requests_author').on('help_requests').columns(['author_id']).execute();

  await db.schema
    .createTable('help_request_topics')
    .addColumn('request_id', 'integer', (col) => col.notNull().references('help_requests.id').onDelete('cascade'))
    .addColumn('topic', 'text', (col) => col.notNull())
    // The request's publication time, copied here so a topic's list walks one index in order.
    .addColumn('published_at', 'bigint')
    .addPrimaryKeyConstraint('help_request_topics_pk', ['request_id', 'topic'])
    .execute();
  await db.schema.createIndex('help_request_topics_topic').on('help_request_topics').columns(['topic', 'published_at', 'request_id']).execute();

  await db.schema
    .createTable('help_responses')
    .addColumn('id', 'integer', (col) => col.primaryKey().autoIncrement())
    .addColumn('request_id', 'integer', (col) => col.notNull().references('help_requests.id').onDelete('cascade'))
    .addColumn('author_id', 'text', (col) => col.notNull().references('users.id'))
    .addColumn('town_id', 'integer', (col) => col.notNull().references('towns.id'))
    .addColumn('body', 'text', (col) => col.notNull())
    /** JSON array of http(s) URLs the responder attached. */
    .addColumn('links', 'text', (col) => col.notNull().defaultTo('[]'))
    .addColumn('accepted_at', 'bigint')
    .addColumn('withdrawn_at', 'bigint')
    .addColumn('hidden_at', 'bigint')
    .addColumn('hidden_reason', 'text')
    .addColumn('created_at', 'bigint', (col) => col.notNull())
    .addColumn('updated_at', 'bigint', (col) => col.notNull())
    .execute();
  await db.schema.createIndex('help_responses_request').on('help_responses').columns(['request_id', 'created_at']).execute();
  await db.schema.createIndex('help_responses_author').on('help_responses').columns(['author_id', 'created_at']).execute();

  await db.schema
    .createTable('help_request_invitations')
    .addColumn('request_id', 'integer', (col) => col.notNull().references('help_requests.id').onDelete('cascade'))
    .addColumn('user_id', 'text', (col) => col.notNull().references('users.id').onDelete('cascade'))
    .addColumn('invited_by', 'text', (col) => col.notNull().references('users.id'))
    .addColumn('created_at', 'bigint', (col) => col.notNull())
    .addPrimaryKeyConstraint('help_request_invitations_pk', ['request_id', 'user_id'])
    .execute();

  await db.schema
    .createTable('help_request_events')
    .addColumn('id', 'integer', (col) => col.primaryKey().autoIncrement())
    .addColumn('request_id', 'integer', (col) => col.notNull().references('help_requests.id').onDelete('cascade'))
    .addColumn('response_id', 'integer', (col) => col.references('help_responses.id').onDelete('cascade'))
    .addColumn('actor_id', 'text', (col) => col.notNull().references('users.id'))
    .addColumn('action', 'text', (col) => col.notNull())
    .addColumn('note', 'text')
    .addColumn('created_at', 'bigint', (col) => col.notNull())
    .execute();
  await db.schema.createIndex('help_request_events_request').on('help_request_events').columns(['request_id', 'id']).execute();

  await db.schema
    .createTable('topic_watches')
    .addColumn('user_id', 'text', (col) => col.notNull().references('users.id').onDelete('cascade'))
    .addColumn('topic', 'text', (col) => col.notNull())
    .addPrimaryKeyConstraint('topic_watches_pk', ['topic', 'user_id'])
    .execute();

  // How many answers each member has had accepted, per topic of the request: the
  // matching's "track record", kept up to date when a response is accepted.
  await db.schema
    .createTable('help_accepted_counts')
    .addColumn('topic', 'text', (col) => col.notNull())
    .addColumn('user_id', 'text', (col) => col.notNull().references('users.id').onDelete('cascade'))
    .addColumn('accepted', 'integer', (col) => col.notNull())
    .addPrimaryKeyConstraint('help_accepted_counts_pk', ['topic', 'user_id'])
    .execute();

  // The matching's last answer for a request, so the request page reads it instead of
  // scoring every member on every view (see src/server/exchange/suggestions.ts).
  await db.schema
    .createTable('help_request_suggestions')
    .addColumn('request_id', 'integer', (col) => col.primaryKey().references('help_requests.id').onDelete('cascade'))
    .addColumn('people', 'text', (col) => col.notNull())
    .addColumn('towns', 'text', (col) => col.notNull())
    .addColumn('computed_at', 'bigint', (col) => col.notNull())
    .execute();

  // Members' declared expertise by topic. The profile's JSON column stays the one
  // source of truth; these triggers keep the index beside it, so no code path can
  // forget to.
  await db.schema
    .createTable('user_expertise_topics')
    .addColumn('topic', 'text', (col) => col.notNull())
    .addColumn('user_id', 'text', (col) => col.notNull().references('users.id').onDelete('cascade'))
    .addPrimaryKeyConstraint('user_expertise_topics_pk', ['topic', 'user_id'])
    .execute();
  const fill = (row: string) => sql.raw(`
    INSERT OR IGNORE INTO user_expertise_topics (topic, user_id)
      SELECT value, ${row}.id FROM json_each(CASE WHEN json_valid(${row}.expertise_topics) THEN ${row}.expertise_topics ELSE '[]' END)
      WHERE type = 'text';`);
  await sql`CREATE TRIGGER users_expertise_insert AFTER INSERT ON users BEGIN ${fill('NEW')} END`.execute(db);
  await sql`CREATE TRIGGER users_expertise_update AFTER UPDATE OF expertise_topics ON users BEGIN
    DELETE FROM user_expertise_topics WHERE user_id = NEW.id; ${fill('NEW')} END`.execute(db);
  await sql`INSERT OR IGNORE INTO user_expertise_topics (topic, user_id)
    SELECT j.value, users.id FROM users, json_each(CASE WHEN json_valid(users.expertise_topics) THEN users.expertise_topics ELSE '[]' END) AS j
    WHERE j.type = 'text'`.execute(db);

  // Full-text search over titles and bodies; external content, kept by triggers.
  await sql`CREATE VIRTUAL TABLE help_requests_search USING fts5(title, body, content='help_requests', content_rowid='id', tokenize='unicode61 remove_diacritics 2')`.execute(db);
  await sql`CREATE TRIGGER help_requests_search_insert AFTER INSERT ON help_requests BEGIN
    INSERT INTO help_requests_search(rowid, title, body) VALUES (NEW.id, NEW.title, NEW.body); END`.execute(db);
  await sql`CREATE TRIGGER help_requests_search_delete AFTER DELETE ON help_requests BEGIN
    INSERT INTO help_requests_search(help_requests_search, rowid, title, body) VALUES ('delete', OLD.id, OLD.title, OLD.body); END`.execute(db);
  await sql`CREATE TRIGGER help_requests_search_update AFTER UPDATE OF title, body ON help_requests BEGIN
    INSERT INTO help_requests_search(help_requests_search, rowid, title, body) VALUES ('delete', OLD.id, OLD.title, OLD.body);
    INSERT INTO help_requests_search(rowid, title, body) VALUES (NEW.id, NEW.title, NEW.body); END`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const trigger of ['users_expertise_insert', 'users_expertise_update', 'help_requests_search_insert', 'help_requests_search_delete', 'help_requests_search_update']) {
    await sql.raw(`DROP TRIGGER IF EXISTS ${trigger}`).execute(db);
  }
  await sql`DROP TABLE IF EXISTS help_requests_search`.execute(db);
  for (const table of ['help_request_suggestions', 'user_expertise_topics', 'help_accepted_counts', 'topic_watches', 'help_request_events', 'help_request_invitations', 'help_responses', 'help_request_topics', 'help_requests']) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
