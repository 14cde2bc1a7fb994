import type { Kysely } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { setClock } from '~/lib/clock.ts';
import { insertUser } from '~/server/accounts/users.ts';
import type { CurrentUser } from '~/server/auth/lucia.ts';
import type { Database, Role } from '~/server/db/schema.ts';
import { attachEditorialFile, editorialFiles } from '~/server/editorial/files.ts';
import { createEditorialItem, publishEditorialItem, submitEditorialItem, withdrawEditorialItem } from '~/server/editorial/workflows.ts';
import { download } from '~/server/files/download.ts';
import { findFile } from '~/server/files/files.ts';
import { prepareUpload, type PreparedFile } from '~/server/files/inspect.ts';
import { fileAccess } from '~/server/files/rules.ts';
import { removeFile } from '~/server/files/workflows.ts';
import { createTestDatabase } from '../helpers/database.ts';

/**
 * Files to download on portal items, on both engines: stored in the shared file storage
 * with their link in editorial_files, listed per item, removed with their link, and the
 * download rules: the public only while the item is public, authors and editors always,
 * removal by whoever may edit the item.
 */

let db: Kysely<Database>;
let cleanup: () => Promise<void>;
const NOW = 1_790_000_000;
const users = {} as Record<'member' | 'author' | 'editor', CurrentUser>;
const PDF = new TextEncoder().encode('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');

async function user(email: string, role: Role): Promise<CurrentUser> {
  const id = await insertUser(db, { email, passwordHash: 'not-a-real-hash', displayName: email.split('@')[0]!, role, townId: null, language: 'en' }, 1);
  return { id, email, displayName: email, role, language: 'en', disabled: false, town: null };
}

async function toolkit(): Promise<PreparedFile> {
  const prepared = await prepareUpload('Toolkit "budget" 2026.pdf', PDF);
  if (!prepared.ok) throw new Error(prepared.problem);
  return prepared.file;
}

async function resource(slug = 'budget-toolkit'): Promise<number> {
  const data = { title: 'Набор для бюджета', summary: 'Краткое описание набора длиной больше двадцати знаков.', date: '2026-11-20', topics: ['planning-governance'], type: 'toolkit', authors: ['Ассоциация'] };
  const created = await createEditorialItem(db, users.author, { collection: 'resources', slug, lang: 'ru', data, body: 'Текст.', fileSlugs: new Set() }, NOW);
  if (!created.ok) throw new Error(`not created: ${created.problem} ${JSON.stringify(created.issues)}`);
  return created.id;
}

beforeEach(async () => {
  setClock(NOW);
  ({ db, cleanup } = await createTestDatabase());
  users.member = await user('member@example.org', 'member');
  users.author = await user('author@example.org', 'author');
  users.editor = await user('editor@example.org', 'editor');
});

afterEach(async () => {
  setClock(null);
  await cleanup();
});

describe('files to download on portal items', () => {
  it('attaches a file in the shared storage, linked to its item, and lists it', async () => {
    const itemId = await resource();
    const fileId = await attachEditorialFile(db, itemId, await toolkit(), users.author.id, NOW);
    const listed = await editorialFiles(db, itemId);
    expect(listed.map((file) => ({ id: file.id, kind: file.attachedKind, type: file.mediaType, size: file.size }))).toEqual([{ id: fileId, kind: 'editorial', type: 'application/pdf', size: PDF.byteLength }]);
    expect(listed[0]!.name).toMatch(/\.pdf$/);
    expect(await db.selectFrom('editorial_files').selectAll().execute()).toEqual([{ item_id: itemId, file_id: fileId }]);
    // Association files count against no town's quota.
    expect((await findFile(db, fileId))!.townId).toBeNull();
    // Another item lists none of them.
    expect(await editorialFiles(db, await resource('other-toolkit'))).toEqual([]);
  });

  it('the files.attached_kind check knows "editorial" and still refuses unknown kinds', async () => {
    const itemId = await resource();
    await attachEditorialFile(db, itemId, await toolkit(), users.author.id, NOW);
    await expect(
      db.insertInto('files').values({ storage_key: 'x', town_id: null, uploader_id: null, attached_kind: 'nothing' as 'editorial', attached_id: itemId, name: 'x.pdf', media_type: 'application/pdf', size: 1, created_at: NOW }).execute(),
    ).rejects.toThrow();
  });

  it('a draft item\'s file: not found for the public and members, readable by authors and editors', async () => {
    const itemId = await resource();
    const file = (await findFile(db, await attachEditorialFile(db, itemId, await toolkit(), users.author.id, NOW)))!;
    expect(await fileAccess(db, null, file)).toEqual({ may: 'notFound' });
    expect(await fileAccess(db, users.member, file)).toEqual({ may: 'notFound' });
    expect(await fileAccess(db, users.author, file)).toEqual({ may: 'read', remove: true, inline: false });
    expect(await fileAccess(db, users.editor, file)).toEqual({ may: 'read', remove: true, inline: false });
    expect((await download(db, null, file.id)).kind).toBe('notFound');
    // Waiting for review: the author may read it but no longer remove it; the editor may.
    expect((await submitEditorialItem(db, users.author, { id: itemId, version: 1 }, NOW)).ok).toBe(true);
    expect(await fileAccess(db, users.author, file)).toEqual({ may: 'read', remove: false, inline: false });
    expect(await fileAccess(db, users.editor, file)).toEqual({ may: 'read', remove: true, inline: false });
  });

  it('a published item\'s file: everyone downloads it, with its name; withdrawn, the public no longer can', async () => {
    const itemId = await resource();
    const fileId = await attachEditorialFile(db, itemId, await toolkit(), users.author.id, NOW);
    expect((await publishEditorialItem(db, users.editor, { id: itemId, version: 1 }, NOW)).ok).toBe(true);
    const file = (await findFile(db, fileId))!;
    expect(await fileAccess(db, null, file)).toEqual({ may: 'read', remove: false, inline: false });
    expect(await fileAccess(db, users.member, file)).toEqual({ may: 'read', remove: false, inline: false });
    const got = await download(db, null, fileId);
    if (got.kind !== 'file') throw new Error(got.kind);
    expect(new Uint8Array(await got.response.arrayBuffer())).toEqual(PDF);
    expect(got.response.headers.get('Content-Type')).toBe('application/pdf');
    expect(got.response.headers.get('Content-Disposition')).toMatch(/^attachment; filename=.*\.pdf/);

    expect((await withdrawEditorialItem(db, users.editor, { id: itemId, version: 2, reason: 'Устарело' }, NOW)).ok).toBe(true);
    expect(await fileAccess(db, null, file)).toEqual({ may: 'notFound' });
    expect(await fileAccess(db, users.member, file)).toEqual({ may: 'notFound' });
    expect((await fileAccess(db, users.editor, file)).may).toBe('read');
  });

  it('a file claiming an item it is not linked to is found by nobody outside the staff (no IDOR through attached_id)', async () => {
    const published = await resource('published-toolkit');
    expect((await publishEditorialItem(db, users.editor, { id: published, version: 1 }, NOW)).ok).toBe(true);
    const draft = await resource('draft-toolkit');
    const fileId = await attachEditorialFile(db, draft, await toolkit(), users.author.id, NOW);
    // Pointed at the published item by hand, without its link: still the draft's.
    await db.updateTable('files').set({ attached_id: published }).where('id', '=', fileId).execute();
    expect(await fileAccess(db, null, (await findFile(db, fileId))!)).toEqual({ may: 'notFound' });
    expect(await editorialFiles(db, published)).toEqual([]);
  });

  it('removing a file removes its row, its bytes and its link', async () => {
    const itemId = await resource();
    const fileId = await attachEditorialFile(db, itemId, await toolkit(), users.author.id, NOW);
    await removeFile(db, (await findFile(db, fileId))!, { id: users.author.id, clientAddress: null });
    expect(await findFile(db, fileId)).toBeUndefined();
    expect(await editorialFiles(db, itemId)).toEqual([]);
    expect(await db.selectFrom('editorial_files').selectAll().execute()).toEqual([]);
    expect(await db.selectFrom('file_blobs').select('key').execute()).toEqual([]);
  });
});
