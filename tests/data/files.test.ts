import type { Kysely } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { insertUser } from '~/server/accounts/users.ts';
import type { CurrentUser } from '~/server/auth/lucia.ts';
import type { Database, Role } from '~/server/db/schema.ts';
import { withdrawResponse } from '~/server/exchange/responses.ts';
import { answerRequest, postRequest } from '~/server/exchange/workflows.ts';
import { deleteFile, filesAttachedTo, findFile, readFileBytes, townUsage, withinQuota } from '~/server/files/files.ts';
import type { PreparedFile } from '~/server/files/inspect.ts';
import { addDocument, listDocuments, removeDocument } from '~/server/files/library.ts';
import { canManageTownPhoto, fileAccess } from '~/server/files/rules.ts';
import { setTownPhoto, townPhoto } from '~/server/files/town-photo.ts';
import { findGroupById, type Group } from '~/server/groups/groups.ts';
import { joinGroup } from '~/server/groups/members.ts';
import { openGroup, replyInThread, startThread } from '~/server/groups/workflows.ts';
import type { Notifier } from '~/server/notifications/notifications.ts';
import { copyDatabase } from '~/server/db/copy.ts';
import { createTestDatabase } from '../helpers/database.ts';
import { testNotifier } from '../helpers/notified.ts';

/**
 * Shared files on a real database (SQLite and PostgreSQL): bytes stored and read back,
 * removal for everyone, the town quota, and who may download each kind of attachment —
 * exactly who may see what it is attached to.
 */

let db: Kysely<Database>;
let cleanup: () => Promise<void>;
let notifier: Notifier;
const towns: Record<string, number> = {};
const noCases = async () => new Map();

type Person = 'author' | 'colleague' | 'townAdmin' | 'otherTown' | 'lead' | 'member' | 'outsider' | 'editor';
const people = {} as Record<Person, CurrentUser>;
const files = {} as Record<string, number>;

const file = (name: string, text = `contents of ${name}`): PreparedFile => ({ name, mediaType: 'text/plain', bytes: new Uint8Array(Buffer.from(text, 'utf8')) });

async function town(slug: string): Promise<number> {
  const row = await db
    .insertInto('towns')
    .values({ slug, name_kk: `${slug}-kk`, name_ru: `${slug}-ru`, name_en: `${slug}-en`, region: 'karaganda', population: null, main_industry: null, founding_enterprise_kk: null, founding_enterprise_ru: null, founding_enterprise_en: null, economic_potential: null, created_at: 1, updated_at: 1 })
    .returning('id')
    .executeTakeFirstOrThrow();
  return (towns[slug] = row.id);
}

async function person(name: string, role: Role, townSlug: string | null): Promise<CurrentUser> {
  const townId = townSlug ? towns[townSlug]! : null;
  const id = await insertUser(db, { email: `${name.toLowerCase()}@example.org`, passwordHash: 'x', displayName: name, role, townId, language: 'en' }, 1);
  return { id, email: `${name}@example.org`, displayName: name, role, language: 'en', disabled: false, town: townSlug ? { id: townId!, slug: townSlug, name: { kk: townSlug, ru: townSlug, en: townSlug } } : null };
}

async function group(slug: string, visibility: 'open' | 'private'): Promise<Group> {
  const opened = await openGroup(db, { slug, name: { kk: slug, ru: slug, en: slug }, purpose: { kk: 'p', ru: 'p', en: 'p' }, topics: [], type: 'forum', visibility, rhythm: 'monthly', descriptionPublic: true }, { id: people.editor.id, displayName: 'Editor', clientAddress: '203.0.113.1' });
  if (!opened.ok) throw new Error('slug taken');
  await db.insertInto('group_members').values({ group_id: opened.id, user_id: people.lead.id, role: 'lead', joined_at: 1 }).execute();
  await joinGroup(db, opened.id, people.member.id);
  return (await findGroupById(db, opened.id))!;
}

const only = async (kind: Parameters<typeof filesAttachedTo>[1], id: number) => (await filesAttachedTo(db, kind, [id])).get(id)![0]!.id;

beforeEach(async () => {
  ({ db, cleanup } = await createTestDatabase());
  notifier = testNotifier(db);
  await town('temirtau');
  await town('ridder');
  people.author = await person('Gulnara', 'member', 'temirtau');
  people.colleague = await person('Aliya', 'member', 'temirtau');
  people.townAdmin = await person('Serik', 'town_admin', 'temirtau');
  people.otherTown = await person('Bolat', 'member', 'ridder');
  people.lead = await person('Lead', 'member', 'ridder');
  people.member = await person('Member', 'member', 'temirtau');
  people.outsider = await person('Outsider', 'member', 'ridder');
  people.editor = await person('Editor', 'editor', null);

  const input = { title: 'District heating', body: 'Our network is old.', helpForms: ['advice' as const], topics: ['utilities-housing'], languages: ['ru' as const], urgency: 'normal' as const, deadline: null };
  const author = { id: people.author.id, townId: towns.temirtau!, townName: 'Temirtau' };
  const upload = (name: string) => ({ files: [file(name)], townId: towns.temirtau! });
  const published = await postRequest(db, notifier, { author, input, publish: true, caseCounts: noCases, upload: upload('request.txt') });
  files.request = await only('request', published);
  const draft = await postRequest(db, notifier, { author, input, publish: false, caseCounts: noCases, upload: upload('draft.txt') });
  files.draft = await only('request', draft);
  const request = (await import('~/server/exchange/requests.ts')).getRequest;
  const responseId = await answerRequest(db, notifier, { request: (await request(db, published))!, author: { id: people.otherTown.id, townId: towns.ridder!, townName: 'Ridder' }, body: 'We did this.', links: [], upload: { files: [file('answer.txt')], townId: towns.ridder! } });
  files.response = await only('response', responseId);
  const withdrawnId = await answerRequest(db, notifier, { request: (await request(db, published))!, author: { id: people.otherTown.id, townId: towns.ridder!, townName: 'Ridder' }, body: 'On second thought.', links: [], upload: { files: [file('withdrawn.txt')], townId: towns.ridder! } });
  await withdrawResponse(db, { id: withdrawnId, requestId: published, authorId: people.otherTown.id });
  files.withdrawn = await only('response', withdrawnId);

  const open = await group('heating', 'open');
  const threadId = await startThread(db, notifier, { group: open, author: people.lead, title: 'Tariffs', body: 'Slides attached.', upload: { files: [file('slides.txt')], townId: towns.ridder! } });
  files.thread = await only('thread', threadId);
  const reply = await replyInThread(db, notifier, { group: open, thread: { id: threadId, title: 'Tariffs' }, author: people.member, body: 'Ours.', upload: { files: [file('reply.txt')], townId: towns.temirtau! } });
  if (!reply.ok) throw new Error(reply.problem);
  await db.updateTable('group_replies').set({ hidden_at: 5, hidden_by: people.lead.id, hidden_reason: 'Off topic' }).where('id', '=', reply.replyId).execute();
  files.hiddenReply = await only('reply', reply.replyId);
  const documentId = await addDocument(db, { groupId: open.id, title: 'Tender template', description: 'For heat meters.', file: file('tender.txt'), author: { id: people.member.id, townId: towns.temirtau! } });
  files.document = await only('document', documentId);

  const closed = await group('secret', 'private');
  const secretThread = await startThread(db, notifier, { group: closed, author: people.lead, title: 'Budget', body: 'Draft budget.', upload: { files: [file('budget.txt')], townId: towns.ridder! } });
  files.privateThread = await only('thread', secretThread);

  files.photo = await setTownPhoto(db, towns.temirtau!, { name: 'emblem.png', mediaType: 'image/png', bytes: new Uint8Array([1, 2, 3]) }, people.townAdmin.id);
});
afterEach(() => cleanup());

describe('who may download a file', () => {
  // One row per file; one column per viewer: read (200), forbidden (403), notFound (404), signIn (303).
  const table: Array<[string, Partial<Record<Person | 'public', string>>]> = [
    ['request', { public: 'signIn', author: 'read', colleague: 'read', otherTown: 'read', outsider: 'read', editor: 'read' }],
    ['draft', { public: 'signIn', author: 'read', colleague: 'read', otherTown: 'notFound', editor: 'notFound' }],
    ['response', { public: 'signIn', author: 'read', otherTown: 'read', outsider: 'read', editor: 'read' }],
    ['withdrawn', { author: 'notFound', otherTown: 'read', outsider: 'notFound', editor: 'read' }],
    ['thread', { public: 'signIn', lead: 'read', member: 'read', outsider: 'forbidden', author: 'forbidden', editor: 'read' }],
    ['hiddenReply', { lead: 'read', member: 'read', otherTown: 'forbidden', editor: 'read' }],
    ['document', { public: 'signIn', lead: 'read', member: 'read', outsider: 'forbidden', editor: 'read' }],
    ['privateThread', { public: 'signIn', lead: 'read', member: 'read', outsider: 'notFound', author: 'notFound', editor: 'read' }],
    ['photo', { public: 'read', outsider: 'read', townAdmin: 'read' }],
  ];
  for (const [name, expected] of table) {
    it(`${name}: ${Object.entries(expected).map(([who, may]) => `${who} ${may}`).join(', ')}`, async () => {
      const stored = (await findFile(db, files[name]!))!;
      for (const [who, may] of Object.entries(expected)) {
        const viewer = who === 'public' ? null : people[who as Person];
        expect((await fileAccess(db, viewer, stored)).may, `${name} for ${who}`).toBe(may);
      }
    });
  }

  it('a hidden reply’s file is gone for members other than its author and the group’s moderators', async () => {
    const stored = (await findFile(db, files.hiddenReply!))!;
    const memberTwo = await person('Second', 'member', 'ridder');
    await joinGroup(db, (await db.selectFrom('groups').select('id').where('slug', '=', 'heating').executeTakeFirstOrThrow()).id, memberTwo.id);
    expect((await fileAccess(db, memberTwo, stored)).may).toBe('notFound');
    expect(await fileAccess(db, people.member, stored)).toEqual({ may: 'read', remove: true, inline: false });
  });

  it('only a town’s photo is shown inline; everything else is a download', async () => {
    expect(await fileAccess(db, null, (await findFile(db, files.photo!))!)).toMatchObject({ may: 'read', inline: true, remove: false });
    expect(await fileAccess(db, people.author, (await findFile(db, files.request!))!)).toMatchObject({ may: 'read', inline: false });
  });

  it('the uploader and moderators may remove a file; other readers may not', async () => {
    const remove = async (name: string, who: Person) => {
      const access = await fileAccess(db, people[who], (await findFile(db, files[name]!))!);
      return access.may === 'read' && access.remove;
    };
    expect(await remove('request', 'author')).toBe(true);
    expect(await remove('request', 'colleague')).toBe(false);
    expect(await remove('request', 'otherTown')).toBe(false);
    expect(await remove('request', 'editor')).toBe(true);
    expect(await remove('thread', 'lead')).toBe(true);
    expect(await remove('thread', 'member')).toBe(false);
    expect(await remove('document', 'member')).toBe(true);
    expect(await remove('photo', 'townAdmin')).toBe(true);
    expect(await remove('photo', 'author')).toBe(false);
    expect(await remove('photo', 'editor')).toBe(true);
  });

  it('a town’s photo is changed by its administrator and editors only', () => {
    expect(canManageTownPhoto(people.townAdmin, towns.temirtau!)).toBe(true);
    expect(canManageTownPhoto(people.townAdmin, towns.ridder!)).toBe(false);
    expect(canManageTownPhoto(people.author, towns.temirtau!)).toBe(false);
    expect(canManageTownPhoto(people.editor, towns.ridder!)).toBe(true);
    expect(canManageTownPhoto(null, towns.temirtau!)).toBe(false);
  });
});

describe('stored files', () => {
  it('keep their bytes exactly, in the database', async () => {
    const bytes = new Uint8Array(256 * 1024).map((_, n) => (n * 7) % 256);
    const documentId = await addDocument(db, { groupId: (await db.selectFrom('groups').select('id').where('slug', '=', 'heating').executeTakeFirstOrThrow()).id, title: 'Binary', description: '', file: { name: 'b.pdf', mediaType: 'application/pdf', bytes }, author: { id: people.member.id, townId: towns.temirtau! } });
    const id = await only('document', documentId);
    expect(Buffer.from((await readFileBytes(db, id))!).equals(Buffer.from(bytes))).toBe(true);
    expect(await findFile(db, id)).toMatchObject({ name: 'b.pdf', mediaType: 'application/pdf', size: bytes.byteLength, townId: towns.temirtau, uploaderId: people.member.id, attachedKind: 'document', attachedId: documentId });
  });

  it('a removed file is gone for everyone: its row and its bytes', async () => {
    const blobs = async () => Number((await db.selectFrom('file_blobs').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    const before = await blobs();
    expect(await deleteFile(db, files.request!)).toBe(true);
    expect(await findFile(db, files.request!)).toBeUndefined();
    expect(await readFileBytes(db, files.request!)).toBeUndefined();
    expect(await blobs()).toBe(before - 1);
    expect(await deleteFile(db, files.request!)).toBe(false);
  });

  it('removing a library document removes its file', async () => {
    const groupId = (await db.selectFrom('groups').select('id').where('slug', '=', 'heating').executeTakeFirstOrThrow()).id;
    const [document] = await listDocuments(db, groupId);
    expect(document).toMatchObject({ title: 'Tender template', description: 'For heat meters.', authorName: 'Member', file: { id: files.document } });
    await removeDocument(db, document!.id);
    expect(await listDocuments(db, groupId)).toEqual([]);
    expect(await findFile(db, files.document!)).toBeUndefined();
  });

  it('a new town photo replaces the old one, bytes and all', async () => {
    const second = await setTownPhoto(db, towns.temirtau!, { name: 'new.png', mediaType: 'image/png', bytes: new Uint8Array([9, 9]) }, people.editor.id);
    expect((await townPhoto(db, towns.temirtau!))?.id).toBe(second);
    expect(await findFile(db, files.photo!)).toBeUndefined();
    expect((await filesAttachedTo(db, 'town_photo', [towns.temirtau!])).get(towns.temirtau!)).toHaveLength(1);
  });

  it('count against the quota of the uploader’s town', async () => {
    const used = await townUsage(db, towns.temirtau!);
    // request.txt, draft.txt, reply.txt, tender.txt and the 3-byte photo, all Temirtau's.
    const expected = ['request.txt', 'draft.txt', 'reply.txt', 'tender.txt'].reduce((sum, name) => sum + file(name).bytes.byteLength, 3);
    expect(used).toBe(expected);
    expect(await withinQuota(db, towns.temirtau!, 10, used + 10)).toBe(true);
    expect(await withinQuota(db, towns.temirtau!, 11, used + 10)).toBe(false);
    // An editor without a town is not counted against any.
    expect(await withinQuota(db, null, 10 ** 9, 1)).toBe(true);
  });

  it('move with the database when it is copied to another (a few blobs per batch), bytes intact', async () => {
    const bytes = new Uint8Array(64 * 1024).map((_, n) => (n * 13) % 256);
    const groupId = (await db.selectFrom('groups').select('id').where('slug', '=', 'heating').executeTakeFirstOrThrow()).id;
    for (let n = 0; n < 6; n++) await addDocument(db, { groupId, title: `Binary ${n}`, description: '', file: { name: `b${n}.pdf`, mediaType: 'application/pdf', bytes }, author: { id: people.member.id, townId: towns.temirtau! } });
    const target = await createTestDatabase();
    try {
      await copyDatabase(db, target.db);
      const sourceFiles = await db.selectFrom('files').select(['id', 'name', 'size']).orderBy('id').execute();
      expect(await target.db.selectFrom('files').select(['id', 'name', 'size']).orderBy('id').execute()).toEqual(sourceFiles);
      for (const row of sourceFiles) {
        expect(Buffer.from((await readFileBytes(target.db, row.id))!).equals(Buffer.from((await readFileBytes(db, row.id))!)), row.name).toBe(true);
      }
    } finally {
      await target.cleanup();
    }
  });
});
