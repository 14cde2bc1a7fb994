import { sql, type Kysely } from 'kysely';
import type { Language } from '~/i18n/index.ts';
import type { Database } from '~/server/db/schema.ts';
import { now } from '~/lib/clock.ts';
import { indexDocuments, unindexDocuments, type KnownVocabulary } from './index-writer.ts';

/**
 * What every writer of searchable things gives search: one document per language version.
 * Writers call `saveSearchDocuments` / `removeSearchDocuments` in the same transaction as
 * the change itself (approve a case → its documents; hide a post → remove it), so search
 * is never behind the database and every instance sees the change at once.
 */

/**
 * Who may find a document. The query side turns a reader into the audiences they hold:
 * a visitor holds `public`; any signed-in account `signed_in` too; a member of a town
 * `members` too; a member of group 42 `group:42` too.
 */
export type SearchAudience = 'public' | 'signed_in' | 'members' | `group:${number}`;

export interface SearchDocument {
  /** Unique and stable: `<source>:<id>:<lang>`. */
  key: string;
  /** The writer that owns it (`content`, `towns`, `groups`, `exchange`, …). */
  source: string;
  /** What it is: a section id shown as the result's label and used by the section filter. */
  section: string;
  /** The language the text is written in. */
  lang: Language;
  /** The address without the language prefix, starting and ending with `/`: results open it in the reader's language. */
  path: string;
  title: string;
  summary?: string;
  /** Plain text, no markup. */
  body?: string;
  topics?: readonly string[];
  audience: SearchAudience;
  /** Seconds; shown on the result and used to break ties. */
  publishedAt?: number | null;
}

/** Runs `work` in the caller's transaction, or in one of its own (the documents and their index change together). */
function inTransaction(db: Kysely<Database>, work: (trx: Kysely<Database>) => Promise<void>): Promise<void> {
  return db.isTransaction ? work(db) : db.transaction().execute(work);
}

/**
 * Adds or replaces documents by key, and their terms in the search index. `updatedAt`
 * (default: now) is for search's full pass, which marks what it writes as written in it.
 */
export async function saveSearchDocuments(db: Kysely<Database>, documents: readonly SearchDocument[], options: { updatedAt?: number; vocabulary?: KnownVocabulary } = {}): Promise<void> {
  if (documents.length === 0) return;
  await inTransaction(db, (trx) => writeDocuments(trx, documents, options.updatedAt ?? now(), options.vocabulary));
}

async function writeDocuments(db: Kysely<Database>, documents: readonly SearchDocument[], updatedAt: number, vocabulary: KnownVocabulary | undefined): Promise<void> {
  const rows = documents.map((document) => ({
    key: document.key,
    source: document.source,
    section: document.section,
    lang: document.lang,
    path: document.path,
    title: document.title,
    summary: document.summary ?? '',
    body: document.body ?? '',
    topics: (document.topics ?? []).join(' '),
    audience: document.audience,
    published_at: document.publishedAt ?? null,
    updated_at: updatedAt,
  }));
  // A document given twice keeps its last version (one statement may not touch a row twice).
  const unique = [...new Map(rows.map((row) => [row.key, row])).values()];
  for (let start = 0; start < unique.length; start += 100) {
    await db
      .insertInto('search_documents')
      .values(unique.slice(start, start + 100))
      .onConflict((conflict) =>
        conflict.column('key').doUpdateSet((eb) => ({
          source: eb.ref('excluded.source'),
          section: eb.ref('excluded.section'),
          lang: eb.ref('excluded.lang'),
          path: eb.ref('excluded.path'),
          title: eb.ref('excluded.title'),
          summary: eb.ref('excluded.summary'),
          body: eb.ref('excluded.body'),
          topics: eb.ref('excluded.topics'),
          audience: eb.ref('excluded.audience'),
          published_at: eb.ref('excluded.published_at'),
          updated_at: eb.ref('excluded.updated_at'),
        })),
      )
      .execute();
  }
  await indexDocuments(
    db,
    [...new Map(documents.map((document) => [document.key, document])).values()].map((document) => ({
      key: document.key,
      section: document.section,
      lang: document.lang,
      audience: document.audience,
      title: document.title,
      summary: document.summary ?? '',
      body: document.body ?? '',
      publishedAt: document.publishedAt ?? null,
    })),
    vocabulary,
  );
}

/** Removes documents by exact key, or every document whose key starts with a prefix (`threads:42:`). */
export async function removeSearchDocuments(db: Kysely<Database>, keys: readonly string[], options: { prefix?: boolean } = {}): Promise<void> {
  if (keys.length === 0) return;
  await inTransaction(db, async (trx) => {
    if (options.prefix) {
      for (const prefix of keys) await trx.deleteFrom('search_documents').where(sql<string>`substr(key, 1, ${prefix.length})`, '=', prefix).execute();
    } else {
      await trx.deleteFrom('search_documents').where('key', 'in', keys).execute();
    }
    await unindexDocuments(trx, keys, options);
  });
}
