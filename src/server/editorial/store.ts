import type { Kysely, Selectable } from 'kysely';
import { LANGUAGES, type Language } from '~/i18n/index.ts';
import type { EditorialCollection } from '~/lib/editorial/frontmatter.ts';
import type { Database, EditorialItemTable, EditorialState } from '~/server/db/schema.ts';

/** Reading portal items for the editorial workspace. */

export type EditorialItemRow = Selectable<EditorialItemTable>;

/** One language version's working copy. */
export interface EditorialText {
  lang: Language;
  data: Record<string, unknown>;
  body: string;
  revision: number;
  /** For a translation: the source's revision it was written against. */
  sourceRevision: number | null;
  updatedAt: number;
  updatedBy: string | null;
}

/** An item with its working copies and what is public. */
export interface EditorialItem {
  id: number;
  collection: EditorialCollection;
  slug: string;
  sourceLang: Language;
  state: EditorialState;
  version: number;
  isPublic: boolean;
  publishAt: number | null;
  publishedAt: number | null;
  withdrawnAt: number | null;
  withdrawnReason: string | null;
  createdBy: string | null;
  updatedAt: number;
  texts: Partial<Record<Language, EditorialText>>;
  /** The languages with a published copy, and the revision each publishes. */
  published: Partial<Record<Language, number>>;
}

/** Whether a translation is behind its source: the source was saved again after it. */
export function isOutOfDate(item: Pick<EditorialItem, 'sourceLang' | 'texts'>, lang: Language): boolean {
  const text = item.texts[lang];
  const source = item.texts[item.sourceLang];
  if (!text || !source || lang === item.sourceLang) return false;
  return (text.sourceRevision ?? 0) < source.revision;
}

function toItem(row: EditorialItemRow): EditorialItem {
  return {
    id: row.id,
    collection: row.collection,
    slug: row.slug,
    sourceLang: row.source_lang,
    state: row.state,
    version: Number(row.version),
    isPublic: Number(row.is_public) === 1,
    publishAt: row.publish_at === null ? null : Number(row.publish_at),
    publishedAt: row.published_at === null ? null : Number(row.published_at),
    withdrawnAt: row.withdrawn_at === null ? null : Number(row.withdrawn_at),
    withdrawnReason: row.withdrawn_reason,
    createdBy: row.created_by,
    updatedAt: Number(row.updated_at),
    texts: {},
    published: {},
  };
}

async function withTexts(db: Kysely<Database>, items: EditorialItem[]): Promise<EditorialItem[]> {
  if (items.length === 0) return items;
  const byId = new Map(items.map((item) => [item.id, item]));
  const ids = [...byId.keys()];
  for (let start = 0; start < ids.length; start += 500) {
    const chunk = ids.slice(start, start + 500);
    const texts = await db.selectFrom('editorial_texts').selectAll().where('item_id', 'in', chunk).execute();
    for (const text of texts) {
      byId.get(text.item_id)!.texts[text.lang] = {
        lang: text.lang,
        data: JSON.parse(text.data) as Record<string, unknown>,
        body: text.body,
        revision: Number(text.revision),
        sourceRevision: text.source_revision === null ? null : Number(text.source_revision),
        updatedAt: Number(text.updated_at),
        updatedBy: text.updated_by,
      };
    }
    const published = await db.selectFrom('editorial_published').select(['item_id', 'lang', 'revision']).where('item_id', 'in', chunk).execute();
    for (const row of published) byId.get(row.item_id)!.published[row.lang as Language] = Number(row.revision);
  }
  return items;
}

/** One item with its texts, or undefined. */
export async function findEditorialItem(db: Kysely<Database>, id: number): Promise<EditorialItem | undefined> {
  const row = await db.selectFrom('editorial_items').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? (await withTexts(db, [toItem(row)]))[0] : undefined;
}

/** The item with this slug (any state), without texts: for a withdrawn item's 410. */
export async function findEditorialSlug(db: Kysely<Database>, slug: string): Promise<EditorialItemRow | undefined> {
  return db.selectFrom('editorial_items').selectAll().where('slug', '=', slug).executeTakeFirst();
}

/** What the workspace lists, newest change first, optionally of one state or collection. */
export async function listEditorialItems(
  db: Kysely<Database>,
  filter: { state?: EditorialState | undefined; collection?: EditorialCollection | undefined; limit?: number } = {},
): Promise<EditorialItem[]> {
  let query = db.selectFrom('editorial_items').selectAll().orderBy('updated_at', 'desc').orderBy('id', 'desc');
  if (filter.state) query = query.where('state', '=', filter.state);
  if (filter.collection) query = query.where('collection', '=', filter.collection);
  const rows = await query.limit(filter.limit ?? 200).execute();
  return withTexts(db, rows.map(toItem));
}

/** How many items are in each state. */
export async function editorialStateCounts(db: Kysely<Database>): Promise<Record<EditorialState, number>> {
  const rows = await db.selectFrom('editorial_items').select(['state']).select((eb) => eb.fn.countAll<number>().as('count')).groupBy('state').execute();
  const counts: Record<EditorialState, number> = { draft: 0, submitted: 0, scheduled: 0, published: 0, withdrawn: 0 };
  for (const row of rows) counts[row.state] = Number(row.count);
  return counts;
}

/** One entry of an item's translation queue. */
export interface TranslationNeed {
  item: EditorialItem;
  /** missing: no text in the language yet; outdated: the source changed since. */
  need: 'missing' | 'outdated';
}

/** What needs translating into `lang`: items without that language, or whose translation is behind. Withdrawn items wait for nobody. */
export async function translationQueue(db: Kysely<Database>, lang: Language, limit = 500): Promise<TranslationNeed[]> {
  const rows = await db.selectFrom('editorial_items').selectAll().where('state', '!=', 'withdrawn').orderBy('updated_at', 'desc').limit(limit).execute();
  const items = await withTexts(db, rows.map(toItem));
  return items.flatMap((item): TranslationNeed[] => {
    if (item.sourceLang === lang) return [];
    if (!item.texts[lang]) return [{ item, need: 'missing' }];
    return isOutOfDate(item, lang) ? [{ item, need: 'outdated' }] : [];
  });
}

/** One entry of an item's history. */
export interface EditorialEvent {
  id: number;
  action: string;
  lang: Language | null;
  revision: number | null;
  detail: string | null;
  at: number;
  actorName: string | null;
}

/** Who did what and when, oldest first. */
export async function editorialHistory(db: Kysely<Database>, itemId: number): Promise<EditorialEvent[]> {
  const rows = await db
    .selectFrom('editorial_history')
    .leftJoin('users', 'users.id', 'editorial_history.actor_id')
    .select(['editorial_history.id', 'action', 'lang', 'revision', 'detail', 'at', 'users.display_name as actorName'])
    .where('item_id', '=', itemId)
    .orderBy('editorial_history.id')
    .execute();
  return rows.map((row) => ({ ...row, id: Number(row.id), lang: row.lang as Language | null, revision: row.revision === null ? null : Number(row.revision), at: Number(row.at) }));
}

/** One saved version of one language. */
export interface EditorialRevision {
  lang: Language;
  revision: number;
  data: Record<string, unknown>;
  body: string;
  savedAt: number;
  savedBy: string | null;
}

/** Every saved version of one language, oldest first. */
export async function editorialRevisions(db: Kysely<Database>, itemId: number, lang: Language): Promise<EditorialRevision[]> {
  const rows = await db
    .selectFrom('editorial_revisions')
    .leftJoin('users', 'users.id', 'editorial_revisions.saved_by')
    .select(['lang', 'revision', 'data', 'body', 'saved_at', 'users.display_name as savedBy'])
    .where('item_id', '=', itemId)
    .where('lang', '=', lang)
    .orderBy('revision')
    .execute();
  return rows.map((row) => ({ lang: row.lang, revision: Number(row.revision), data: JSON.parse(row.data) as Record<string, unknown>, body: row.body, savedAt: Number(row.saved_at), savedBy: row.savedBy }));
}

/** The languages in the portal's order that an item has a working copy in. */
export function textLanguages(item: Pick<EditorialItem, 'texts'>): Language[] {
  return LANGUAGES.filter((lang) => item.texts[lang]);
}

/** The languages of the association's pages whose portal version is public, by slug (search leaves out the files' documents for them). */
export async function publicPageLanguages(db: Kysely<Database>): Promise<Array<{ slug: string; lang: Language }>> {
  const rows = await db
    .selectFrom('editorial_published')
    .innerJoin('editorial_items', 'editorial_items.id', 'editorial_published.item_id')
    .select(['slug', 'lang'])
    .where('collection', '=', 'pages')
    .where('is_public', '=', 1)
    .execute();
  return rows.map((row) => ({ slug: row.slug, lang: row.lang as Language }));
}
