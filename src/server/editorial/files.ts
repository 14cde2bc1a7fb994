import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database, EditorialState } from '~/server/db/schema.ts';
import { deleteFileIn, findFile, type StoredFile } from '~/server/files/files.ts';
import type { PreparedFile } from '~/server/files/inspect.ts';
import { fileStorage } from '~/server/files/storage.ts';

// Files to download on portal items (toolkits, templates), in the shared file storage:
// a `files` row attached with kind `editorial` to the item. They follow the workflow as
// the texts do: `editorial_files` is the working copy's list, `editorial_published_files`
// what the public downloads, copied at publication (migration 0024). The workflow
// (workflows.ts) calls these inside its transactions; who may download or remove a file
// is src/server/files/rules.ts.

/** Stores a prepared file and links it to item `itemId`'s working copy, in the caller's write transaction; its id. */
export async function linkNewEditorialFile(trx: Kysely<Database>, itemId: number, file: PreparedFile, uploaderId: string, at: number): Promise<number> {
  const key = randomUUID();
  await fileStorage().write(trx, key, file.bytes);
  const row = await trx
    .insertInto('files')
    // Association files count against no town's quota.
    .values({ storage_key: key, town_id: null, uploader_id: uploaderId, attached_kind: 'editorial', attached_id: itemId, name: file.name, media_type: file.mediaType, size: file.bytes.byteLength, created_at: at })
    .returning('id')
    .executeTakeFirstOrThrow();
  await trx.insertInto('editorial_files').values({ item_id: itemId, file_id: row.id }).execute();
  return row.id;
}

async function publishedFileIds(trx: Kysely<Database>, itemId: number): Promise<Set<number>> {
  const rows = await trx.selectFrom('editorial_published_files').select('file_id').where('item_id', '=', itemId).execute();
  return new Set(rows.map((row) => row.file_id));
}

async function workingFileIds(trx: Kysely<Database>, itemId: number): Promise<Set<number>> {
  const rows = await trx.selectFrom('editorial_files').select('file_id').where('item_id', '=', itemId).execute();
  return new Set(rows.map((row) => row.file_id));
}

/**
 * Takes a file off item `itemId`'s working copy, in the caller's write transaction. A
 * file the published version lists stays (its row and bytes) for the public until the
 * next publication or the withdrawal; any other is deleted now. False when it was not on
 * the working copy.
 */
export async function unlinkEditorialFile(trx: Kysely<Database>, itemId: number, fileId: number): Promise<boolean> {
  const unlinked = await trx.deleteFrom('editorial_files').where('item_id', '=', itemId).where('file_id', '=', fileId).executeTakeFirst();
  if (Number(unlinked.numDeletedRows) === 0) return false;
  if (!(await publishedFileIds(trx, itemId)).has(fileId)) await deleteFileIn(trx, fileId);
  return true;
}

/** Publication: the working copy's files become what the public downloads; files only the old published list held are deleted. */
export async function publishEditorialFiles(trx: Kysely<Database>, itemId: number): Promise<void> {
  const working = await workingFileIds(trx, itemId);
  const before = await publishedFileIds(trx, itemId);
  await trx.deleteFrom('editorial_published_files').where('item_id', '=', itemId).execute();
  for (const fileId of working) await trx.insertInto('editorial_published_files').values({ item_id: itemId, file_id: fileId }).execute();
  for (const fileId of before) if (!working.has(fileId)) await deleteFileIn(trx, fileId);
}

/** Withdrawal: nothing of the item is downloadable by the public; files only the published list held are deleted. */
export async function withdrawEditorialFiles(trx: Kysely<Database>, itemId: number): Promise<void> {
  const working = await workingFileIds(trx, itemId);
  const before = await publishedFileIds(trx, itemId);
  await trx.deleteFrom('editorial_published_files').where('item_id', '=', itemId).execute();
  for (const fileId of before) if (!working.has(fileId)) await deleteFileIn(trx, fileId);
}

async function storedFiles(db: Kysely<Database>, table: 'editorial_files' | 'editorial_published_files', itemId: number): Promise<StoredFile[]> {
  const rows = await db
    .selectFrom(table)
    .innerJoin('files', 'files.id', `${table}.file_id`)
    .select('files.id')
    .where(`${table}.item_id`, '=', itemId)
    .where('files.attached_kind', '=', 'editorial')
    .where('files.attached_id', '=', itemId)
    .orderBy('files.id')
    .execute();
  const files: StoredFile[] = [];
  for (const row of rows) {
    const file = await findFile(db, row.id);
    if (file) files.push(file);
  }
  return files;
}

/** The files of item `itemId`'s working copy (what the next publication makes public), oldest first. */
export function editorialFiles(db: Kysely<Database>, itemId: number): Promise<StoredFile[]> {
  return storedFiles(db, 'editorial_files', itemId);
}

/** The files the published version of item `itemId` lists (what its public page offers while the item is public), oldest first. */
export function publishedEditorialFiles(db: Kysely<Database>, itemId: number): Promise<StoredFile[]> {
  return storedFiles(db, 'editorial_published_files', itemId);
}

/** What the download rules need of an editorial file: its item, and which of the item's lists hold it. */
export interface EditorialFileFacts {
  state: EditorialState;
  /** The item is public (published, or a revision drafted while its published version stays). */
  isPublic: boolean;
  /** The published version lists the file. */
  published: boolean;
  /** The working copy lists the file (it can be removed from it). */
  working: boolean;
}

/** The item an editorial file belongs to, linked both ways in one of its lists, or nothing. */
export async function itemOfEditorialFile(db: Kysely<Database>, file: Pick<StoredFile, 'id' | 'attachedId'>): Promise<EditorialFileFacts | undefined> {
  const item = await db.selectFrom('editorial_items').select(['state', 'is_public']).where('id', '=', file.attachedId).executeTakeFirst();
  if (!item) return undefined;
  const [working, published] = await Promise.all([
    db.selectFrom('editorial_files').select('file_id').where('item_id', '=', file.attachedId).where('file_id', '=', file.id).executeTakeFirst(),
    db.selectFrom('editorial_published_files').select('file_id').where('item_id', '=', file.attachedId).where('file_id', '=', file.id).executeTakeFirst(),
  ]);
  if (!working && !published) return undefined;
  return { state: item.state, isPublic: Number(item.is_public) === 1, published: !!published, working: !!working };
}
