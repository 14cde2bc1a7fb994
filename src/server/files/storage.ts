import type { Kysely } from 'kysely';
import type { Database } from '~/server/db/schema.ts';

/**
 * Where file bytes live, behind one small interface so that another backend (an S3
 * bucket, a shared volume) could be added without touching the rest. Each call gets the
 * database handle or transaction it runs in: the database backend then writes the bytes
 * in the same transaction as the file's row, so a file is never half stored; a backend
 * elsewhere would ignore it. Keys are random (src/server/files/files.ts), never a name a
 * user chose.
 */
export interface FileStorage {
  write(db: Kysely<Database>, key: string, bytes: Uint8Array): Promise<void>;
  read(db: Kysely<Database>, key: string): Promise<Uint8Array | undefined>;
  remove(db: Kysely<Database>, key: string): Promise<void>;
}

/**
 * The default backend: bytes in the `file_blobs` table. Chosen because every Qala
 * instance already shares the database, and a database backup (`qala backup`,
 * pg_dump) then holds the files with the rows that point to them: nothing else to mount,
 * replicate or back up. 20 MB files and a quota per town keep the table's size in reach
 * of an association's database.
 */
export const databaseStorage: FileStorage = {
  async write(db, key, bytes) {
    // Both drivers bind a Buffer as a blob / bytea.
    await db.insertInto('file_blobs').values({ key, bytes: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) }).execute();
  },
  async read(db, key) {
    const row = await db.selectFrom('file_blobs').select('bytes').where('key', '=', key).executeTakeFirst();
    return row ? new Uint8Array(row.bytes.buffer, row.bytes.byteOffset, row.bytes.byteLength) : undefined;
  },
  async remove(db, key) {
    await db.deleteFrom('file_blobs').where('key', '=', key).execute();
  },
};

/** The storage backend in use. */
export function fileStorage(): FileStorage {
  return databaseStorage;
}
