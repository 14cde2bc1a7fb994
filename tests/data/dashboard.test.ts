import { CompiledQuery, sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoData } from '../../db/seed/index.ts';
import { updateOwnProfile } from '~/server/accounts/profiles.ts';
import { insertUser } from '~/server/accounts/users.ts';
import type { CurrentUser } from '~/server/auth/lucia.ts';
import { loadFirstSteps, NEW_TOWN_SECONDS } from '~/server/dashboard/first-steps.ts';
import { recordGroupVisit, VISIT_REFRESH_SECONDS } from '~/server/dashboard/group-visits.ts';
import { awaitingAcceptance, COUNT_CAP, FRESH_WINDOW_SECONDS, loadMemberHome } from '~/server/dashboard/home.ts';
import type { Database, Role } from '~/server/db/schema.ts';
import { addResponse } from '~/server/exchange/responses.ts';
import { createRequest, type RequestInput } from '~/server/exchange/requests.ts';
import { createGroup } from '~/server/groups/groups.ts';
import { markRead } from '~/server/groups/following.ts';
import { answerMeeting, announceMeeting } from '~/server/groups/meetings.ts';
import { joinGroup, requestToJoin } from '~/server/groups/members.ts';
import { createThread, postReply } from '~/server/groups/threads.ts';
import { createTestDatabase, testEngine } from '../helpers/database.ts';

let db: Kysely<Database>;
let cleanup: () => Promise<void>;
const NOW = 1_800_000_000;
const DAY = 86_400;

beforeAll(async () => {
  ({ db, cleanup } = await createTestDatabase());
  await seedDemoData(db, NOW);
});
afterAll(() => cleanup());

/** The signed-in user for an account, as the middleware builds it. */
async function asUser(id: string): Promise<CurrentUser> {
  const row = await db
    .selectFrom('users')
    .leftJoin('towns', 'towns.id', 'users.town_id')
    .select(['users.id', 'users.email', 'users.display_name', 'users.role', 'users.language', 'towns.id as town_id', 'towns.slug', 'towns.name_kk', 'towns.name_ru', 'towns.name_en'])
    .where('users.id', '=', id)
    .executeTakeFirstOrThrow();
  return {
    id: row.id,
    email: row.email,
    displayName: row.display_name,
    role: row.role,
    language: row.language,
    disabled: false,
    town: row.town_id == null ? null : { id: row.town_id, slug: row.slug!, name: { kk: row.name_kk!, ru: row.name_ru!, en: row.name_en! } },
  };
}

const userIdOf = async (email: string) => (await db.selectFrom('users').select('id').where('email', '=', email).executeTakeFirstOrThrow()).id;

let counter = 0;
/** A new account (and a new town unless one is given). */
async function newAccount(role: Role, townId: number | null, name = `Person ${++counter}`): Promise<string> {
  return insertUser(db, { email: `home-${++counter}@example.org`, passwordHash: 'x', displayName: name, role, townId, language: 'en' }, NOW);
}
async function newTown(slug: string, createdAt = NOW): Promise<number> {
  const row = await db
    .insertInto('towns')
    .values({ slug, name_kk: slug, name_ru: slug, name_en: slug, region: 'karaganda', population: null, main_industry: null, founding_enterprise_kk: null, founding_enterprise_ru: null, founding_enterprise_en: null, economic_potential: null, description_kk: null, description_ru: null, description_en: null, contact_email: null, contact_phone: null, contact_website: null, created_at: createdAt, updated_at: createdAt })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}
const request = (title: string, topics: string[] = ['utilities-housing']): RequestInput => ({ title, body: 'We need advice.', helpForms: ['advice'], topics, languages: ['ru'], urgency: 'normal', deadline: null });
async function newGroup(slug: string, editorId: string, visibility: 'open' | 'approval' | 'private' = 'approval'): Promise<number> {
  const created = await createGroup(db, { slug, name: { kk: `${slug} kk`, ru: `${slug} ru`, en: `${slug} en` }, purpose: { kk: 'М', ru: 'Ц', en: 'P' }, topics: [], type: 'forum', visibility, rhythm: 'monthly', descriptionPublic: true }, editorId, NOW);
  if (!created.ok) throw new Error('slug taken');
  return created.id;
}

describe('the member home with the demo data', () => {
  it('shows a group lead the requests to join her group, newest first', async () => {
    const lead = await asUser(await userIdOf('aksu@example.org'));
    const home = await loadMemberHome(db, lead, NOW);
    expect(home.actions.byKind.join).toBe(1);
    expect(home.actions.items.find((item) => item.kind === 'join')).toMatchObject({ groupSlug: 'economic-diversification', applicant: 'Aizhan Tasbolatova' });
    const times = home.actions.items.map((item) => item.at);
    expect(times).toEqual([...times].sort((a, b) => b - a));
  });

  it("shows members their group's next meeting and what is new in their groups", async () => {
    const admin = await asUser(await userIdOf('temirtau-admin@example.org'));
    const home = await loadMemberHome(db, admin, NOW);
    expect(home.meetings.count).toBe(1);
    expect(home.meetings.items[0]).toMatchObject({ groupSlug: 'utilities-renewal' });
    expect(home.meetings.items[0]!.startsAt).toBeGreaterThan(NOW);
    expect(home.groups.memberOf.map((group) => group.slug)).toContain('utilities-renewal');
  });

  it('is empty, section by section, for a newcomer', async () => {
    const town = await newTown('newcomer-town');
    const newcomer = await asUser(await newAccount('member', town));
    const home = await loadMemberHome(db, newcomer, NOW);
    expect(home.actions).toEqual({ count: 0, byKind: { acceptance: 0, join: 0, case: 0, invitation: 0 }, items: [] });
    expect(home.meetings).toEqual({ count: 0, items: [] });
    expect(home.groups).toEqual({ memberOf: [], count: 0, threads: [] });
    expect(home.matching.hasExpertise).toBe(false);
    expect(home.notifications).toEqual({ count: { count: 0, more: false }, items: [] });
  });
});

describe('what needs my action', () => {
  let townA: number;
  let townB: number;
  let asker: string;
  let helper: string;
  let requestId: number;

  beforeAll(async () => {
    townA = await newTown('action-town-a');
    townB = await newTown('action-town-b');
    asker = await newAccount('town_admin', townA);
    helper = await newAccount('member', townB);
    requestId = await createRequest(db, { townId: townA, authorId: asker, input: request('Heating tariffs'), publish: true }, NOW - 3 * DAY);
  });

  it("lists my town's open requests with responses to accept, until one is accepted", async () => {
    const before = await loadMemberHome(db, await asUser(asker), NOW);
    expect(before.actions.byKind.acceptance).toBe(0);
    await addResponse(db, { requestId, authorId: helper, townId: townB, body: 'We did it in Ridder.', links: [] }, NOW - 2 * DAY);
    await addResponse(db, { requestId, authorId: helper, townId: townB, body: 'And one more idea.', links: [] }, NOW - DAY);
    const home = await loadMemberHome(db, await asUser(asker), NOW);
    expect(home.actions.byKind.acceptance).toBe(1);
    expect(home.actions.items).toContainEqual({ kind: 'acceptance', at: NOW - DAY, requestId, title: 'Heating tariffs', responses: 2 });
    // A colleague of the same town sees it too; the helper's town does not.
    const colleague = await newAccount('member', townA);
    expect((await loadMemberHome(db, await asUser(colleague), NOW)).actions.byKind.acceptance).toBe(1);
    expect((await loadMemberHome(db, await asUser(helper), NOW)).actions.byKind.acceptance).toBe(0);
    await db.updateTable('help_requests').set({ status: 'in_progress' }).where('id', '=', requestId).execute();
    expect((await loadMemberHome(db, await asUser(asker), NOW)).actions.byKind.acceptance).toBe(0);
    await db.updateTable('help_requests').set({ status: 'open' }).where('id', '=', requestId).execute();
  });

  it('lists requests to join the groups I lead, not those of groups I only belong to', async () => {
    const editor = await userIdOf('editor@example.org');
    const led = await newGroup('home-led', editor);
    const other = await newGroup('home-other', editor);
    await db.insertInto('group_members').values({ group_id: led, user_id: asker, role: 'lead', joined_at: NOW }).execute();
    await db.insertInto('group_members').values({ group_id: other, user_id: asker, role: 'member', joined_at: NOW }).execute();
    await requestToJoin(db, led, helper, null, NOW - 60);
    await requestToJoin(db, other, helper, null, NOW - 30);
    const home = await loadMemberHome(db, await asUser(asker), NOW);
    expect(home.actions.byKind.join).toBe(1);
    const join = home.actions.items.find((item) => item.kind === 'join');
    expect(join).toMatchObject({ groupSlug: 'home-led', applicant: expect.stringMatching(/^Person /) });
  });

  it("lists my town's cases sent back for changes", async () => {
    const content = JSON.stringify({ languages: ['en'], title: 'One desk for small business' });
    await db.insertInto('member_cases').values({ town_id: townA, created_by: asker, updated_by: asker, source_request_id: null, status: 'changes_requested', version: 2, content, published_content: null, slug: null, published_at: null, published_version: null, unpublished_at: null, unpublish_reason: null, created_at: NOW - DAY, updated_at: NOW - 100 }).execute();
    await db.insertInto('member_cases').values({ town_id: townA, created_by: asker, updated_by: asker, source_request_id: null, status: 'submitted', version: 2, content, published_content: null, slug: null, published_at: null, published_version: null, unpublished_at: null, unpublish_reason: null, created_at: NOW - DAY, updated_at: NOW - 100 }).execute();
    const home = await loadMemberHome(db, await asUser(asker), NOW);
    expect(home.actions.byKind.case).toBe(1);
    expect(home.actions.items.find((item) => item.kind === 'case')).toMatchObject({ title: 'One desk for small business', at: NOW - 100 });
    expect((await loadMemberHome(db, await asUser(helper), NOW)).actions.byKind.case).toBe(0);
  });

  it('lists invitations to answer until I answer', async () => {
    const invited = await newAccount('member', townB);
    await db.insertInto('help_request_invitations').values({ request_id: requestId, user_id: invited, invited_by: asker, created_at: NOW - 10 }).execute();
    const home = await loadMemberHome(db, await asUser(invited), NOW);
    expect(home.actions.byKind.invitation).toBe(1);
    expect(home.actions.items[0]).toMatchObject({ kind: 'invitation', requestId, title: 'Heating tariffs', town: { en: 'action-town-a' } });
    await addResponse(db, { requestId, authorId: invited, townId: townB, body: 'Here is how.', links: [] }, NOW - 5);
    expect((await loadMemberHome(db, await asUser(invited), NOW)).actions.byKind.invitation).toBe(0);
  });
});

describe('what needs my action, all four kinds at once (one query)', () => {
  it('counts each kind past the five it shows, and gives the newest ten in order', async () => {
    const home = await newTown('waiting-all-home');
    const other = await newTown('waiting-all-other');
    const admin = await newAccount('town_admin', home);
    const helpers = await Promise.all(Array.from({ length: 7 }, () => newAccount('member', other)));
    const asker = await newAccount('member', other);
    // Seven open requests of my town, each with a response waiting (at NOW - 1000 + i): all counted.
    const waiting: number[] = [];
    for (let i = 0; i < 7; i++) {
      const id = await createRequest(db, { townId: home, authorId: admin, input: request(`Waiting ${i}`), publish: true }, NOW - 2 * DAY);
      await addResponse(db, { requestId: id, authorId: helpers[i]!, townId: other, body: 'An answer.', links: [] }, NOW - 1000 + i);
      waiting.push(id);
    }
    // Responses accepted, withdrawn or hidden wait for nobody; nor do those on a hidden request.
    for (const change of [{ accepted_at: NOW - 10 }, { withdrawn_at: NOW - 10 }, { hidden_at: NOW - 10 }] as const) {
      const id = await createRequest(db, { townId: home, authorId: admin, input: request('Not waiting'), publish: true }, NOW - 2 * DAY);
      await addResponse(db, { requestId: id, authorId: helpers[0]!, townId: other, body: 'An answer.', links: [] }, NOW - 5);
      await db.updateTable('help_responses').set(change).where('request_id', '=', id).execute();
    }
    const hidden = await createRequest(db, { townId: home, authorId: admin, input: request('Hidden'), publish: true }, NOW - 2 * DAY);
    await addResponse(db, { requestId: hidden, authorId: helpers[0]!, townId: other, body: 'An answer.', links: [] }, NOW - 5);
    await db.updateTable('help_requests').set({ hidden_at: NOW - 4 }).where('id', '=', hidden).execute();
    // Six requests to join a group I lead, six cases sent back, six invitations: the same times as the responses, so ties are ordered by kind.
    const editor = await userIdOf('editor@example.org');
    const led = await newGroup('waiting-all-led', editor);
    await db.insertInto('group_members').values({ group_id: led, user_id: admin, role: 'lead', joined_at: NOW }).execute();
    for (let i = 0; i < 6; i++) await requestToJoin(db, led, helpers[i]!, null, NOW - 1000 + i);
    const content = JSON.stringify({ languages: ['en'], title: 'Sent back' });
    for (let i = 0; i < 6; i++) {
      await db.insertInto('member_cases').values({ town_id: home, created_by: admin, updated_by: admin, source_request_id: null, status: 'changes_requested', version: 2, content, published_content: null, slug: null, published_at: null, published_version: null, unpublished_at: null, unpublish_reason: null, created_at: NOW - DAY, updated_at: NOW - 1000 + i }).execute();
    }
    for (let i = 0; i < 6; i++) {
      const id = await createRequest(db, { townId: other, authorId: asker, input: request(`Invited ${i}`), publish: true }, NOW - 2 * DAY);
      await db.insertInto('help_request_invitations').values({ request_id: id, user_id: admin, invited_by: asker, created_at: NOW - 1000 + i }).execute();
    }

    const { actions } = await loadMemberHome(db, await asUser(admin), NOW);
    expect(actions.byKind).toEqual({ acceptance: 7, join: 6, case: 6, invitation: 6 });
    expect(actions.count).toBe(25);
    // The newest ten: the last three times (6, 5, 4) of each kind that has them, kinds in order at the same time.
    expect(actions.items.map((item) => [item.kind, item.at - (NOW - 1000)])).toEqual([
      ['acceptance', 6],
      ['acceptance', 5], ['join', 5], ['case', 5], ['invitation', 5],
      ['acceptance', 4], ['join', 4], ['case', 4], ['invitation', 4],
      ['acceptance', 3],
    ]);
    expect(actions.items[0]).toEqual({ kind: 'acceptance', at: NOW - 994, requestId: waiting[6], title: 'Waiting 6', responses: 1 });
    expect(actions.items[2]).toMatchObject({ kind: 'join', groupSlug: 'waiting-all-led', groupName: { en: 'waiting-all-led en' } });
    expect(actions.items[3]).toMatchObject({ kind: 'case', title: 'Sent back' });
    expect(actions.items[4]).toMatchObject({ kind: 'invitation', title: 'Invited 5', town: { en: 'waiting-all-other' } });
  });

  it('reads the town\'s waiting responses from indexes alone (migration 0030)', async () => {
    const compiled = awaitingAcceptance(1).compile(db);
    const plan = await db.transaction().execute(async (trx) => {
      if (testEngine() === 'postgres') {
        // A small test table would be scanned whatever the indexes: ask whether the indexes can answer.
        await sql`SET LOCAL enable_seqscan = off`.execute(trx);
        await sql`SET LOCAL enable_bitmapscan = off`.execute(trx);
        return (await trx.executeQuery(CompiledQuery.raw(`EXPLAIN ${compiled.sql}`, [...compiled.parameters]))).rows;
      }
      return (await trx.executeQuery(CompiledQuery.raw(`EXPLAIN QUERY PLAN ${compiled.sql}`, [...compiled.parameters]))).rows;
    });
    const text = JSON.stringify(plan);
    // PostgreSQL's planner picks between the two indexes on town_id by statistics a small
    // test table does not have (at national scale it reads help_requests_town_open alone).
    expect(text).toMatch(testEngine() === 'postgres' ? /help_requests_town(_open)?\b/ : /COVERING INDEX help_requests_town_open/);
    expect(text).toContain('help_responses_waiting');
    expect(text).not.toMatch(/SCAN (o|p)\b(?! USING)|Seq Scan on help_re/);
  });
});

describe('meetings, group activity and visits', () => {
  let groupId: number;
  let member: string;
  let lead: string;
  let threadId: number;

  beforeAll(async () => {
    const editor = await userIdOf('editor@example.org');
    groupId = await newGroup('home-meetings', editor, 'open');
    const town = await newTown('meeting-town');
    lead = await newAccount('member', town);
    member = await newAccount('member', town);
    await db.insertInto('group_members').values({ group_id: groupId, user_id: lead, role: 'lead', joined_at: NOW - 10 * DAY }).execute();
    await joinGroup(db, groupId, member, NOW - 5 * DAY);
  });

  it('shows meetings that have not ended, soonest first, with my answer', async () => {
    const base = { groupId, durationMinutes: 60, place: null, link: null, agenda: '', createdBy: lead };
    await announceMeeting(db, { ...base, title: 'Past', startsAt: NOW - 2 * DAY }, NOW - 3 * DAY);
    const later = await announceMeeting(db, { ...base, title: 'Later', startsAt: NOW + 7 * DAY }, NOW - DAY);
    const soon = await announceMeeting(db, { ...base, title: 'Under way', startsAt: NOW - 30 * 60 }, NOW - DAY);
    await answerMeeting(db, later, member, 'maybe', NOW);
    const home = await loadMemberHome(db, await asUser(member), NOW);
    expect(home.meetings.count).toBe(2);
    expect(home.meetings.items.map((meeting) => [meeting.id, meeting.title, meeting.answer, meeting.groupSlug])).toEqual([
      [soon, 'Under way', null, 'home-meetings'],
      [later, 'Later', 'maybe', 'home-meetings'],
    ]);
  });

  it('counts discussions that moved since my last visit or my joining, and forgets what I read', async () => {
    const before = await loadMemberHome(db, await asUser(member), NOW);
    expect(before.groups.memberOf).toEqual([{ slug: 'home-meetings', name: { kk: 'home-meetings kk', ru: 'home-meetings ru', en: 'home-meetings en' }, fresh: 0 }]);
    // Posted before I joined: not new to me.
    await createThread(db, { groupId, authorId: lead, title: 'Old talk', body: 'Before you came.' }, NOW - 6 * DAY);
    threadId = await createThread(db, { groupId, authorId: lead, title: 'Budget 2027', body: 'Let us talk.' }, NOW - DAY);
    let home = await loadMemberHome(db, await asUser(member), NOW);
    expect(home.groups.count).toBe(1);
    expect(home.groups.threads).toEqual([{ id: threadId, title: 'Budget 2027', lastActivityAt: NOW - DAY, groupSlug: 'home-meetings', groupName: expect.any(Object) }]);

    expect(await recordGroupVisit(db, member, groupId, NOW - 60)).toBe(true);
    home = await loadMemberHome(db, await asUser(member), NOW);
    expect(home.groups.count).toBe(0);

    const reply = await postReply(db, { groupId, threadId, authorId: lead, body: 'Figures attached.' }, NOW - 30);
    expect(reply.ok).toBe(true);
    home = await loadMemberHome(db, await asUser(member), NOW);
    expect(home.groups.count).toBe(1);
    expect(home.groups.memberOf[0]!.fresh).toBe(1);

    await markRead(db, threadId, member, NOW - 10);
    expect((await loadMemberHome(db, await asUser(member), NOW)).groups.count).toBe(0);
  });

  it(`looks back at most ${FRESH_WINDOW_SECONDS / DAY} days, however long ago the last visit was`, async () => {
    const editor = await userIdOf('editor@example.org');
    const quiet = await newGroup('home-long-ago', editor, 'open');
    const returning = await newAccount('member', null);
    await joinGroup(db, quiet, returning, NOW - 400 * DAY);
    await createThread(db, { groupId: quiet, authorId: lead, title: 'Long ago', body: '…' }, NOW - FRESH_WINDOW_SECONDS - DAY);
    await createThread(db, { groupId: quiet, authorId: lead, title: 'Recent', body: '…' }, NOW - DAY);
    const home = await loadMemberHome(db, await asUser(returning), NOW);
    expect(home.groups.threads.map((thread) => thread.title)).toEqual(['Recent']);
  });

  it('counts every group’s new discussions and shows the newest five of all, in one query', async () => {
    const editor = await userIdOf('editor@example.org');
    const first = await newGroup('home-busy-a', editor, 'open');
    const second = await newGroup('home-busy-b', editor, 'open');
    const reader = await newAccount('member', null);
    await joinGroup(db, first, reader, NOW - 10 * DAY);
    await joinGroup(db, second, reader, NOW - 10 * DAY);
    // Four threads in each, alternating, an hour apart: the newest five mix both groups.
    for (let i = 0; i < 8; i++) {
      await createThread(db, { groupId: i % 2 === 0 ? first : second, authorId: lead, title: `Busy ${i}`, body: '…' }, NOW - (8 - i) * 3600);
    }
    const home = await loadMemberHome(db, await asUser(reader), NOW);
    expect(home.groups.memberOf.map((group) => [group.slug, group.fresh])).toEqual([['home-busy-a', 4], ['home-busy-b', 4]]);
    expect(home.groups.count).toBe(8);
    expect(home.groups.threads.map((thread) => [thread.title, thread.groupSlug])).toEqual([
      ['Busy 7', 'home-busy-b'],
      ['Busy 6', 'home-busy-a'],
      ['Busy 5', 'home-busy-b'],
      ['Busy 4', 'home-busy-a'],
      ['Busy 3', 'home-busy-b'],
    ]);
  });

  it('stores a visit at most once per refresh interval', async () => {
    const visitor = await newAccount('member', null);
    await joinGroup(db, groupId, visitor, NOW);
    expect(await recordGroupVisit(db, visitor, groupId, NOW)).toBe(true);
    expect(await recordGroupVisit(db, visitor, groupId, NOW + VISIT_REFRESH_SECONDS - 1)).toBe(false);
    const stored = await db.selectFrom('group_visits').select('visited_at').where('user_id', '=', visitor).executeTakeFirstOrThrow();
    expect(Number(stored.visited_at)).toBe(NOW);
    expect(await recordGroupVisit(db, visitor, groupId, NOW + VISIT_REFRESH_SECONDS + 1)).toBe(true);
    const again = await db.selectFrom('group_visits').select('visited_at').where('user_id', '=', visitor).executeTakeFirstOrThrow();
    expect(Number(again.visited_at)).toBe(NOW + VISIT_REFRESH_SECONDS + 1);
  });

  it('leaves out archived groups and hidden threads', async () => {
    const editor = await userIdOf('editor@example.org');
    const archived = await newGroup('home-archived', editor, 'open');
    await joinGroup(db, archived, member, NOW - DAY);
    await createThread(db, { groupId: archived, authorId: lead, title: 'In an archived group', body: '…' }, NOW - 10);
    const hidden = await createThread(db, { groupId, authorId: lead, title: 'Hidden', body: '…' }, NOW - 5);
    await db.updateTable('group_threads').set({ hidden_at: NOW - 1 }).where('id', '=', hidden).execute();
    await db.updateTable('groups').set({ archived_at: NOW - 1 }).where('id', '=', archived).execute();
    const home = await loadMemberHome(db, await asUser(member), NOW);
    expect(home.groups.memberOf.map((group) => group.slug)).toEqual(['home-meetings']);
    expect(home.groups.threads.map((thread) => thread.title)).not.toContain('Hidden');
  });
});

describe('requests matching my expertise and unread notifications', () => {
  it('counts open requests of other towns on my declared topics', async () => {
    const mine = await newTown('matching-mine');
    const theirs = await newTown('matching-theirs');
    const expert = await newAccount('member', mine);
    const author = await newAccount('member', theirs);
    expect((await loadMemberHome(db, await asUser(expert), NOW)).matching.hasExpertise).toBe(false);
    await updateOwnProfile(db, expert, { displayName: 'Expert', languagesSpoken: ['ru'], expertiseTopics: ['environment-health'], contactable: true }, NOW);
    const open = await createRequest(db, { townId: theirs, authorId: author, input: request('Dust from the tailings', ['environment-health']), publish: true }, NOW - 100);
    await createRequest(db, { townId: theirs, authorId: author, input: request('A draft on air', ['environment-health']), publish: false }, NOW - 90);
    await createRequest(db, { townId: mine, authorId: expert, input: request('Our own air', ['environment-health']), publish: true }, NOW - 80);
    await createRequest(db, { townId: theirs, authorId: author, input: request('Roads', ['sme-support']), publish: true }, NOW - 70);
    const home = await loadMemberHome(db, await asUser(expert), NOW);
    expect(home.matching.hasExpertise).toBe(true);
    expect(home.matching.count).toEqual({ count: 1, more: false });
    expect(home.matching.items.map((item) => item.id)).toEqual([open]);
  });

  it('shows the newest unread notifications with their count, linking without the stored language', async () => {
    const reader = await newAccount('member', null);
    const row = (id: number, read: boolean) => ({ user_id: reader, kind: 'exchange.response_received', params: JSON.stringify({ title: `Request ${id}` }), link: `/kk/exchange/${id}/`, created_at: NOW - 100 + id, read_at: read ? NOW : null });
    await db.insertInto('notifications').values([row(1, false), row(2, true), row(3, false), { ...row(4, false), kind: 'no.such.kind' }]).execute();
    const home = await loadMemberHome(db, await asUser(reader), NOW);
    expect(home.notifications.count).toEqual({ count: 3, more: false });
    expect(home.notifications.items.map((item) => [item.kind, item.path, item.params.title])).toEqual([
      ['exchange.response_received', 'exchange/3/', 'Request 3'],
      ['exchange.response_received', 'exchange/1/', 'Request 1'],
    ]);
  });

  it(`caps a large count at ${COUNT_CAP} and says there are more`, async () => {
    const busy = await newAccount('member', null);
    await db.insertInto('notifications').values(Array.from({ length: COUNT_CAP + 5 }, (_, index) => ({ user_id: busy, kind: 'exchange.invited', params: '{}', link: null, created_at: NOW - index, read_at: null }))).execute();
    const home = await loadMemberHome(db, await asUser(busy), NOW);
    expect(home.notifications.count).toEqual({ count: COUNT_CAP, more: true });
    expect(home.notifications.items).toHaveLength(5);
  });
});

describe('first steps for a new town', () => {
  it('ticks each step as it gets done, and disappears when all are', async () => {
    const town = await newTown('baikonur');
    const admin = await newAccount('town_admin', town);
    const user = await asUser(admin);
    const done = async () => Object.fromEntries((await loadFirstSteps(db, user, NOW))?.steps.map((step) => [step.step, step.done]) ?? []);
    expect(await done()).toEqual({ profile: false, colleagues: false, indicators: false, group: false, exchange: false });
    expect((await loadFirstSteps(db, user, NOW))?.townSlug).toBe('baikonur');

    await db.updateTable('towns').set({ population: 36_175 }).where('id', '=', town).execute();
    expect((await done()).profile).toBe(false);
    await db.updateTable('towns').set({ description_ru: 'Город при космодроме.' }).where('id', '=', town).execute();
    expect((await done()).profile).toBe(true);

    await db.insertInto('tokens').values({ id_hash: 'hash-baikonur', purpose: 'invitation', email: 'deputy@baikonur.example', user_id: null, data: JSON.stringify({ role: 'member', townId: town, name: 'Deputy', language: 'ru' }), expires_at: NOW + DAY, used_at: null, created_at: NOW }).execute();
    expect((await done()).colleagues).toBe(true);

    const year = new Date(NOW * 1000).getUTCFullYear();
    await db.insertInto('indicator_values').values({ town_id: town, indicator: 'population', period: year - 3, value: 1, source_note: 'old', published_at: null, created_by: admin, created_at: NOW, updated_by: admin, updated_at: NOW }).execute();
    expect((await done()).indicators).toBe(false);
    await db.insertInto('indicator_values').values({ town_id: town, indicator: 'population', period: year - 1, value: 1, source_note: 'stat.gov.kz', published_at: null, created_by: admin, created_at: NOW, updated_by: admin, updated_at: NOW }).execute();
    expect((await done()).indicators).toBe(true);

    const editor = await userIdOf('editor@example.org');
    await joinGroup(db, await newGroup('baikonur-group', editor, 'open'), admin, NOW);
    expect((await done()).group).toBe(true);

    await createRequest(db, { townId: town, authorId: admin, input: request('A draft'), publish: false }, NOW);
    expect((await done()).exchange).toBe(false);
    await createRequest(db, { townId: town, authorId: admin, input: request('Launch-site tourism'), publish: true }, NOW);
    expect(await loadFirstSteps(db, user, NOW)).toBeNull();
  });

  it('counts an answer to another town as the first exchange step, and a colleague account as invited', async () => {
    const town = await newTown('first-answer');
    const admin = await newAccount('town_admin', town);
    const user = await asUser(admin);
    await newAccount('member', town);
    const other = await newTown('first-answer-other');
    const asking = await createRequest(db, { townId: other, authorId: await newAccount('member', other), input: request('Help us'), publish: true }, NOW);
    await addResponse(db, { requestId: asking, authorId: admin, townId: town, body: 'Gladly.', links: [] }, NOW);
    const steps = await loadFirstSteps(db, user, NOW);
    expect(steps?.steps.find((step) => step.step === 'exchange')?.done).toBe(true);
    expect(steps?.steps.find((step) => step.step === 'colleagues')?.done).toBe(true);
  });

  it('is only for the administrator of a town that is new', async () => {
    const young = await newTown('young-town');
    const old = await newTown('old-town', NOW - NEW_TOWN_SECONDS - DAY);
    expect(await loadFirstSteps(db, await asUser(await newAccount('member', young)), NOW)).toBeNull();
    expect(await loadFirstSteps(db, await asUser(await newAccount('town_admin', old)), NOW)).toBeNull();
    expect(await loadFirstSteps(db, await asUser(await userIdOf('editor@example.org')), NOW)).toBeNull();
    expect(await loadFirstSteps(db, await asUser(await newAccount('town_admin', young)), NOW)).not.toBeNull();
  });
});
