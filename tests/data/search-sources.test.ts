import { sql, type Kysely } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { insertUser } from '~/server/accounts/users.ts';
import { disableAccount, setDisabled } from '~/server/accounts/administration.ts';
import { updateOwnProfile } from '~/server/accounts/profiles.ts';
import type { CurrentUser } from '~/server/auth/lucia.ts';
import { findCase } from '~/server/cases/cases.ts';
import { reviewCase, takeCaseDown, writeCase } from '~/server/cases/workflows.ts';
import type { Database, Role } from '~/server/db/schema.ts';
import { addResponse, editResponse, setResponseHidden, withdrawResponse } from '~/server/exchange/responses.ts';
import { changeRequestStatus, createRequest, setRequestHidden, updateRequest, withdrawRequest, type RequestInput } from '~/server/exchange/requests.ts';
import { findGroupById, type GroupInput } from '~/server/groups/groups.ts';
import { joinGroup } from '~/server/groups/members.ts';
import { archiveGroup, editGroup, moderateReply, moderateThread, openGroup, replyInThread, scheduleMeeting, startThread, type GroupActor } from '~/server/groups/workflows.ts';
import { addValue, correctValue, publishTownValues } from '~/server/indicators/values.ts';
import type { Notifier } from '~/server/notifications/notifications.ts';
import { searchReaderFor } from '~/server/search/audiences.ts';
import { resyncDatabaseSources, syncSearchAtStart } from '~/server/search/sources/index.ts';
import { syncReleaseDocuments } from '~/server/search/sources/release.ts';
import { saveTownProfile } from '~/server/towns/profile.ts';
import type { SearchDocument } from '~/server/search/documents.ts';
import { createTestDatabase } from '../helpers/database.ts';
import { completeCase, membershipApplication } from '../helpers/fixtures.ts';
import { testNotifier } from '../helpers/notified.ts';
import { createMailer } from '~/server/mail/mailer.ts';
import { approveApplication, submitApplication } from '~/server/membership/applications.ts';
import { seedDemoData } from '../../db/seed/index.ts';

/**
 * The permission boundary of search, source by source: what each write leaves in
 * search_documents, and what a visitor, a member of another town, a group's member and an
 * editor could find with the audience filter the search engine uses. Runs on SQLite and
 * PostgreSQL.
 */

let db: Kysely<Database>;
let cleanup: () => Promise<void>;
let notifier: Notifier;
let towns: { serebryansk: number; temirtau: number };
let people: Record<'author' | 'colleague' | 'other' | 'insider' | 'editor', CurrentUser>;
const ADDRESS = '203.0.113.7';
const VISITOR = null;

async function user(email: string, role: Role, townId: number | null): Promise<CurrentUser> {
  const id = await insertUser(db, { email, passwordHash: 'x', displayName: email.split('@')[0]!, role, townId, language: 'en' }, 1);
  const town = townId === null ? null : { id: townId, slug: townId === towns.serebryansk ? 'serebryansk' : 'temirtau', name: { kk: 'x', ru: 'x', en: 'x' } };
  return { id, email, displayName: email.split('@')[0]!, role, language: 'en', disabled: false, town };
}
const actor = (person: CurrentUser): GroupActor => ({ id: person.id, displayName: person.displayName, clientAddress: ADDRESS });

async function town(slug: string, names: { kk: string; ru: string; en: string }): Promise<number> {
  const row = await db
    .insertInto('towns')
    .values({ slug, name_kk: names.kk, name_ru: names.ru, name_en: names.en, region: 'karaganda', population: 130_000, main_industry: null, founding_enterprise_kk: null, founding_enterprise_ru: null, founding_enterprise_en: null, economic_potential: null, created_at: 1, updated_at: 1 })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** The keys a reader could find among `keys` like `prefix%`: the engine's filter, audience in (…). */
async function findable(reader: CurrentUser | null, prefix: string): Promise<string[]> {
  const { audiences, everyGroup } = await searchReaderFor(db, reader);
  const rows = await db
    .selectFrom('search_documents')
    .select('key')
    .where('key', 'like', `${prefix}%`)
    .where((eb) => eb.or([eb('audience', 'in', audiences), ...(everyGroup ? [eb('audience', 'like', 'group:%')] : [])]))
    .orderBy('key')
    .execute();
  return rows.map((row) => row.key);
}

const rowsOf = (prefix: string) => db.selectFrom('search_documents').select(['key', 'audience', 'section', 'path', 'lang']).where('key', 'like', `${prefix}%`).orderBy('key').execute();
const everything = () => db.selectFrom('search_documents').select(['key', 'source', 'section', 'lang', 'path', 'title', 'summary', 'body', 'topics', 'audience', 'published_at']).orderBy('key').execute();

beforeEach(async () => {
  ({ db, cleanup } = await createTestDatabase());
  notifier = testNotifier(db);
  towns = { serebryansk: 0, temirtau: 0 };
  towns.serebryansk = await town('serebryansk', { kk: 'Серебрянск', ru: 'Серебрянск', en: 'Serebryansk' });
  towns.temirtau = await town('temirtau', { kk: 'Теміртау', ru: 'Темиртау', en: 'Temirtau' });
  people = {
    author: await user('author@example.org', 'member', towns.serebryansk),
    colleague: await user('colleague@example.org', 'town_admin', towns.serebryansk),
    other: await user('other@example.org', 'member', towns.temirtau),
    insider: await user('insider@example.org', 'member', towns.temirtau),
    editor: await user('editor@example.org', 'editor', null),
  };
});
afterEach(() => cleanup());

describe('town profiles', () => {
  it('an approved profile edit is findable at once in every language, by any of its names, by everyone', async () => {
    const saved = await saveTownProfile(db, {
      townId: towns.temirtau,
      editor: people.editor,
      input: {
        names: { kk: 'Теміртау', ru: 'Темиртау', en: 'Temirtau' },
        descriptions: { kk: null, ru: 'Город металлургов на Самаркандском водохранилище.', en: null },
        enterprises: { kk: null, ru: 'Карагандинский металлургический комбинат', en: 'Karaganda Metallurgical Plant' },
        population: 170_000,
        populationYear: 2024,
        mainIndustry: null,
        potential: null,
        address: null,
        phone: null,
        email: null,
        website: null,
      },
    });
    expect(saved.ok).toBe(true);
    const documents = await db.selectFrom('search_documents').selectAll().where('source', '=', 'towns').where('key', 'like', 'towns:temirtau:%').orderBy('key').execute();
    expect(documents.map((document) => [document.key, document.audience, document.path, document.title])).toEqual([
      ['towns:temirtau:en', 'public', '/towns/temirtau/', 'Temirtau'],
      ['towns:temirtau:kk', 'public', '/towns/temirtau/', 'Теміртау'],
      ['towns:temirtau:ru', 'public', '/towns/temirtau/', 'Темиртау'],
    ]);
    // Every version names the town in every language and by its address, so "temirtau" and "Теміртау" find it from any page.
    for (const document of documents) expect(document.body).toContain('Теміртау Темиртау Temirtau temirtau');
    expect(documents.find((document) => document.lang === 'en')!.body).toContain('Karaganda Metallurgical Plant');
    // The Russian description stands in where no English one is written.
    expect(documents.find((document) => document.lang === 'en')!.body).toContain('Город металлургов');
    expect(await findable(VISITOR, 'towns:temirtau:')).toHaveLength(3);
  });

  it('a town that joins through an approved application is findable at once, by the name it applied with', async () => {
    const mailer = createMailer(db, { smtpUrl: undefined, from: 'Qala <no-reply@localhost>' });
    await submitApplication(db, mailer, membershipApplication({ townName: 'Baikonur', email: 'akimat@baikonur.example.kz' }), ADDRESS);
    const { id } = await db.selectFrom('membership_applications').select('id').executeTakeFirstOrThrow();
    expect(await approveApplication(db, mailer, { applicationId: id, editorId: people.editor.id, existingTownId: null, baseUrl: 'http://localhost', clientAddress: ADDRESS })).toEqual({ ok: true });
    const documents = await db.selectFrom('search_documents').select(['key', 'title', 'audience', 'body']).where('key', 'like', 'towns:baikonur:%').orderBy('key').execute();
    expect(documents.map((document) => [document.key, document.title, document.audience])).toEqual([
      ['towns:baikonur:en', 'Baikonur', 'public'],
      ['towns:baikonur:kk', 'Baikonur', 'public'],
      ['towns:baikonur:ru', 'Baikonur', 'public'],
    ]);
  });

  it('published figures make the town’s figures page findable; unpublished ones do not', async () => {
    expect((await addValue(db, { townId: towns.serebryansk, indicator: 'population', period: 2023, value: 9000, sourceNote: 'stat.gov.kz' }, people.colleague.id)).ok).toBe(true);
    expect(await rowsOf('indicator-values:')).toEqual([]);
    await publishTownValues(db, towns.serebryansk, people.colleague.id);
    expect((await rowsOf('indicator-values:serebryansk:')).map((row) => [row.key, row.audience, row.path])).toEqual([
      ['indicator-values:serebryansk:en', 'public', '/towns/serebryansk/indicators/'],
      ['indicator-values:serebryansk:kk', 'public', '/towns/serebryansk/indicators/'],
      ['indicator-values:serebryansk:ru', 'public', '/towns/serebryansk/indicators/'],
    ]);
    await correctValue(db, { townId: towns.serebryansk, indicator: 'population', period: 2023, value: 9100, sourceNote: 'stat.gov.kz' }, people.colleague.id);
    const english = await db.selectFrom('search_documents').select('body').where('key', '=', 'indicator-values:serebryansk:en').executeTakeFirstOrThrow();
    expect(english.body).toMatch(/9,100/);
  });
});

describe('member cases', () => {
  async function submitted(): Promise<{ id: number; version: number }> {
    const started = await writeCase(db, notifier, people.author, { version: 1, content: completeCase(), submit: true, clientAddress: ADDRESS });
    if (!started.ok) throw new Error(started.problem);
    return { id: started.id, version: (await findCase(db, started.id))!.version };
  }

  it('a draft or a case under review has no document; approval makes it public, withdrawal removes it', async () => {
    const { id, version } = await submitted();
    expect(await rowsOf('member-cases:')).toEqual([]);
    const approved = await reviewCase(db, notifier, people.editor, { id, version, decision: 'approve', reason: null, reservedSlugs: new Set(), clientAddress: ADDRESS });
    if (!approved.ok) throw new Error(approved.problem);
    expect(await rowsOf('member-cases:')).toEqual([{ key: `member-cases:${id}:en`, audience: 'public', section: 'cases', path: `/cases/${approved.slug}/`, lang: 'en' }]);
    expect(await findable(VISITOR, 'member-cases:')).toEqual([`member-cases:${id}:en`]);
    await takeCaseDown(db, notifier, people.editor, { id, reason: 'Figures to check', clientAddress: ADDRESS });
    expect(await rowsOf('member-cases:')).toEqual([]);
  });

  it('a rejected case never has a document', async () => {
    const { id, version } = await submitted();
    await reviewCase(db, notifier, people.editor, { id, version, decision: 'reject', reason: 'Not a case', reservedSlugs: new Set(), clientAddress: ADDRESS });
    expect(await rowsOf('member-cases:')).toEqual([]);
  });
});

describe('working groups', () => {
  const input = (visibility: GroupInput['visibility'], descriptionPublic = true): GroupInput => ({
    slug: 'heating',
    name: { kk: 'Жылумен жабдықтау', ru: 'Теплоснабжение', en: 'Heating' },
    purpose: { kk: 'Жылу желілері', ru: 'Тепловые сети', en: 'Heating networks' },
    topics: ['utilities-housing'],
    type: 'forum',
    visibility,
    rhythm: 'monthly',
    descriptionPublic,
  });

  async function groupOf(visibility: GroupInput['visibility'], descriptionPublic = true) {
    const opened = await openGroup(db, input(visibility, descriptionPublic), actor(people.editor));
    if (!opened.ok) throw new Error(opened.problem);
    await db.insertInto('group_members').values({ group_id: opened.id, user_id: people.insider.id, role: 'lead', joined_at: 1 }).execute();
    return (await findGroupById(db, opened.id))!;
  }

  it('a new public group is findable by everyone at once; its purpose only when the lead made it public', async () => {
    const group = await groupOf('open', false);
    const rows = await db.selectFrom('search_documents').select(['key', 'audience', 'summary', 'body']).where('source', '=', 'groups').orderBy('key').execute();
    expect(rows.map((row) => [row.key, row.audience])).toEqual(['en', 'kk', 'ru'].map((lang) => [`groups:${group.id}:${lang}`, 'public']));
    for (const row of rows) expect(`${row.summary} ${row.body}`).not.toMatch(/сети|networks|желілері/);
    await editGroup(db, group.id, input('open', true), actor(people.editor));
    const english = await db.selectFrom('search_documents').select('summary').where('key', '=', `groups:${group.id}:en`).executeTakeFirstOrThrow();
    expect(english.summary).toBe('Heating networks');
  });

  it('a private group and everything in it are for its members only; audiences follow when it opens and closes again', async () => {
    const group = await groupOf('private');
    const threadId = await startThread(db, notifier, { group, author: actor(people.insider), title: 'Тарифы на тепло', body: 'Как вы считаете **тарифы**?' });
    const meetingId = await scheduleMeeting(db, notifier, { group, title: 'Winter readiness call', startsAt: 2_000_000_000, durationMinutes: 60, place: null, link: null, agenda: 'Boilers', createdBy: people.insider.id, isPublic: true });
    const all = [`groups:${group.id}:en`, `groups:${group.id}:kk`, `groups:${group.id}:ru`, `meetings:${meetingId}:en`, `threads:${threadId}:ru`];
    const inGroup = async (reader: CurrentUser | null) => [...(await findable(reader, 'groups:')), ...(await findable(reader, 'meetings:')), ...(await findable(reader, 'threads:'))];
    expect(await inGroup(VISITOR)).toEqual([]);
    expect(await inGroup(people.other)).toEqual([]);
    expect(await inGroup(people.insider)).toEqual(all);
    expect(await inGroup(people.editor)).toEqual(all);
    // Nothing of a private group is public or for all members.
    expect(await db.selectFrom('search_documents').select('key').where('audience', 'in', ['public', 'members', 'signed_in']).where('key', 'in', all).execute()).toEqual([]);

    // Opened: its name is public; threads stay with its members; the meeting the lead opened joins the public calendar.
    await editGroup(db, group.id, input('open'), actor(people.editor));
    expect(await inGroup(VISITOR)).toEqual([`groups:${group.id}:en`, `groups:${group.id}:kk`, `groups:${group.id}:ru`]);
    expect(await findable(people.other, 'threads:')).toEqual([]);
    // The meeting was made while the group was private, so it was never marked public (scheduleMeeting's rule).
    expect(await findable(VISITOR, 'meetings:')).toEqual([]);
    const publicMeeting = await scheduleMeeting(db, notifier, { group: (await findGroupById(db, group.id))!, title: 'Open call', startsAt: 2_000_000_000, durationMinutes: 60, place: 'Akimat', link: null, agenda: '', createdBy: people.insider.id, isPublic: true });
    expect(await findable(VISITOR, 'meetings:')).toEqual([`meetings:${publicMeeting}:en`]);

    // Closed again: the name, the public meeting and all leave the public.
    await editGroup(db, group.id, input('private'), actor(people.editor));
    expect(await inGroup(VISITOR)).toEqual([]);
    expect(await inGroup(people.other)).toEqual([]);
    expect(await findable(people.insider, 'meetings:')).toEqual([`meetings:${meetingId}:en`, `meetings:${publicMeeting}:en`]);
  });

  it('an archived group’s public meetings leave the public calendar and come back when it is restored', async () => {
    const group = await groupOf('open');
    const meetingId = await scheduleMeeting(db, notifier, { group, title: 'Open call', startsAt: 2_000_000_000, durationMinutes: 60, place: null, link: null, agenda: '', createdBy: people.insider.id, isPublic: true });
    expect(await findable(VISITOR, 'meetings:')).toEqual([`meetings:${meetingId}:en`]);
    await archiveGroup(db, group.id, true, actor(people.editor));
    expect(await findable(VISITOR, 'meetings:')).toEqual([]);
    await archiveGroup(db, group.id, false, actor(people.editor));
    expect(await findable(VISITOR, 'meetings:')).toEqual([`meetings:${meetingId}:en`]);
  });

  it('threads and replies of an open group are for its members; hidden ones are removed, shown ones come back', async () => {
    const group = await groupOf('open');
    await joinGroup(db, group.id, people.author.id);
    const threadId = await startThread(db, notifier, { group, author: actor(people.insider), title: 'Жылу тарифтері', body: 'Жылу беру маусымы қалай өтті?' });
    const reply = await replyInThread(db, notifier, { group, thread: { id: threadId, title: 'Жылу тарифтері' }, author: actor(people.author), body: 'We replaced two boilers.' });
    if (!reply.ok) throw new Error(reply.problem);
    const both = [`replies:${reply.replyId}:en`, `threads:${threadId}:kk`];
    const posts = async (reader: CurrentUser | null) => [...(await findable(reader, 'replies:')), ...(await findable(reader, 'threads:'))];
    expect(await posts(people.author)).toEqual(both);
    expect(await posts(people.editor)).toEqual(both);
    expect(await posts(VISITOR)).toEqual([]);
    expect(await posts(people.other)).toEqual([]);
    expect((await rowsOf('threads:')).map((row) => row.audience)).toEqual([`group:${group.id}`]);

    await moderateReply(db, { groupId: group.id, threadId, replyId: reply.replyId, act: 'hide', reason: 'Off topic', actor: actor(people.insider) });
    expect(await posts(people.author)).toEqual([`threads:${threadId}:kk`]);
    await moderateReply(db, { groupId: group.id, threadId, replyId: reply.replyId, act: 'show', reason: '', actor: actor(people.insider) });
    expect(await posts(people.author)).toEqual(both);

    // A hidden thread takes its replies with it.
    await moderateThread(db, { groupId: group.id, threadId, act: 'hide', reason: 'Spam', actor: actor(people.insider) });
    expect(await rowsOf('threads:')).toEqual([]);
    expect(await rowsOf('replies:')).toEqual([]);
    expect(await posts(people.editor)).toEqual([]);
    await moderateThread(db, { groupId: group.id, threadId, act: 'show', reason: '', actor: actor(people.insider) });
    expect(await posts(people.author)).toEqual(both);
  });
});

describe('the expertise exchange', () => {
  const request: RequestInput = {
    title: 'Снижение потерь в тепловых сетях',
    body: 'Ищем опыт по **теплоснабжению** и замене труб.',
    helpForms: ['advice'],
    topics: ['utilities-housing'],
    languages: ['ru'],
    urgency: 'normal',
    deadline: null,
  };

  it('a draft has no document; a published request is for members only; hidden or withdrawn it is removed', async () => {
    const id = await createRequest(db, { townId: towns.serebryansk, authorId: people.author.id, input: request, publish: false });
    expect(await rowsOf('requests:')).toEqual([]);
    await updateRequest(db, id, { actorId: people.author.id, input: request, publish: true });
    expect(await rowsOf('requests:')).toEqual([{ key: `requests:${id}:ru`, audience: 'members', section: 'exchange', path: `/exchange/${id}/`, lang: 'ru' }]);
    expect(await findable(VISITOR, 'requests:')).toEqual([]);
    expect(await findable(people.other, 'requests:')).toEqual([`requests:${id}:ru`]);

    await setRequestHidden(db, id, { actorId: people.editor.id, reason: 'Advertising' });
    expect(await rowsOf('requests:')).toEqual([]);
    await setRequestHidden(db, id, { actorId: people.editor.id, reason: null });
    expect(await findable(people.other, 'requests:')).toEqual([`requests:${id}:ru`]);
    await changeRequestStatus(db, id, { actorId: people.author.id, status: 'in_progress' });
    expect(await findable(people.other, 'requests:')).toEqual([`requests:${id}:ru`]);
    await withdrawRequest(db, id, people.author.id);
    expect(await rowsOf('requests:')).toEqual([]);
  });

  it('responses are for members; withdrawn or hidden ones, and those of a hidden request, are removed', async () => {
    const id = await createRequest(db, { townId: towns.serebryansk, authorId: people.author.id, input: request, publish: true });
    const first = await addResponse(db, { requestId: id, authorId: people.other.id, townId: towns.temirtau, body: 'We used pre-insulated pipes.', links: [] });
    const second = await addResponse(db, { requestId: id, authorId: people.insider.id, townId: towns.temirtau, body: 'Мы меняли трубы по программе.', links: [] });
    expect(await rowsOf('responses:')).toEqual([
      { key: `responses:${first}:en`, audience: 'members', section: 'exchange', path: `/exchange/${id}/#response-${first}`, lang: 'en' },
      { key: `responses:${second}:ru`, audience: 'members', section: 'exchange', path: `/exchange/${id}/#response-${second}`, lang: 'ru' },
    ]);
    expect(await findable(VISITOR, 'responses:')).toEqual([]);
    await editResponse(db, first, { body: 'Предизолированные трубы.', links: [] });
    expect((await rowsOf('responses:')).map((row) => row.key)).toEqual([`responses:${first}:ru`, `responses:${second}:ru`]);
    await withdrawResponse(db, { id: first, requestId: id, authorId: people.other.id });
    await setResponseHidden(db, { id: second, requestId: id }, { actorId: people.editor.id, reason: 'Rude' });
    expect(await rowsOf('responses:')).toEqual([]);
    await setResponseHidden(db, { id: second, requestId: id }, { actorId: people.editor.id, reason: null });
    expect((await rowsOf('responses:')).map((row) => row.key)).toEqual([`responses:${second}:ru`]);
    await setRequestHidden(db, id, { actorId: people.editor.id, reason: 'Advertising' });
    expect(await rowsOf('responses:')).toEqual([]);
  });
});

describe('members’ profiles', () => {
  it('are for members; a closed account leaves search and comes back when reopened', async () => {
    const key = (lang: string) => `members:${people.other.id}:${lang}`;
    expect(await findable(VISITOR, 'members:')).toEqual([]);
    expect(await findable(people.author, `members:${people.other.id}`)).toEqual([key('en')]);
    await updateOwnProfile(db, people.other.id, { displayName: 'Асель Омарова', position: 'Бас маман', languagesSpoken: ['kk'], expertiseTopics: ['utilities-housing'], expertiseKeywords: 'жылу желілері, қазандықтар', bio: null, contactable: false });
    const profile = await db.selectFrom('search_documents').selectAll().where('key', 'like', `members:${people.other.id}:%`).executeTakeFirstOrThrow();
    expect([profile.key, profile.title, profile.audience, profile.topics]).toEqual([key('kk'), 'Асель Омарова', 'members', 'utilities-housing']);
    // The email address is never indexed: who may see it depends on the reader.
    expect(JSON.stringify(profile)).not.toContain('other@example.org');
    await disableAccount(db, { invalidateUserSessions: async () => {} } as never, { actorId: people.editor.id, userId: people.other.id, clientAddress: ADDRESS });
    expect(await rowsOf(`members:${people.other.id}`)).toEqual([]);
    const admin = await user('admin@example.org', 'admin', null);
    await setDisabled(db, { invalidateUserSessions: async () => {} } as never, { actor: admin, userId: people.other.id, disabled: false, clientAddress: ADDRESS });
    expect((await rowsOf(`members:${people.other.id}`)).map((row) => row.key)).toEqual([key('kk')]);
  });
});

describe('resyncing', () => {
  it('the demo seed leaves a fully indexed database', async () => {
    // The seed fills an empty database: start from one.
    await cleanup();
    ({ db, cleanup } = await createTestDatabase());
    expect(await seedDemoData(db)).toBe(true);
    const count = async (source: string) => Number((await db.selectFrom('search_documents').select((eb) => eb.fn.countAll<number>().as('n')).where('source', '=', source).executeTakeFirstOrThrow()).n);
    const townCount = Number((await db.selectFrom('towns').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    expect(await count('towns')).toBe(townCount * 3);
    for (const source of ['indicator-values', 'member-cases', 'groups', 'threads', 'meetings', 'requests', 'responses', 'members']) expect(await count(source), source).toBeGreaterThan(0);
    const seeded = await everything();
    await resyncDatabaseSources(db);
    expect(await everything()).toEqual(seeded);
  }, 120_000);

  it('a full resync writes exactly what the writes left, so start-up, the seed and `search reindex` agree with them', async () => {
    const id = await createRequest(db, { townId: towns.serebryansk, authorId: people.author.id, input: { title: 'Water meters', body: 'Who installed smart meters?', helpForms: ['advice'], topics: ['utilities-housing'], languages: ['en'], urgency: 'normal', deadline: null }, publish: true });
    await addResponse(db, { requestId: id, authorId: people.other.id, townId: towns.temirtau, body: 'We did, in 2022.', links: [] });
    const opened = await openGroup(db, { slug: 'water', name: { kk: 'Су', ru: 'Вода', en: 'Water' }, purpose: { kk: 'Су', ru: 'Вода', en: 'Water' }, topics: [], type: 'forum', visibility: 'private', rhythm: 'monthly', descriptionPublic: false }, actor(people.editor));
    if (!opened.ok) throw new Error(opened.problem);
    await startThread(db, notifier, { group: (await findGroupById(db, opened.id))!, author: actor(people.editor), title: 'Meters', body: 'Tenders' });
    await addValue(db, { townId: towns.temirtau, indicator: 'population', period: 2023, value: 170000, sourceNote: 'stat' }, people.editor.id);
    await publishTownValues(db, towns.temirtau, people.editor.id);
    const incremental = await everything();
    const written = await resyncDatabaseSources(db);
    // Towns written straight into the table (as the seed does) are found only by the resync.
    expect(written.towns).toBe(6);
    expect((await everything()).filter((row) => row.source !== 'towns')).toEqual(incremental);
  });

  it('start-up writes the release’s documents once per release, even from instances starting together', async () => {
    const content: SearchDocument[] = [
      { key: 'content:resources/district-heating:en', source: 'content', section: 'resources', lang: 'en', path: '/resources/district-heating/', title: 'District heating', body: 'Utilities', audience: 'public' },
    ];
    const [first, second] = await Promise.all([syncSearchAtStart(db, content), syncSearchAtStart(db, content)]);
    // One of them wrote the content and the catalogue; the other found them written.
    expect([first.release > 0, second.release > 0].sort()).toEqual([false, true]);
    const count = async (source: string) => Number((await db.selectFrom('search_documents').select((eb) => eb.fn.countAll<number>().as('n')).where('source', '=', source).executeTakeFirstOrThrow()).n);
    expect(await count('content')).toBe(1);
    expect(await count('indicators')).toBeGreaterThan(0);
    expect(await syncReleaseDocuments(db, content)).toBe(0);
    // A new release with other content replaces the old rows.
    const next = [{ ...content[0]!, key: 'content:news/winter:en', path: '/news/winter/', section: 'news' }];
    expect(await syncReleaseDocuments(db, next)).toBeGreaterThan(0);
    expect((await db.selectFrom('search_documents').select('key').where('source', '=', 'content').execute()).map((row) => row.key)).toEqual(['content:news/winter:en']);
    // Without the build's file, the content rows stay as they were.
    await syncReleaseDocuments(db, null);
    expect(await count('content')).toBe(1);
    expect(await sql`select 1`.execute(db)).toBeTruthy();
  });
});
