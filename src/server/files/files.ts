import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import * as clock from '~/lib/clock.ts';
import type { AttachedKind, Database } from '~/server/db/schema.ts';
import type { PreparedFile } from './inspect.ts';
import { fileStorage } from './storage.ts';

// Stored files and what they are attached to. Who may see or remove one is
// src/server/files/rules.ts; these functions only read and write.

/** A file as lists and the download route see it (never its bytes). */
export interface StoredFile {
  id: number;
  name: string;
  mediaType: string;
  size: number;
  townId: number | null;
  uploaderId: string | null;
  attachedKind: AttachedKind;
  attachedId: number;
  createdAt: number;
}

/** What a file is attached to. */
export interface Attachment {
  kind: AttachedKind;
  id: number;
}

const COLUMNS = ['id', 'name', 'media_type', 'size', 'town_id', 'uploader_id', 'attached_kind', 'attached_id', 'created_at'] as const;

function toStoredFile(row: { id: number; name: string; media_type: string; size: number; town_id: number | null; uploader_id: string | null; attached_kind: AttachedKind; attached_id: number; created_at: number }): StoredFile {
  return {
    id: row.id,
    name: row.name,
    mediaType: row.media_type,
    size: Number(row.size),
    townId: row.town_id,
    uploaderId: row.uploader_id,
    attachedKind: row.attached_kind,
    attachedId: row.attached_id,
    createdAt: Number(row.created_at),
  };
}

/**
 * Stores prepared files attached to `to`, bytes and rows in one transaction: either all
 * are stored or none. `townId` is the town whose quota they count against. Returns their ids.
 */
export async function attachFiles(
  db: Kysely<Database>,
  to: Attachment,
  files: readonly PreparedFile[],
  by: { uploaderId: string; townId: number | null },
  at = clock.now(),
): Promise<number[]> {
  if (files.length === 0) return [];
  const storage = fileStorage();
  return db.transaction().execute(async (trx) => {
    const ids: number[] = [];
    for (const file of files) {
      const key = randomUUID();
      await storage.write(trx, key, file.bytes);
      const row = await trx
        .insertInto('files')
        .values({ storage_key: key, town_id: by.townId, uploader_id: by.uploaderId, attached_kind: to.kind, attached_id: to.id, name: file.name, media_type: file.mediaType, size: file.bytes.byteLength, created_at: at })
        .returning('id')
        .executeTakeFirstOrThrow();
      ids.push(row.id);
    }
    return ids;
  });
}

/** One file, whoever asks. */
export async function findFile(db: Kysely<Database>, id: number): Promise<StoredFile | undefined> {
  const row = await db.selectFrom('files').select(COLUMNS).where('id', '=', id).executeTakeFirst();
  return row ? toStoredFile(row) : undefined;
}

/** A file's bytes, from the storage backend. */
export async function readFileBytes(db: Kysely<Database>, id: number): Promise<Uint8Array | undefined> {
  const row = await db.selectFrom('files').select('storage_key').where('id', '=', id).executeTakeFirst();
  return row ? fileStorage().read(db, row.storage_key) : undefined;
}

/** The files attached to each of `ids` of one kind, oldest first, in one query. */
export async function filesAttachedTo(db: Kysely<Database>, kind: AttachedKind, ids: readonly number[]): Promise<Map<number, StoredFile[]>> {
  return (await filesAttachedToEach(db, [{ kind, ids }]))(kind);
}

/**
 * The files attached to records of several kinds (a thread and its replies, a request and
 * its responses), by kind and record, oldest first, in one query: a page asks once
 * rather than once per kind (on PostgreSQL, one round trip).
 */
export async function filesAttachedToEach(db: Kysely<Database>, wanted: ReadonlyArray<{ kind: AttachedKind; ids: readonly number[] }>): Promise<(kind: AttachedKind) => Map<number, StoredFile[]>> {
  const byKind = new Map<AttachedKind, Map<number, StoredFile[]>>();
  const asked = wanted.filter((part) => part.ids.length > 0);
  if (asked.length > 0) {
    const rows = await db
      .selectFrom('files')
      .select(COLUMNS)
      .where((eb) => eb.or(asked.map((part) => eb.and([eb('attached_kind', '=', part.kind), eb('attached_id', 'in', [...new Set(part.ids)])]))))
      .orderBy('id')
      .execute();
    for (const row of rows) {
      const file = toStoredFile(row);
      let byOwner = byKind.get(file.attachedKind);
      if (!byOwner) byKind.set(file.attachedKind, (byOwner = new Map()));
      const owned = byOwner.get(file.attachedId);
      if (owned) owned.push(file);
      else byOwner.set(file.attachedId, [file]);
    }
  }
  return (kind) => byKind.get(kind) ?? new Map();
}

/** Deletes a file, its row and its bytes together; false when it was already gone. */
export async function deleteFile(db: Kysely<Database>, id: number): Promise<boolean> {
  return db.transaction().execute((trx) => deleteFileIn(trx, id));
}

/** The same inside the caller's write transaction (a workflow that removes a file among other writes). */
export async function deleteFileIn(trx: Kysely<Database>, id: number): Promise<boolean> {
  const row = await trx.selectFrom('files').select('storage_key').where('id', '=', id).executeTakeFirst();
  if (!row) return false;
  await trx.deleteFrom('files').where('id', '=', id).execute();
  await fileStorage().remove(trx, row.storage_key);
  return true;
}

/** Deletes every file attached to one thing (a document removed, a photo replaced). */
export async function deleteFilesOf(db: Kysely<Database>, to: Attachment): Promise<void> {
  const rows = await db.selectFrom('files').select('id').where('attached_kind', '=', to.kind).where('attached_id', '=', to.id).execute();
  for (const row of rows) await deleteFile(db, row.id);
}

/** How many bytes of files a town stores. */
export async function townUsage(db: Kysely<Database>, townId: number): Promise<number> {
  const row = await db.selectFrom('files').select((eb) => eb.fn.coalesce(eb.fn.sum<number>('size'), eb.lit(0)).as('used')).where('town_id', '=', townId).executeTakeFirst();
  return Number(row?.used ?? 0);
}

/**
 * Whether `adding` more bytes keep the town within its quota. Checked before anything
 * is written; two uploads at the same moment may each pass and together go past it by
 * at most one post's files, which a quota against slow filling does not mind.
 */
export async function withinQuota(db: Kysely<Database>, townId: number | null, adding: number, quotaBytes: number): Promise<boolean> {
  if (townId === null || adding === 0) return true;
  return (await townUsage(db, townId)) + adding <= quotaBytes;
}

/** Files posted with something, and the town whose quota they count against. */
export interface Upload {
  files: readonly PreparedFile[];
  townId: number | null;
}

/** Attaches a post's files, if it came with any (the workflows' one line for attachments). */
export async function attachUpload(db: Kysely<Database>, to: Attachment, upload: Upload | undefined, uploaderId: string): Promise<void> {
  if (upload && upload.files.length > 0) await attachFiles(db, to, upload.files, { uploaderId, townId: upload.townId });
}
