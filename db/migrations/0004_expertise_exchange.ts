import { sql, type Kysely } from 'kysely';
import { autoIncrementKey, createPostgresTrigger, dropPostgresTrigger, onEngine, withoutRowid } from './dialect.ts';

// Frozen once landed. The expertise exchange: towns' requests for help, other towns'
// responses, invitations to answer, topic watches, the history of every state change,
// the matching's index and its stored answers, and full-text search.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('help_requests')
    .addColumn('id', 'integer', autoIncrementKey(db))
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
    .addColumn('id', 'integer', autoIncrementKey(db))
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
    .addColumn('id', 'integer', autoIncrementKey(db))
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

  // The matching's last answer for a request, so the request page reads it instead of
  // scoring every member on every view (see src/server/exchange/suggestions.ts).
  await db.schema
    .createTable('help_request_suggestions')
    .addColumn('request_id', 'integer', (col) => col.primaryKey().references('help_requests.id').onDelete('cascade'))
    .addColumn('people', 'text', (col) => col.notNull())
    .addColumn('towns', 'text', (col) => col.notNull())
    .addColumn('computed_at', 'bigint', (col) => col.notNull())
    .execute();

  // The matching's index: one row per member and topic they declared or have had
  // answers accepted on, carrying everything the score needs (declared, accepted
  // answers, town, languages as a bit mask kk=1 ru=2 en=4), so scoring a request reads
  // one covering index and no member rows. The profile's JSON columns stay the source
  // of truth: triggers keep the index beside them, so no code path can forget to;
  // accepting a response adds to `accepted` (src/server/exchange/responses.ts) and a
  // trigger gives a new row its member's town and languages.
  // A disabled member, or one without a town, has town_id NULL here and is never suggested.
  await sql`CREATE TABLE help_match_index (
    topic TEXT NOT NULL,
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    declared INTEGER NOT NULL DEFAULT 0,
    accepted INTEGER NOT NULL DEFAULT 0,
    town_id INTEGER,
    languages INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (topic, user_id)
  )${withoutRowid(db)}`.execute(db);
  await sql`CREATE INDEX help_match_index_user ON help_match_index (user_id)`.execute(db);
  await onEngine(db, { sqlite: () => matchIndexAndSearchOnSqlite(db), postgres: () => matchIndexAndSearchOnPostgres(db) });
}

// A member's town in the matching's index (none when disabled) and languages as its bit mask.
const town = (row: string) => `CASE WHEN ${row}.disabled_at IS NULL THEN ${row}.town_id END`;
const mask = (row: string) =>
  `((CASE WHEN ${row}.languages_spoken LIKE '%"kk"%' THEN 1 ELSE 0 END) | (CASE WHEN ${row}.languages_spoken LIKE '%"ru"%' THEN 2 ELSE 0 END) | (CASE WHEN ${row}.languages_spoken LIKE '%"en"%' THEN 4 ELSE 0 END))`;

// Triggers keeping help_match_index beside the profiles, and the full-text search.
async function matchIndexAndSearchOnSqlite(db: Kysely<any>): Promise<void> {
  const declare = (row: string) => `
    UPDATE help_match_index SET declared = 0 WHERE user_id = ${row}.id;
    INSERT INTO help_match_index (topic, user_id, declared, accepted, town_id, languages)
      SELECT value, ${row}.id, 1, 0, ${town(row)}, ${mask(row)}
      FROM json_each(CASE WHEN json_valid(${row}.expertise_topics) THEN ${row}.expertise_topics ELSE '[]' END)
      WHERE type = 'text'
      ON CONFLICT (topic, user_id) DO UPDATE SET declared = 1;
    DELETE FROM help_match_index WHERE user_id = ${row}.id AND declared = 0 AND accepted = 0;`;
  await sql.raw(`CREATE TRIGGER users_match_insert AFTER INSERT ON users BEGIN ${declare('NEW')} END`).execute(db);
  await sql.raw(`CREATE TRIGGER users_match_expertise AFTER UPDATE OF expertise_topics ON users BEGIN ${declare('NEW')} END`).execute(db);
  await sql.raw(`CREATE TRIGGER users_match_member AFTER UPDATE OF town_id, languages_spoken, disabled_at ON users BEGIN
    UPDATE help_match_index SET town_id = ${town('NEW')}, languages = ${mask('NEW')} WHERE user_id = NEW.id; END`).execute(db);
  // A row added for an accepted answer takes the member's town and languages too.
  await sql.raw(`CREATE TRIGGER help_match_index_member AFTER INSERT ON help_match_index BEGIN
    UPDATE help_match_index SET (town_id, languages) = (SELECT ${town('u')}, ${mask('u')} FROM users AS u WHERE u.id = NEW.user_id)
    WHERE topic = NEW.topic AND user_id = NEW.user_id; END`).execute(db);
  await sql.raw(`INSERT INTO help_match_index (topic, user_id, declared, accepted, town_id, languages)
    SELECT j.value, u.id, 1, 0, ${town('u')}, ${mask('u')}
    FROM users AS u, json_each(CASE WHEN json_valid(u.expertise_topics) THEN u.expertise_topics ELSE '[]' END) AS j
    WHERE j.type = 'text' ON CONFLICT (topic, user_id) DO NOTHING`).execute(db);

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

// The same on PostgreSQL: PL/pgSQL triggers over a helper reading a JSON array's
// strings (what json_each with json_valid does on SQLite), and for search a GIN index
// on the title and body's tsvector ('simple': lower-cased words, no stemming, so kk, ru
// and en are treated alike). src/server/exchange/requests.ts queries that expression.
async function matchIndexAndSearchOnPostgres(db: Kysely<any>): Promise<void> {
  await sql`CREATE FUNCTION qala_json_strings(value text) RETURNS SETOF text LANGUAGE plpgsql IMMUTABLE AS $body$
    DECLARE parsed jsonb;
    BEGIN
      BEGIN
        parsed := value::jsonb;
      EXCEPTION WHEN others THEN
        RETURN;
      END;
      IF jsonb_typeof(parsed) = 'array' THEN
        RETURN QUERY SELECT DISTINCT element #>> '{}' FROM jsonb_array_elements(parsed) AS element WHERE jsonb_typeof(element) = 'string';
      END IF;
    END $body$`.execute(db);
  const declare = `
    UPDATE help_match_index SET declared = 0 WHERE user_id = NEW.id;
    INSERT INTO help_match_index (topic, user_id, declared, accepted, town_id, languages)
      SELECT topic, NEW.id, 1, 0, ${town('NEW')}, ${mask('NEW')} FROM qala_json_strings(NEW.expertise_topics) AS topic
      ON CONFLICT (topic, user_id) DO UPDATE SET declared = 1;
    DELETE FROM help_match_index WHERE user_id = NEW.id AND declared = 0 AND accepted = 0;`;
  await createPostgresTrigger(db, 'users_match_insert', 'AFTER INSERT', 'users', declare);
  await createPostgresTrigger(db, 'users_match_expertise', 'AFTER UPDATE OF expertise_topics', 'users', declare);
  await createPostgresTrigger(db, 'users_match_member', 'AFTER UPDATE OF town_id, languages_spoken, disabled_at', 'users',
    `UPDATE help_match_index SET town_id = ${town('NEW')}, languages = ${mask('NEW')} WHERE user_id = NEW.id;`);
  // A row added for an accepted answer takes the member's town and languages too
  // (before the insert here: the row is written once, already complete).
  await createPostgresTrigger(db, 'help_match_index_member', 'BEFORE INSERT', 'help_match_index',
    `SELECT ${town('u')}, ${mask('u')} INTO NEW.town_id, NEW.languages FROM users AS u WHERE u.id = NEW.user_id; RETURN NEW;`);
  await sql.raw(`INSERT INTO help_match_index (topic, user_id, declared, accepted, town_id, languages)
    SELECT j.topic, u.id, 1, 0, ${town('u')}, ${mask('u')}
    FROM users AS u, qala_json_strings(u.expertise_topics) AS j(topic)
    ON CONFLICT (topic, user_id) DO NOTHING`).execute(db);

  await sql`CREATE INDEX help_requests_search ON help_requests USING gin (to_tsvector('simple', title || ' ' || body))`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await onEngine(db, {
    sqlite: async () => {
      for (const trigger of ['users_match_insert', 'users_match_expertise', 'users_match_member', 'help_match_index_member', 'help_requests_search_insert', 'help_requests_search_delete', 'help_requests_search_update']) {
        await sql.raw(`DROP TRIGGER IF EXISTS ${trigger}`).execute(db);
      }
      await sql`DROP TABLE IF EXISTS help_requests_search`.execute(db);
    },
    postgres: async () => {
      for (const [trigger, table] of [['users_match_insert', 'users'], ['users_match_expertise', 'users'], ['users_match_member', 'users'], ['help_match_index_member', 'help_match_index']]) {
        await dropPostgresTrigger(db, trigger!, table!);
      }
      await sql`DROP FUNCTION IF EXISTS qala_json_strings(text)`.execute(db);
    },
  });
  for (const table of ['help_request_suggestions', 'help_match_index', 'topic_watches', 'help_request_events', 'help_request_invitations', 'help_responses', 'help_request_topics', 'help_requests']) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
