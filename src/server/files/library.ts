import type { Kysely } from 'kysely';
import * as clock from '~/lib/clock.ts';
import type { Database } from '~/server/db/schema.ts';
import { attachFiles, deleteFilesOf, filesAttachedTo, type StoredFile } from './files.ts';
import type { PreparedFile } from './inspect.ts';

// A group's document library: a title, a description and one file each. Who may add
// and remove is the action's question (src/server/files/rules.ts).

/** Who adds documents to a group's library. */
export type LibraryUploads = 'leads' | 'members';

/** A document as the library lists it. */
export interface GroupDocument {
  id: number;
  title: string;
  description: string;
  createdBy: string | null;
  authorName: string | null;
  createdAt: number;
  file: StoredFile | undefined;
}

/** Who adds to the group's library. */
export async function libraryUploads(db: Kysely<Database>, groupId: number): Promise<LibraryUploads> {
  const row = await db.selectFrom('groups').select('library_uploads').where('id', '=', groupId).executeTakeFirst();
  return row?.library_uploads ?? 'members';
}

/** Lets leads only, or every member, add documents. */
export async function setLibraryUploads(db: Kysely<Database>, groupId: number, uploads: LibraryUploads): Promise<void> {
  await db.updateTable('groups').set({ library_uploads: uploads }).where('id', '=', groupId).execute();
}

/** The group's documents, newest first, each with its file (two queries). */
export async function listDocuments(db: Kysely<Database>, groupId: number): Promise<GroupDocument[]> {
  const rows = await db
    .selectFrom('group_documents as d')
    .leftJoin('users as u', 'u.id', 'd.created_by')
    .select(['d.id', 'd.title', 'd.description', 'd.created_by', 'd.created_at', 'u.display_name'])
    .where('d.group_id', '=', groupId)
    .orderBy('d.created_at', 'desc')
    .orderBy('d.id', 'desc')
    .execute();
  const files = await filesAttachedTo(db, 'document', rows.map((row) => row.id));
  return rows.map((row) => ({
    id: row.id,
    title: row.title,
    description: row.description,
    createdBy: row.created_by,
    authorName: row.display_name,
    createdAt: Number(row.created_at),
    file: files.get(row.id)?.[0],
  }));
}

/** One document of a group, or undefined. */
export async function findDocument(db: Kysely<Database>, groupId: number, documentId: number): Promise<{ id: number; createdBy: string | null } | undefined> {
  const row = await db.selectFrom('group_documents').select(['id', 'created_by']).where('id', '=', documentId).where('group_id', '=', groupId).executeTakeFirst();
  return row ? { id: row.id, createdBy: row.created_by } : undefined;
}

/**
 * Adds a document with its file to the group's library. The document row is written
 * first and removed again if its file cannot be stored, so no document lacks its file.
 */
export async function addDocument(
  db: Kysely<Database>,
  document: { groupId: number; title: string; description: string; file: PreparedFile; author: { id: string; townId: number | null } },
  at = clock.now(),
): Promise<number> {
  const row = await db
    .insertInto('group_documents')
    .values({ group_id: document.groupId, title: document.title, description: document.description, created_by: document.author.id, created_at: at })
    .returning('id')
    .executeTakeFirstOrThrow();
  try {
    await attachFiles(db, { kind: 'document', id: row.id }, [document.file], { uploaderId: document.author.id, townId: document.author.townId }, at);
  } catch (error) {
    await db.deleteFrom('group_documents').where('id', '=', row.id).execute();
    throw error;
  }
  return row.id;
}

/** Removes a document and its file, for everyone. */
export async function removeDocument(db: Kysely<Database>, documentId: number): Promise<void> {
  await deleteFilesOf(db, { kind: 'document', id: documentId });
  await db.deleteFrom('group_documents').where('id', '=', documentId).execute();
}
