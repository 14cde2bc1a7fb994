import type { Kysely } from 'kysely';
import { recordAudit } from '~/server/audit/audit.ts';
import type { Database } from '~/server/db/schema.ts';
import { removeEditorialFile } from '~/server/editorial/workflows.ts';
import { deleteFile, filesAttachedTo, type StoredFile } from './files.ts';
import { removeDocument } from './library.ts';
import { removeTownPhoto } from './town-photo.ts';

// Removing files on someone's request, each removed file written to the audit log: a
// file is gone for everyone once removed, so who removed what, from what, stays on
// record. Who may remove is the action's question (rules.ts); these only do it.

/** Who asks for a removal, as the audit log records them. */
export interface Remover {
  id: string;
  clientAddress: string | null;
}

async function auditRemoved(db: Kysely<Database>, files: readonly StoredFile[], remover: Remover): Promise<void> {
  for (const file of files) {
    await recordAudit(db, {
      actorId: remover.id,
      action: 'file.removed',
      target: { type: 'file', id: String(file.id) },
      clientAddress: remover.clientAddress,
      details: { name: file.name, attachedTo: file.attachedKind, attachedId: file.attachedId, uploaderId: file.uploaderId },
    });
  }
}

/** Removes one file; a library document's file takes its document with it (never a document without its file). */
export async function removeFile(db: Kysely<Database>, file: StoredFile, remover: Remover): Promise<void> {
  if (file.attachedKind === 'document') await removeDocument(db, file.attachedId);
  // A portal item's file leaves its working copy; the published version keeps it until the next publication.
  else if (file.attachedKind === 'editorial') await removeEditorialFile(db, remover.id, file);
  else await deleteFile(db, file.id);
  await auditRemoved(db, [file], remover);
}

/** Removes a library document with its file. */
export async function removeLibraryDocument(db: Kysely<Database>, documentId: number, remover: Remover): Promise<void> {
  const files = (await filesAttachedTo(db, 'document', [documentId])).get(documentId) ?? [];
  await removeDocument(db, documentId);
  await auditRemoved(db, files, remover);
}

/** Removes a town's photo or emblem. */
export async function removeTownPhotoFiles(db: Kysely<Database>, townId: number, remover: Remover): Promise<void> {
  const files = (await filesAttachedTo(db, 'town_photo', [townId])).get(townId) ?? [];
  await removeTownPhoto(db, townId);
  await auditRemoved(db, files, remover);
}
