import type { Kysely, Transaction } from 'kysely';
import type { Language } from '~/i18n/index.ts';
import * as clock from '~/lib/clock.ts';
import { SLUG_PATTERN, validateFrontmatter, type EditorialCollection, type Frontmatter, type FrontmatterIssue } from '~/lib/editorial/frontmatter.ts';
import { editorialPublicPath } from '~/lib/editorial/pages.ts';
import { LANGUAGES } from '~/i18n/index.ts';
import type { CurrentUser } from '~/server/auth/lucia.ts';
import { recordChange } from '~/server/cache/changes.ts';
import { isUniqueViolation } from '~/server/db/dialect.ts';
import type { Database, EditorialState } from '~/server/db/schema.ts';
import type { StoredFile } from '~/server/files/files.ts';
import type { PreparedFile } from '~/server/files/inspect.ts';
import { markdownToText } from '~/server/markdown.ts';
import { removeSearchDocuments, saveSearchDocuments, type SearchDocument } from '~/server/search/documents.ts';
import { CONTENT_SOURCE } from '~/server/search/sources/content.ts';
import { documentKey } from '~/server/search/sources/store.ts';
import { mayEditorial, type EditorialAction } from './rules.ts';
import { linkNewEditorialFile, publishEditorialFiles, unlinkEditorialFile, withdrawEditorialFiles } from './files.ts';
import { findEditorialItem, type EditorialItem } from './store.ts';

/**
 * The editorial workflow: create, save a language version (optimistic, as member case
 * drafts), submit, publish, schedule, withdraw. Each is one transaction that also writes
 * the history, the search documents and the change counter the public pages' cache reads.
 */

export type EditorialProblem = 'notFound' | 'forbidden' | 'stale' | 'wrongState' | 'invalid' | 'slugTaken' | 'badSlug' | 'pastTime' | 'pageFromFile';
export type EditorialOutcome<T = object> = ({ ok: true } & T) | { ok: false; problem: EditorialProblem; issues?: FrontmatterIssue[]; lang?: Language };

/** The largest markdown body the portal stores (the same bound as other member markdown, ×5: guidance runs long). */
export const EDITORIAL_BODY_MAX = 100_000;

type Db = Kysely<Database> | Transaction<Database>;

async function record(db: Db, itemId: number, actorId: string | null, action: string, now: number, extra: { lang?: Language; revision?: number; detail?: string } = {}): Promise<void> {
  await db
    .insertInto('editorial_history')
    .values({ item_id: itemId, actor_id: actorId, action, lang: extra.lang ?? null, revision: extra.revision ?? null, detail: extra.detail ?? null, at: now })
    .execute();
}

/** Tells every instance's cache of published items (and of anonymous pages) that what the public reads changed. */
async function bumpPublicChanges(db: Db): Promise<void> {
  await recordChange(db, 'editorial');
}

/** The search document key of one language of a portal item. */
export function portalSearchKey(itemId: number, lang: Language): string {
  return `portal:${itemId}:${lang}`;
}

/** The documents search keeps for a published item: one per language published. */
export function portalSearchDocuments(item: Pick<EditorialItem, 'id' | 'collection' | 'slug'>, texts: Array<{ lang: Language; data: Frontmatter; body: string }>): SearchDocument[] {
  return texts.map(({ lang, data, body }) => {
    // A page has a description and the date it was updated where items have a summary and a date.
    const date = new Date(String(data.date ?? data.updated ?? ''));
    return {
      key: portalSearchKey(item.id, lang),
      source: 'portal',
      section: item.collection,
      lang,
      path: editorialPublicPath(item.collection, item.slug),
      title: String(data.title ?? ''),
      summary: String(data.summary ?? data.description ?? ''),
      body: markdownToText(body, 20_000),
      topics: Array.isArray(data.topics) ? data.topics.map(String) : [],
      audience: 'public',
      publishedAt: Number.isNaN(date.getTime()) ? null : Math.floor(date.getTime() / 1000),
    };
  });
}

/** Checks a language version with the build's schema and the body's bounds. */
function checkText(collection: EditorialCollection, data: Frontmatter, body: string): FrontmatterIssue[] {
  const result = validateFrontmatter(collection, data);
  const issues = result.ok ? [] : result.issues;
  if (body.trim().length === 0) issues.push({ path: 'body', code: 'too_small', message: 'write the text', minimum: 1 });
  if (body.length > EDITORIAL_BODY_MAX) issues.push({ path: 'body', code: 'too_big', message: 'the text is too long', maximum: EDITORIAL_BODY_MAX });
  return issues;
}

/** A new item's row, a draft nobody has published. */
async function insertDraft(trx: Db, item: { collection: EditorialCollection; slug: string; sourceLang: Language; actorId: string }, now: number): Promise<{ id: number }> {
  return trx
    .insertInto('editorial_items')
    .values({
      collection: item.collection,
      slug: item.slug,
      source_lang: item.sourceLang,
      state: 'draft',
      version: 1,
      is_public: 0,
      publish_at: null,
      published_at: null,
      withdrawn_at: null,
      withdrawn_reason: null,
      created_by: item.actorId,
      updated_by: item.actorId,
      created_at: now,
      updated_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
}

/**
 * Starts an item with its first language version. The slug must be free among portal
 * items and not be one a content file already uses (`fileSlugs`, the caller reads them
 * from the build's collection): the same slug twice would be two pages at one address.
 */
export async function createEditorialItem(
  db: Kysely<Database>,
  actor: CurrentUser | null,
  input: { collection: EditorialCollection; slug: string; lang: Language; data: Frontmatter; body: string; fileSlugs: ReadonlySet<string> },
  now = clock.now(),
): Promise<EditorialOutcome<{ id: number }>> {
  if (!actor || !mayEditorial(actor, 'create')) return { ok: false, problem: 'forbidden' };
  // The association's pages each have a route of their own: they are started from their file (createPageFromFiles).
  if (input.collection === 'pages') return { ok: false, problem: 'pageFromFile' };
  if (!SLUG_PATTERN.test(input.slug) || input.slug.length > 100) return { ok: false, problem: 'badSlug' };
  if (input.fileSlugs.has(input.slug)) return { ok: false, problem: 'slugTaken' };
  const issues = checkText(input.collection, input.data, input.body);
  if (issues.length > 0) return { ok: false, problem: 'invalid', issues, lang: input.lang };
  try {
    return await db.transaction().execute(async (trx) => {
      const row = await insertDraft(trx, { collection: input.collection, slug: input.slug, sourceLang: input.lang, actorId: actor.id }, now);
      await writeText(trx, row.id, { lang: input.lang, data: input.data, body: input.body, revision: 1, sourceRevision: null, actorId: actor.id }, now, true);
      await record(trx, row.id, actor.id, 'created', now, { lang: input.lang, revision: 1 });
      return { ok: true as const, id: row.id };
    });
  } catch (error) {
    if (isUniqueViolation(error)) return { ok: false, problem: 'slugTaken' };
    throw error;
  }
}

/** One language version of a page's content file, as the build read it (dates as the file writes them). */
export interface PageFileText {
  lang: Language;
  data: Frontmatter;
  body: string;
}

/**
 * "Edit in portal" on one of the association's pages: a portal item of collection `pages`
 * with the page's slug, its working copy in every language prefilled from the file, as a
 * draft (the file stays what the public reads until the item is published). The caller
 * reads `files` from the build's collection. The language the editor reads in is the
 * source when the file has it; the other languages are translations of that revision,
 * up to date. Asked again for a page already in the portal, it answers that item.
 */
export async function createPageFromFiles(
  db: Kysely<Database>,
  actor: CurrentUser | null,
  input: { slug: string; sourceLang: Language; files: readonly PageFileText[] },
  now = clock.now(),
): Promise<EditorialOutcome<{ id: number }>> {
  if (!actor || !mayEditorial(actor, 'create')) return { ok: false, problem: 'forbidden' };
  if (!SLUG_PATTERN.test(input.slug) || input.files.length === 0) return { ok: false, problem: 'notFound' };
  const files = LANGUAGES.flatMap((lang) => input.files.filter((file) => file.lang === lang).slice(0, 1));
  const source = files.find((file) => file.lang === input.sourceLang) ?? files[0]!;
  for (const file of files) {
    const issues = checkText('pages', file.data, file.body);
    if (issues.length > 0) return { ok: false, problem: 'invalid', issues, lang: file.lang };
  }
  try {
    return await db.transaction().execute(async (trx) => {
      const existing = await trx.selectFrom('editorial_items').select(['id', 'collection']).where('slug', '=', input.slug).executeTakeFirst();
      if (existing) return existing.collection === 'pages' ? { ok: true as const, id: existing.id } : { ok: false as const, problem: 'slugTaken' as const };
      const row = await insertDraft(trx, { collection: 'pages', slug: input.slug, sourceLang: source.lang, actorId: actor.id }, now);
      for (const file of files) {
        await writeText(trx, row.id, { lang: file.lang, data: file.data, body: file.body, revision: 1, sourceRevision: file.lang === source.lang ? null : 1, actorId: actor.id }, now, true);
      }
      await record(trx, row.id, actor.id, 'createdFromFile', now, { lang: source.lang, revision: 1, detail: files.map((file) => file.lang).join(' ') });
      return { ok: true as const, id: row.id };
    });
  } catch (error) {
    if (isUniqueViolation(error)) return { ok: false, problem: 'slugTaken' };
    throw error;
  }
}

/** The search keys of a page's content file (the release's documents) in these languages. */
function pageFileSearchKeys(slug: string, languages: readonly Language[]): string[] {
  return languages.map((lang) => documentKey(CONTENT_SOURCE, `pages/${slug}`, lang));
}

async function writeText(
  trx: Db,
  itemId: number,
  text: { lang: Language; data: Frontmatter; body: string; revision: number; sourceRevision: number | null; actorId: string },
  now: number,
  fresh: boolean,
): Promise<void> {
  const values = { data: JSON.stringify(text.data), body: text.body, revision: text.revision, source_revision: text.sourceRevision, updated_by: text.actorId, updated_at: now };
  if (fresh) await trx.insertInto('editorial_texts').values({ item_id: itemId, lang: text.lang, ...values }).execute();
  else await trx.updateTable('editorial_texts').set(values).where('item_id', '=', itemId).where('lang', '=', text.lang).execute();
  await trx
    .insertInto('editorial_revisions')
    .values({ item_id: itemId, lang: text.lang, revision: text.revision, data: values.data, body: text.body, saved_by: text.actorId, saved_at: now })
    .execute();
}

/** Loads the item in a transaction, checks the rule and the version the user started from. */
async function guarded(
  trx: Db,
  actor: CurrentUser | null,
  action: EditorialAction,
  id: number,
  version: number,
): Promise<{ ok: true; item: EditorialItem } | { ok: false; problem: EditorialProblem }> {
  const item = await findEditorialItem(trx as Kysely<Database>, id);
  if (!item) return { ok: false, problem: 'notFound' };
  if (!mayEditorial(actor, action, item)) {
    // Refused now but allowed in some other state: the item's state is the problem, not the user.
    const someday = (['draft', 'submitted', 'published'] as const).some((state) => mayEditorial(actor, action, { state }));
    return { ok: false, problem: someday ? 'wrongState' : 'forbidden' };
  }
  if (item.version !== version) return { ok: false, problem: 'stale' };
  return { ok: true, item };
}

async function advance(trx: Db, item: EditorialItem, changes: Partial<{ state: EditorialState; is_public: number; publish_at: number | null; published_at: number | null; withdrawn_at: number | null; withdrawn_reason: string | null }>, actorId: string, now: number): Promise<number> {
  const version = item.version + 1;
  const updated = await trx
    .updateTable('editorial_items')
    .set({ ...changes, version, updated_by: actorId, updated_at: now })
    .where('id', '=', item.id)
    .where('version', '=', item.version)
    .executeTakeFirst();
  if (Number(updated.numUpdatedRows) !== 1) throw new Error(`editorial item ${item.id} changed under a write transaction`);
  return version;
}

/**
 * What a change to the working copy (a text saved, a file added or removed) does to the
 * item's state: a published item drafts a revision (the published version stays public
 * until an editor publishes again); a scheduled item goes back to draft (the schedule was
 * for the item as it was).
 */
function afterWorkingCopyChange(item: Pick<EditorialItem, 'state'>): { state?: EditorialState; publish_at?: null } {
  if (item.state === 'published') return { state: 'draft' };
  if (item.state === 'scheduled') return { state: 'draft', publish_at: null };
  return {};
}

/**
 * Saves one language version, if the user may and nobody saved the item since `version`
 * (else `stale`: the caller keeps the user's text and says a colleague saved first). A
 * new language is a translation of the source language, remembered against the source's
 * revision. Saving a published item drafts a revision: the public copy stays until an
 * editor publishes again; a scheduled item goes back to draft (the schedule was for the
 * text as it was).
 */
export async function saveEditorialText(
  db: Kysely<Database>,
  actor: CurrentUser | null,
  input: { id: number; version: number; lang: Language; data: Frontmatter; body: string; submit?: boolean },
  now = clock.now(),
): Promise<EditorialOutcome<{ version: number; revision: number }>> {
  return db.transaction().execute(async (trx) => {
    const current = await findEditorialItem(trx, input.id);
    if (!current) return { ok: false, problem: 'notFound' };
    const action: EditorialAction = current.texts[input.lang] && input.lang === current.sourceLang ? 'edit' : 'translate';
    const found = await guarded(trx, actor, action, input.id, input.version);
    if (!found.ok) return found;
    const item = found.item;
    const issues = checkText(item.collection, input.data, input.body);
    if (issues.length > 0) return { ok: false, problem: 'invalid', issues, lang: input.lang };
    const existing = item.texts[input.lang];
    const revision = (existing?.revision ?? 0) + 1;
    const sourceRevision = input.lang === item.sourceLang ? null : (item.texts[item.sourceLang]?.revision ?? null);
    await writeText(trx, item.id, { lang: input.lang, data: input.data, body: input.body, revision, sourceRevision, actorId: actor!.id }, now, !existing);
    await record(trx, item.id, actor!.id, existing ? (action === 'translate' ? 'translated' : 'saved') : 'translated', now, { lang: input.lang, revision });
    const changed = afterWorkingCopyChange(item);
    const submit = input.submit && (changed.state ?? item.state) === 'draft';
    const version = await advance(trx, item, { ...changed, ...(submit ? { state: 'submitted' as const } : {}) }, actor!.id, now);
    if (submit) await record(trx, item.id, actor!.id, 'submitted', now);
    return { ok: true, version, revision };
  });
}

/** Sends a draft to the editors. */
export async function submitEditorialItem(db: Kysely<Database>, actor: CurrentUser | null, input: { id: number; version: number }, now = clock.now()): Promise<EditorialOutcome<{ version: number }>> {
  return db.transaction().execute(async (trx) => {
    const found = await guarded(trx, actor, 'submit', input.id, input.version);
    if (!found.ok) return found;
    const version = await advance(trx, found.item, { state: 'submitted' }, actor!.id, now);
    await record(trx, input.id, actor!.id, 'submitted', now);
    return { ok: true, version };
  });
}

/** Every language version checked with the build's schema: the first one refused, if any. */
function firstInvalid(item: EditorialItem): { lang: Language; issues: FrontmatterIssue[] } | undefined {
  for (const text of Object.values(item.texts)) {
    const issues = checkText(item.collection, text.data, text.body);
    if (issues.length > 0) return { lang: text.lang, issues };
  }
  return undefined;
}

/** Makes the working copies what the public reads (in a transaction that holds the write lock). */
async function makePublic(trx: Db, item: EditorialItem, actorId: string | null, now: number): Promise<void> {
  await trx.deleteFrom('editorial_published').where('item_id', '=', item.id).execute();
  const texts = Object.values(item.texts);
  for (const text of texts) {
    await trx.insertInto('editorial_published').values({ item_id: item.id, lang: text.lang, data: JSON.stringify(text.data), body: text.body, revision: text.revision }).execute();
  }
  await trx
    .updateTable('editorial_items')
    .set({ state: 'published', is_public: 1, publish_at: null, published_at: item.publishedAt ?? now, withdrawn_at: null, withdrawn_reason: null, version: item.version + 1, updated_at: now, ...(actorId ? { updated_by: actorId } : {}) })
    .where('id', '=', item.id)
    .execute();
  await publishEditorialFiles(trx as Kysely<Database>, item.id);
  await removeSearchDocuments(trx as Kysely<Database>, [`portal:${item.id}:`], { prefix: true });
  // A page's portal version is found instead of its file, language by language.
  if (item.collection === 'pages') await removeSearchDocuments(trx as Kysely<Database>, pageFileSearchKeys(item.slug, texts.map((text) => text.lang)));
  await saveSearchDocuments(trx as Kysely<Database>, portalSearchDocuments(item, texts));
  await record(trx, item.id, actorId, 'published', now, { detail: texts.map((text) => `${text.lang}:${text.revision}`).join(' ') });
  await bumpPublicChanges(trx);
}

/** Publishes now: every language version must pass the build's schema. */
export async function publishEditorialItem(db: Kysely<Database>, actor: CurrentUser | null, input: { id: number; version: number }, now = clock.now()): Promise<EditorialOutcome<{ version: number }>> {
  return db.transaction().execute(async (trx) => {
    const found = await guarded(trx, actor, 'publish', input.id, input.version);
    if (!found.ok) return found;
    const invalid = firstInvalid(found.item);
    if (invalid) return { ok: false, problem: 'invalid', issues: invalid.issues, lang: invalid.lang };
    await makePublic(trx, found.item, actor!.id, now);
    return { ok: true, version: found.item.version + 1 };
  });
}

/** Schedules publication at `at` (UTC seconds, in the future); the publish-scheduled job publishes it then. */
export async function scheduleEditorialItem(
  db: Kysely<Database>,
  actor: CurrentUser | null,
  input: { id: number; version: number; at: number },
  now = clock.now(),
): Promise<EditorialOutcome<{ version: number }>> {
  if (input.at <= now) return { ok: false, problem: 'pastTime' };
  return db.transaction().execute(async (trx) => {
    const found = await guarded(trx, actor, 'schedule', input.id, input.version);
    if (!found.ok) return found;
    const invalid = firstInvalid(found.item);
    if (invalid) return { ok: false, problem: 'invalid', issues: invalid.issues, lang: invalid.lang };
    const version = await advance(trx, found.item, { state: 'scheduled', publish_at: input.at }, actor!.id, now);
    await record(trx, input.id, actor!.id, 'scheduled', now, { detail: String(input.at) });
    return { ok: true, version };
  });
}

/** Publishes every scheduled item whose time has come (the publish-scheduled job). Returns how many. */
export async function publishDueItems(db: Kysely<Database>, now = clock.now()): Promise<number> {
  const due = await db.selectFrom('editorial_items').select('id').where('state', '=', 'scheduled').where('publish_at', '<=', now).execute();
  let published = 0;
  for (const { id } of due) {
    const done = await db.transaction().execute(async (trx) => {
      const item = await findEditorialItem(trx, id);
      // Checked again under the write lock: another instance may have published it, or an editor changed it.
      if (!item || item.state !== 'scheduled' || item.publishAt === null || item.publishAt > now) return false;
      if (firstInvalid(item)) return false;
      await makePublic(trx, item, null, now);
      return true;
    });
    if (done) published += 1;
  }
  return published;
}

/**
 * Withdraws an item with a reason: its page answers 410, it leaves lists, feeds, the
 * sitemap and search. A page is never gone: its address shows its file again, and the
 * file's search documents (`fileDocuments`, the release's, which the caller reads from
 * the build) are found again.
 */
export async function withdrawEditorialItem(
  db: Kysely<Database>,
  actor: CurrentUser | null,
  input: { id: number; version: number; reason: string; fileDocuments?: readonly SearchDocument[] },
  now = clock.now(),
): Promise<EditorialOutcome<{ version: number }>> {
  const reason = input.reason.trim();
  if (reason.length < 3) return { ok: false, problem: 'invalid', issues: [{ path: 'reason', code: 'too_small', message: 'give a reason', minimum: 3 }] };
  return db.transaction().execute(async (trx) => {
    const found = await guarded(trx, actor, 'withdraw', input.id, input.version);
    if (!found.ok) return found;
    const version = await advance(trx, found.item, { state: 'withdrawn', is_public: 0, publish_at: null, withdrawn_at: now, withdrawn_reason: reason.slice(0, 1000) }, actor!.id, now);
    await trx.deleteFrom('editorial_published').where('item_id', '=', input.id).execute();
    await withdrawEditorialFiles(trx, input.id);
    await removeSearchDocuments(trx, [`portal:${input.id}:`], { prefix: true });
    if (found.item.collection === 'pages') {
      const keys = new Set(pageFileSearchKeys(found.item.slug, LANGUAGES));
      await saveSearchDocuments(trx, (input.fileDocuments ?? []).filter((document) => keys.has(document.key)));
    }
    await record(trx, input.id, actor!.id, 'withdrawn', now, { detail: reason.slice(0, 1000) });
    await bumpPublicChanges(trx);
    return { ok: true, version };
  });
}

/**
 * Adds a file to download to an item's working copy, for whoever may edit it: a change
 * like a saved text, so a published item drafts a revision and the public gets the file
 * when that revision is published (editorial_published_files), not before.
 */
export async function addEditorialFile(
  db: Kysely<Database>,
  actor: CurrentUser | null,
  input: { id: number; file: PreparedFile },
  now = clock.now(),
): Promise<EditorialOutcome<{ fileId: number; version: number }>> {
  return db.transaction().execute(async (trx) => {
    const item = await findEditorialItem(trx, input.id);
    if (!item) return { ok: false, problem: 'notFound' };
    if (!actor || !mayEditorial(actor, 'edit', item)) return { ok: false, problem: 'forbidden' };
    const fileId = await linkNewEditorialFile(trx, item.id, input.file, actor.id, now);
    const version = await advance(trx, item, afterWorkingCopyChange(item), actor.id, now);
    await record(trx, item.id, actor.id, 'fileAdded', now, { detail: input.file.name });
    return { ok: true, fileId, version };
  });
}

/**
 * Takes a file off an item's working copy (who may is the caller's question: the file
 * rules, src/server/files/rules.ts). A file the published version lists stays public
 * until the revision without it is published, or the item withdrawn. False when the
 * working copy did not hold it.
 */
export async function removeEditorialFile(db: Kysely<Database>, actorId: string, file: Pick<StoredFile, 'id' | 'attachedId' | 'name'>, now = clock.now()): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const item = await findEditorialItem(trx, file.attachedId);
    if (!item || !(await unlinkEditorialFile(trx, item.id, file.id))) return false;
    await advance(trx, item, afterWorkingCopyChange(item), actorId, now);
    await record(trx, item.id, actorId, 'fileRemoved', now, { detail: file.name });
    return true;
  });
}
