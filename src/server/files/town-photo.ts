import type { Kysely } from 'kysely';
import * as clock from '~/lib/clock.ts';
import type { Database } from '~/server/db/schema.ts';
import { attachFiles, deleteFile, deleteFilesOf, filesAttachedTo, type StoredFile } from './files.ts';
import type { PreparedFile } from './inspect.ts';

// A town's photo or emblem: one image per town, shown on its public profile. Who may
// change it is canManageTownPhoto (src/server/files/rules.ts).

/** The town's photo, if it has one. */
export async function townPhoto(db: Kysely<Database>, townId: number): Promise<StoredFile | undefined> {
  return (await filesAttachedTo(db, 'town_photo', [townId])).get(townId)?.at(-1);
}

/** Replaces the town's photo: the new one is stored first, then the old ones go. */
export async function setTownPhoto(db: Kysely<Database>, townId: number, photo: PreparedFile, uploaderId: string, at = clock.now()): Promise<number> {
  const previous = await townPhoto(db, townId);
  const [id] = await attachFiles(db, { kind: 'town_photo', id: townId }, [photo], { uploaderId, townId }, at);
  if (previous) await removeOlderPhotos(db, townId, id!);
  return id!;
}

/** Removes the town's photo. */
export async function removeTownPhoto(db: Kysely<Database>, townId: number): Promise<void> {
  await deleteFilesOf(db, { kind: 'town_photo', id: townId });
}

async function removeOlderPhotos(db: Kysely<Database>, townId: number, keep: number): Promise<void> {
  const older = await db.selectFrom('files').select('id').where('attached_kind', '=', 'town_photo').where('attached_id', '=', townId).where('id', '!=', keep).execute();
  for (const row of older) await deleteFile(db, row.id);
}
