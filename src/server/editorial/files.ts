import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import * as clock from '~/lib/clock.ts';
import type { Database, EditorialState } from '~/server/db/schema.ts';
import { findFile, type StoredFile } from '~/server/files/files.ts';
import type { PreparedFile } from '~/server/files/inspect.ts';
import { fileStorage } from '~/server/files/storage.ts';

// Files to download on portal items (toolkits, templates), in the shared file storage:
// a `files` row attached with kind `editorial` to the item, and its link in
// `editorial_files`, written together. Who may download or remove one is
// src/server/files/rules.ts (by the item's publication); these only read and write.

/** Stores a prepared file on item `itemId`, bytes, row and link in one transaction; its id. */
export async function attachEditorialFile(db: Kysely<Database>, itemId: number, file: PreparedFile, uploaderId: string, at = clock.now()): Promise<number> {
  const storage = fileStorage();
  return db.transaction().execute(async (trx) => {
    const key = randomUUID();
    await storage.write(trx, key, file.bytes);
    const row = await trx
      .insertInto('files')
      // Association files count against no town's quota.
      .values({ storage_key: key, town_id: null, uploader_id: uploaderId, attached_kind: 'editorial', attached_id: itemId, name: file.name, media_type: file.mediaType, size: file.bytes.byteLength, created_at: at })
      .returning('id')
      .executeTakeFirstOrThrow();
    await trx.insertInto('editorial_files').values({ item_id: itemId, file_id: row.id }).execute();
    return row.id;
  });
}

/** The files of item `itemId`, oldest first (only those linked to it). */
export async function editorialFiles(db: Kysely<Database>, itemId: number): Promise<StoredFile[]> {
  const rows = await db
    .selectFrom('editorial_files')
    .innerJoin('files', 'files.id', 'editorial_files.file_id')
    .select('files.id')
    .where('editorial_files.item_id', '=', itemId)
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

/** The item an editorial file belongs to, as the download rules need it: linked both ways, or nothing. */
export async function itemOfEditorialFile(db: Kysely<Database>, file: Pick<StoredFile, 'id' | 'attachedId'>): Promise<{ state: EditorialState; isPublic: boolean } | undefined> {
  const row = await db
    .selectFrom('editorial_files')
    .innerJoin('editorial_items', 'editorial_items.id', 'editorial_files.item_id')
    .select(['editorial_items.state', 'editorial_items.is_public'])
    .where('editorial_files.file_id', '=', file.id)
    .where('editorial_files.item_id', '=', file.attachedId)
    .executeTakeFirst();
  return row ? { state: row.state, isPublic: Number(row.is_public) === 1 } : undefined;
}
