import { describe, expect, it } from 'vitest';
import type { CurrentUser } from '~/server/auth/lucia.ts';
import { editorialFiles, publishedEditorialFiles } from '~/server/editorial/files.ts';
import { findEditorialItem } from '~/server/editorial/store.ts';
import { addEditorialFile, createEditorialItem, publishEditorialItem, saveEditorialText, scheduleEditorialItem, submitEditorialItem, withdrawEditorialItem } from '~/server/editorial/workflows.ts';
import { download } from '~/server/files/download.ts';
import { findFile } from '~/server/files/files.ts';
import { prepareUpload, type PreparedFile } from '~/server/files/inspect.ts';
import { fileAccess } from '~/server/files/rules.ts';
import { removeFile } from '~/server/files/workflows.ts';
import { migrateDownTo, migrateToLatest } from '~/server/db/migrate.ts';
import { EDITORIAL_NOW as NOW, useEditorialDatabase } from '../helpers/editorial.ts';

/**
 * Files to download on portal items, on both engines: stored in the shared file storage
 * with their link in editorial_files, listed per item, removed with their link, and the
 * download rules: the public only while the item is public, authors and editors always,
 * removal by whoever may edit the item.
 */

const editorial = useEditorialDatabase();
const { users } = editorial;
const PDF = new TextEncoder().encode('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');

async function toolkit(): Promise<PreparedFile> {
  const prepared = await prepareUpload('Toolkit "budget" 2026.pdf', PDF);
  if (!prepared.ok) throw new Error(prepared.problem);
  return prepared.file;
}

async function resource(slug = 'budget-toolkit'): Promise<number> {
  const data = { title: 'Набор для бюджета', summary: 'Краткое описание набора длиной больше двадцати знаков.', date: '2026-11-20', topics: ['planning-governance'], type: 'toolkit', authors: ['Ассоциация'] };
  const created = await createEditorialItem(editorial.db, users.author, { collection: 'resources', slug, lang: 'ru', data, body: 'Текст.', fileSlugs: new Set() }, NOW);
  if (!created.ok) throw new Error(`not created: ${created.problem} ${JSON.stringify(created.issues)}`);
  return created.id;
}

/** Adds a file through the workflow (as the edit page does); its id. */
async function attach(itemId: number, actor: CurrentUser = users.author): Promise<number> {
  const added = await addEditorialFile(editorial.db, actor, { id: itemId, file: await toolkit() }, NOW);
  if (!added.ok) throw new Error(`not added: ${added.problem}`);
  return added.fileId;
}

async function versionOf(itemId: number): Promise<number> {
  return (await findEditorialItem(editorial.db, itemId))!.version;
}

async function publish(itemId: number): Promise<void> {
  const published = await publishEditorialItem(editorial.db, users.editor, { id: itemId, version: await versionOf(itemId) }, NOW);
  if (!published.ok) throw new Error(`not published: ${published.problem}`);
}

describe('files to download on portal items', () => {
  it('attaches a file in the shared storage, linked to its item, and lists it', async () => {
    const itemId = await resource();
    const fileId = await attach(itemId);
    const listed = await editorialFiles(editorial.db, itemId);
    expect(listed.map((file) => ({ id: file.id, kind: file.attachedKind, type: file.mediaType, size: file.size }))).toEqual([{ id: fileId, kind: 'editorial', type: 'application/pdf', size: PDF.byteLength }]);
    expect(listed[0]!.name).toMatch(/\.pdf$/);
    expect(await editorial.db.selectFrom('editorial_files').selectAll().execute()).toEqual([{ item_id: itemId, file_id: fileId }]);
    // Association files count against no town's quota.
    expect((await findFile(editorial.db, fileId))!.townId).toBeNull();
    // Another item lists none of them.
    expect(await editorialFiles(editorial.db, await resource('other-toolkit'))).toEqual([]);
  });

  it('the files.attached_kind check knows "editorial" and still refuses unknown kinds', async () => {
    const itemId = await resource();
    await attach(itemId);
    await expect(
      editorial.db.insertInto('files').values({ storage_key: 'x', town_id: null, uploader_id: null, attached_kind: 'nothing' as 'editorial', attached_id: itemId, name: 'x.pdf', media_type: 'application/pdf', size: 1, created_at: NOW }).execute(),
    ).rejects.toThrow();
  });

  it('a draft item\'s file: not found for the public and members, readable by authors and editors', async () => {
    const itemId = await resource();
    const file = (await findFile(editorial.db, await attach(itemId)))!;
    expect(await fileAccess(editorial.db, null, file)).toEqual({ may: 'notFound' });
    expect(await fileAccess(editorial.db, users.member, file)).toEqual({ may: 'notFound' });
    expect(await fileAccess(editorial.db, users.author, file)).toEqual({ may: 'read', remove: true, inline: false });
    expect(await fileAccess(editorial.db, users.editor, file)).toEqual({ may: 'read', remove: true, inline: false });
    expect((await download(editorial.db, null, file.id)).kind).toBe('notFound');
    // Waiting for review: the author may read it but no longer remove it; the editor may.
    expect((await submitEditorialItem(editorial.db, users.author, { id: itemId, version: await versionOf(itemId) }, NOW)).ok).toBe(true);
    expect(await fileAccess(editorial.db, users.author, file)).toEqual({ may: 'read', remove: false, inline: false });
    expect(await fileAccess(editorial.db, users.editor, file)).toEqual({ may: 'read', remove: true, inline: false });
  });

  it('a published item\'s file: everyone downloads it, with its name; withdrawn, the public no longer can', async () => {
    const itemId = await resource();
    const fileId = await attach(itemId);
    await publish(itemId);
    const file = (await findFile(editorial.db, fileId))!;
    expect(await fileAccess(editorial.db, null, file)).toEqual({ may: 'read', remove: false, inline: false });
    expect(await fileAccess(editorial.db, users.member, file)).toEqual({ may: 'read', remove: false, inline: false });
    const got = await download(editorial.db, null, fileId);
    if (got.kind !== 'file') throw new Error(got.kind);
    expect(new Uint8Array(await got.response.arrayBuffer())).toEqual(PDF);
    expect(got.response.headers.get('Content-Type')).toBe('application/pdf');
    expect(got.response.headers.get('Content-Disposition')).toMatch(/^attachment; filename=.*\.pdf/);

    expect((await withdrawEditorialItem(editorial.db, users.editor, { id: itemId, version: await versionOf(itemId), reason: 'Устарело' }, NOW)).ok).toBe(true);
    expect(await fileAccess(editorial.db, null, file)).toEqual({ may: 'notFound' });
    expect(await fileAccess(editorial.db, users.member, file)).toEqual({ may: 'notFound' });
    expect((await fileAccess(editorial.db, users.editor, file)).may).toBe('read');
  });

  it('a file claiming an item it is not linked to is found by nobody outside the staff (no IDOR through attached_id)', async () => {
    const published = await resource('published-toolkit');
    expect((await publishEditorialItem(editorial.db, users.editor, { id: published, version: 1 }, NOW)).ok).toBe(true);
    const draft = await resource('draft-toolkit');
    const fileId = await attach(draft);
    // Pointed at the published item by hand, without its link: still the draft's.
    await editorial.db.updateTable('files').set({ attached_id: published }).where('id', '=', fileId).execute();
    expect(await fileAccess(editorial.db, null, (await findFile(editorial.db, fileId))!)).toEqual({ may: 'notFound' });
    expect(await editorialFiles(editorial.db, published)).toEqual([]);
  });

  it('removing a file removes its row, its bytes and its link', async () => {
    const itemId = await resource();
    const fileId = await attach(itemId);
    await removeFile(editorial.db, (await findFile(editorial.db, fileId))!, { id: users.author.id, clientAddress: null });
    expect(await findFile(editorial.db, fileId)).toBeUndefined();
    expect(await editorialFiles(editorial.db, itemId)).toEqual([]);
    expect(await editorial.db.selectFrom('editorial_files').selectAll().execute()).toEqual([]);
    expect(await editorial.db.selectFrom('file_blobs').select('key').execute()).toEqual([]);
  });

  it('the author may not add a file to an item waiting for review, a member to none; refused adds store nothing', async () => {
    const itemId = await resource();
    expect((await addEditorialFile(editorial.db, users.member, { id: itemId, file: await toolkit() }, NOW))).toEqual({ ok: false, problem: 'forbidden' });
    expect((await addEditorialFile(editorial.db, null, { id: itemId, file: await toolkit() }, NOW))).toEqual({ ok: false, problem: 'forbidden' });
    expect((await addEditorialFile(editorial.db, users.author, { id: itemId + 99, file: await toolkit() }, NOW))).toEqual({ ok: false, problem: 'notFound' });
    expect((await submitEditorialItem(editorial.db, users.author, { id: itemId, version: await versionOf(itemId) }, NOW)).ok).toBe(true);
    expect((await addEditorialFile(editorial.db, users.author, { id: itemId, file: await toolkit() }, NOW))).toEqual({ ok: false, problem: 'forbidden' });
    expect(await editorial.db.selectFrom('files').select('id').execute()).toEqual([]);
  });
});

describe('files follow the version: a revision\'s files wait for its publication', () => {
  it('a file added while a revision is drafted is public only when that revision is published', async () => {
    const itemId = await resource();
    const first = await attach(itemId);
    await publish(itemId);
    const added = await attach(itemId);
    // Adding a file drafts a revision, as saving a text does; the published version stays public.
    const item = (await findEditorialItem(editorial.db, itemId))!;
    expect({ state: item.state, isPublic: item.isPublic }).toEqual({ state: 'draft', isPublic: true });
    const addedFile = (await findFile(editorial.db, added))!;
    expect(await fileAccess(editorial.db, null, addedFile)).toEqual({ may: 'notFound' });
    expect(await fileAccess(editorial.db, users.member, addedFile)).toEqual({ may: 'notFound' });
    expect((await download(editorial.db, null, added)).kind).toBe('notFound');
    expect((await fileAccess(editorial.db, users.author, addedFile)).may).toBe('read');
    expect((await fileAccess(editorial.db, users.editor, addedFile)).may).toBe('read');
    // The published version's file is still the public's.
    expect((await download(editorial.db, null, first)).kind).toBe('file');
    expect((await publishedEditorialFiles(editorial.db, itemId)).map((file) => file.id)).toEqual([first]);
    expect((await editorialFiles(editorial.db, itemId)).map((file) => file.id)).toEqual([first, added]);

    await publish(itemId);
    expect((await download(editorial.db, null, added)).kind).toBe('file');
    expect((await publishedEditorialFiles(editorial.db, itemId)).map((file) => file.id)).toEqual([first, added]);
    const history = await editorial.db.selectFrom('editorial_history').select(['action', 'detail']).where('item_id', '=', itemId).orderBy('id').execute();
    expect(history.filter((event) => event.action.startsWith('file')).map((event) => event.action)).toEqual(['fileAdded', 'fileAdded']);
    expect(history.find((event) => event.action === 'fileAdded')!.detail).toMatch(/\.pdf$/);
  });

  it('a file removed from a revision stays public until that revision is published, then is deleted', async () => {
    const itemId = await resource();
    const fileId = await attach(itemId);
    await publish(itemId);
    const file = (await findFile(editorial.db, fileId))!;
    await removeFile(editorial.db, file, { id: users.author.id, clientAddress: null });
    // Off the working copy, still the published version's: the public downloads it, nobody can remove it twice.
    expect((await findEditorialItem(editorial.db, itemId))!.state).toBe('draft');
    expect(await editorialFiles(editorial.db, itemId)).toEqual([]);
    expect((await publishedEditorialFiles(editorial.db, itemId)).map((kept) => kept.id)).toEqual([fileId]);
    expect((await download(editorial.db, null, fileId)).kind).toBe('file');
    expect(await fileAccess(editorial.db, users.editor, file)).toEqual({ may: 'read', remove: false, inline: false });

    await publish(itemId);
    expect(await findFile(editorial.db, fileId)).toBeUndefined();
    expect((await download(editorial.db, null, fileId)).kind).toBe('notFound');
    expect(await editorial.db.selectFrom('editorial_published_files').selectAll().execute()).toEqual([]);
    expect(await editorial.db.selectFrom('file_blobs').select('key').execute()).toEqual([]);
  });

  it('withdrawing ends every public download, and deletes files only the published version still held', async () => {
    const itemId = await resource();
    const kept = await attach(itemId);
    const dropped = await attach(itemId);
    await publish(itemId);
    await removeFile(editorial.db, (await findFile(editorial.db, dropped))!, { id: users.editor.id, clientAddress: null });
    expect((await download(editorial.db, null, dropped)).kind).toBe('file');
    expect((await withdrawEditorialItem(editorial.db, users.editor, { id: itemId, version: await versionOf(itemId), reason: 'Устарело' }, NOW)).ok).toBe(true);
    expect(await findFile(editorial.db, dropped)).toBeUndefined();
    expect((await download(editorial.db, null, kept)).kind).toBe('notFound');
    expect((await fileAccess(editorial.db, users.author, (await findFile(editorial.db, kept))!)).may).toBe('read');
    expect(await editorial.db.selectFrom('editorial_published_files').selectAll().execute()).toEqual([]);
  });

  it('a scheduled item given a file goes back to draft (its schedule was for the item as it was)', async () => {
    const itemId = await resource();
    expect((await scheduleEditorialItem(editorial.db, users.editor, { id: itemId, version: await versionOf(itemId), at: NOW + 3600 }, NOW)).ok).toBe(true);
    await attach(itemId, users.editor);
    const item = (await findEditorialItem(editorial.db, itemId))!;
    expect({ state: item.state, publishAt: item.publishAt }).toEqual({ state: 'draft', publishAt: null });
  });

  it('a text saved after a file was added still names the version it started from (the add moved it)', async () => {
    const itemId = await resource();
    const before = await versionOf(itemId);
    await attach(itemId);
    const text = (await findEditorialItem(editorial.db, itemId))!.texts.ru!;
    const stale = await saveEditorialText(editorial.db, users.author, { id: itemId, version: before, lang: 'ru', data: text.data, body: 'Другой текст.' }, NOW);
    expect(stale).toMatchObject({ ok: false, problem: 'stale' });
  });

  it('migration 0024 keeps public what was public: every file of an item public at the time', async () => {
    const published = await resource();
    const publicFile = await attach(published);
    await publish(published);
    const draft = await resource('draft-toolkit');
    const draftFile = await attach(draft);
    // Later migrations (0025…) are reverted with it and applied again.
    const reverted = await migrateDownTo(editorial.db, '0023_editorial_pages');
    expect(reverted).toContain('0024_editorial_published_files');
    expect(await migrateToLatest(editorial.db)).toEqual([...reverted].reverse());
    expect(await editorial.db.selectFrom('editorial_published_files').select(['item_id', 'file_id']).orderBy('item_id').execute()).toEqual([{ item_id: published, file_id: publicFile }]);
    expect((await download(editorial.db, null, publicFile)).kind).toBe('file');
    expect((await download(editorial.db, null, draftFile)).kind).toBe('notFound');
  });
});
