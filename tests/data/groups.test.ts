import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoData } from '../../db/seed/index.ts';
import type { CurrentUser } from '~/server/auth/lucia.ts';
import type { Database, GroupVisibility, Role } from '~/server/db/schema.ts';
import { createGroup, groupForViewer, listAllGroups, listMyGroups, listPublicGroups, listPublicGroupsPage, PUBLIC_GROUPS_PER_PAGE, setArchived, type GroupInput } from '~/server/groups/groups.ts';
import { COMMITTEES_PER_KIND, COMMITTEES_PER_PAGE, listCommittees } from '~/server/groups/committees.ts';
import { findMentions } from '~/server/groups/mentions.ts';
import { addMemberByEmail, decideRequest, joinGroup, leaveGroup, listMembers, pendingRequests, requestToJoin, withdrawRequest } from '~/server/groups/members.ts';
import { answerMeeting, announceMeeting, meetingAnswers, nextMeeting } from '~/server/groups/meetings.ts';
import { isHttpUrl, parseItemReference, pinResource } from '~/server/groups/resources.ts';
import { canApproveJoins, canModerate, canPost, canReadThreads, canSeeGroup, type GroupRole } from '~/server/groups/rules.ts';
import { follow, followerIds, isFollowing, markRead, unreadThreadCount, unreadThreadCounts } from '~/server/groups/following.ts';
import {
  createThread,
  findThread,
  listReplies,
  listThreads,
  postReply,
  REPLIES_PER_PAGE,
  setReplyHidden,
  setThreadFlag,
  setThreadHidden,
} from '~/server/groups/threads.ts';
import { createTestDatabase } from '../helpers/database.ts';

let db: Kysely<Database>;
let cleanup: () => Promise<void>;
const NOW = 1_800_000_000;

beforeAll(async () => {
  ({ db, cleanup } = await createTestDatabase());
  await seedDemoData(db, NOW);
});
afterAll(() => cleanup());

async function user(email: string): Promise<CurrentUser> {
  const row = await db.selectFrom('users').select(['id', 'email', 'display_name', 'role', 'language']).where('email', '=', email).executeTakeFirstOrThrow();
  return { id: row.id, email: row.email, displayName: row.display_name, role: row.role, language: row.language, disabled: false, town: null };
}

const input = (slug: string, visibility: GroupVisibility): GroupInput => ({
  slug,
  name: { kk: `${slug} kk`, ru: `${slug} ru`, en: `${slug} en` },
  purpose: { kk: 'Мақсаты', ru: 'Цель', en: 'Purpose' },
  topics: ['utilities-housing'],
  type: 'forum',
  visibility,
  rhythm: 'monthly',
  descriptionPublic: true,
});

async function newGroup(slug: string, visibility: GroupVisibility = 'open'): Promise<number> {
  const editor = await user('editor@example.org');
  const created = await createGroup(db, input(slug, visibility), editor.id, NOW);
  if (!created.ok) throw new Error('slug taken');
  return created.id;
}

describe('who may do what in a group (rules table)', () => {
  type Who = 'public' | 'member' | 'group member' | 'lead' | 'editor';
  type Act = 'see group' | 'read threads' | 'post' | 'moderate' | 'approve joins';
  const WHO: Who[] = ['public', 'member', 'group member', 'lead', 'editor'];
  const ACTS: Act[] = ['see group', 'read threads', 'post', 'moderate', 'approve joins'];

  const viewer = (who: Who) => {
    const role: Role = who === 'editor' ? 'editor' : 'member';
    const current: CurrentUser | null = who === 'public' ? null : { id: `u-${who}`, email: `${who}@x`, displayName: who, role, language: 'en', disabled: false, town: null };
    const groupRole: GroupRole = who === 'group member' ? 'member' : who === 'lead' ? 'lead' : null;
    return { user: current, role: groupRole };
  };
  const check = (act: Act, group: { visibility: GroupVisibility; archived: boolean }, who: Who) => {
    const v = viewer(who);
    return { 'see group': canSeeGroup, 'read threads': canReadThreads, post: canPost, moderate: canModerate, 'approve joins': canApproveJoins }[act](group, v);
  };

  const Y = true;
  const N = false;
  // Rows: public, member, group member, lead, editor. Columns: see, read, post, moderate, approve.
  const OPEN = [
    [Y, N, N, N, N],
    [Y, N, N, N, N],
    [Y, Y, Y, N, N],
    [Y, Y, Y, Y, Y],
    [Y, Y, N, Y, Y],
  ];
  const PRIVATE = [
    [N, N, N, N, N],
    [N, N, N, N, N],
    [Y, Y, Y, N, N],
    [Y, Y, Y, Y, Y],
    [Y, Y, N, Y, Y],
  ];
  const EXPECTED: Record<GroupVisibility, boolean[][]> = { open: OPEN, approval: OPEN, private: PRIVATE };

  it.each(['open', 'approval', 'private'] as const)('%s group: public, member, group member, lead, editor × see, read, post, moderate, approve', (visibility) => {
    const actual = WHO.map((who) => ACTS.map((act) => check(act, { visibility, archived: false }, who)));
    expect(actual).toEqual(EXPECTED[visibility]);
  });

  it.each(['open', 'approval', 'private'] as const)('archived %s group: still readable by the same people, but nobody posts, moderates or approves', (visibility) => {
    const actual = WHO.map((who) => ACTS.map((act) => check(act, { visibility, archived: true }, who)));
    expect(actual).toEqual(EXPECTED[visibility].map((row) => [row[0], row[1], N, N, N]));
  });
});

describe('lists', () => {
  it('the public list has the four non-private demo groups and never the private one', async () => {
    const slugs = (await listPublicGroups(db, 'en')).map((group) => group.slug);
    expect(slugs.sort()).toEqual(['economic-diversification', 'environment-health', 'utilities-renewal', 'youth-skills']);
  });

  it('lists member towns per group, each town once', async () => {
    const utilities = (await listPublicGroups(db, 'en')).find((group) => group.slug === 'utilities-renewal')!;
    expect(utilities.towns.map((town) => town.en).sort()).toEqual(['Ekibastuz', 'Ridder', 'Rudny', 'Temirtau']);
  });

  it('“my groups” includes a private group its member belongs to, with the role', async () => {
    const ridder = await user('ridder@example.org');
    const mine = await listMyGroups(db, ridder.id, 'en');
    expect(mine.map((group) => [group.slug, group.role]).sort()).toEqual([
      ['economic-diversification', 'member'],
      ['municipal-finance', 'member'],
      ['utilities-renewal', 'member'],
      ['youth-skills', 'member'],
    ]);
  });

  it('an archived group leaves the public list but stays on the editors’ list', async () => {
    const id = await newGroup('archived-soon');
    expect((await listPublicGroups(db, 'en')).some((group) => group.id === id)).toBe(true);
    expect(await setArchived(db, id, true, NOW)).toBe(true);
    expect(await setArchived(db, id, true, NOW)).toBe(false);
    expect((await listPublicGroups(db, 'en')).some((group) => group.id === id)).toBe(false);
    expect((await listAllGroups(db, 'en')).find((group) => group.id === id)?.archived).toBe(true);
  });

  it('the public list comes in pages, by name, each with its members and towns; a page past the end is empty', async () => {
    for (let n = 0; n < PUBLIC_GROUPS_PER_PAGE + 3; n += 1) await newGroup(`paged-${String(n).padStart(2, '0')}`);
    const all = await listPublicGroups(db, 'en');
    const first = await listPublicGroupsPage(db, 'en', 1);
    const second = await listPublicGroupsPage(db, 'en', 2);
    expect(first.total).toBe(all.length);
    expect(first.pages).toBe(Math.ceil(all.length / PUBLIC_GROUPS_PER_PAGE));
    expect(first.groups).toHaveLength(PUBLIC_GROUPS_PER_PAGE);
    expect([...first.groups, ...second.groups].map((group) => group.slug)).toEqual(all.slice(0, first.groups.length + second.groups.length).map((group) => group.slug));
    const utilities = [...first.groups, ...second.groups].find((group) => group.slug === 'utilities-renewal');
    if (utilities) expect(utilities.towns.map((town) => town.en).sort()).toEqual(['Ekibastuz', 'Ridder', 'Rudny', 'Temirtau']);
    expect((await listPublicGroupsPage(db, 'en', first.pages + 1)).groups).toEqual([]);
  });

  it('the committees page shows each kind\'s first few with its total, and one kind in pages', async () => {
    for (let n = 0; n < COMMITTEES_PER_PAGE + 3; n += 1) await newGroup(`forum-${String(n).padStart(2, '0')}`);
    const forums = (await listPublicGroups(db, 'en')).filter((group) => group.type === 'forum').map((group) => group.slug);
    expect(forums.length).toBeGreaterThan(COMMITTEES_PER_PAGE);
    const overview = await listCommittees(db, null, 'en');
    expect(overview.map((kind) => kind.kind)).toEqual(['committee', 'forum', 'community']);
    const forumPart = overview.find((kind) => kind.kind === 'forum')!;
    expect(forumPart.total).toBe(forums.length);
    expect(forumPart.committees.map((committee) => committee.group.slug)).toEqual(forums.slice(0, COMMITTEES_PER_KIND));
    const committeePart = overview.find((kind) => kind.kind === 'committee')!;
    const utilities = committeePart.committees.find((committee) => committee.group.slug === 'utilities-renewal');
    expect(utilities?.group.towns.map((town) => town.en).sort()).toEqual(['Ekibastuz', 'Ridder', 'Rudny', 'Temirtau']);
    const [first] = await listCommittees(db, null, 'en', { kind: 'forum', page: 1 });
    const [second] = await listCommittees(db, null, 'en', { kind: 'forum', page: 2 });
    expect(first!.pages).toBe(Math.ceil(forums.length / COMMITTEES_PER_PAGE));
    expect([...first!.committees, ...second!.committees].map((committee) => committee.group.slug)).toEqual(forums.slice(0, 2 * COMMITTEES_PER_PAGE));
    expect((await listCommittees(db, null, 'en', { kind: 'forum', page: first!.pages + 1 }))[0]!.committees).toEqual([]);
  });

  it('a second group with the same address is refused', async () => {
    const editor = await user('editor@example.org');
    await newGroup('same-address');
    expect(await createGroup(db, input('same-address', 'open'), editor.id)).toEqual({ ok: false, problem: 'slugTaken' });
  });
});

describe('a private group', () => {
  it('exists only for its members and editors', async () => {
    const [ridder, temirtau, editor] = await Promise.all([user('ridder@example.org'), user('temirtau@example.org'), user('editor@example.org')]);
    expect(await groupForViewer(db, { slug: 'municipal-finance' }, null)).toBeUndefined();
    expect(await groupForViewer(db, { slug: 'municipal-finance' }, temirtau)).toBeUndefined();
    expect((await groupForViewer(db, { slug: 'municipal-finance' }, ridder))?.viewer.role).toBe('member');
    expect((await groupForViewer(db, { slug: 'municipal-finance' }, editor))?.viewer.role).toBeNull();
  });

  it('leaving ends access at once, and with it following its threads', async () => {
    const id = await newGroup('private-leave', 'private');
    const member = await user('zhanaozen@example.org');
    expect((await addMemberByEmail(db, id, 'ZHANAOZEN@example.org ', 'member', NOW)).ok).toBe(true);
    const thread = await createThread(db, { groupId: id, authorId: member.id, title: 'Hello', body: 'Body' }, NOW);
    expect(await followerIds(db, id, thread)).toEqual([member.id]);
    expect(await groupForViewer(db, { id }, member)).toBeDefined();
    expect(await leaveGroup(db, id, member.id)).toEqual({ ok: true });
    expect(await groupForViewer(db, { id }, member)).toBeUndefined();
    expect(await followerIds(db, id, thread)).toEqual([]);
    expect(await leaveGroup(db, id, member.id)).toEqual({ ok: false, problem: 'notMember' });
  });
});

describe('membership', () => {
  it('joining twice: the second time says “already a member” and adds nothing', async () => {
    const id = await newGroup('join-twice');
    const member = await user('temirtau@example.org');
    expect(await joinGroup(db, id, member.id, NOW)).toEqual({ ok: true });
    expect(await joinGroup(db, id, member.id, NOW)).toEqual({ ok: false, problem: 'alreadyMember' });
    expect((await listMembers(db, id)).map((m) => m.userId)).toEqual([member.id]);
  });

  it('a request, a second request, withdrawing, and deciding the withdrawn request', async () => {
    const id = await newGroup('by-approval', 'approval');
    const member = await user('rudny@example.org');
    const lead = await user('aksu@example.org');
    const first = await requestToJoin(db, id, member.id, '  Rudny would like to learn.  ', NOW);
    expect(first.ok).toBe(true);
    expect(await requestToJoin(db, id, member.id, null, NOW)).toEqual({ ok: false, problem: 'alreadyRequested' });
    expect((await pendingRequests(db, id)).map((request) => request.note)).toEqual(['Rudny would like to learn.']);
    expect(await withdrawRequest(db, id, member.id, NOW)).toEqual({ ok: true });
    const requestId = (first as { requestId: number }).requestId;
    expect(await decideRequest(db, id, requestId, 'approved', lead.id, NOW)).toEqual({ ok: false, problem: 'requestNotPending' });
    expect(await listMembers(db, id)).toEqual([]);
  });

  it('approving adds the member once; a request of another group is not found', async () => {
    const id = await newGroup('approve-me', 'approval');
    const other = await newGroup('other-approval', 'approval');
    const member = await user('rudny@example.org');
    const lead = await user('aksu@example.org');
    const request = await requestToJoin(db, id, member.id, null, NOW);
    const requestId = (request as { requestId: number }).requestId;
    expect(await decideRequest(db, other, requestId, 'approved', lead.id, NOW)).toEqual({ ok: false, problem: 'requestNotFound' });
    expect(await decideRequest(db, id, requestId, 'approved', lead.id, NOW)).toEqual({ ok: true, userId: member.id });
    expect(await decideRequest(db, id, requestId, 'declined', lead.id, NOW)).toEqual({ ok: false, problem: 'requestNotPending' });
    expect((await listMembers(db, id)).map((m) => [m.userId, m.role])).toEqual([[member.id, 'member']]);
  });

  it('inviting by email: only existing accounts, not twice; appointing a lead promotes a member', async () => {
    const id = await newGroup('invitations');
    expect(await addMemberByEmail(db, id, 'nobody@example.org', 'member', NOW)).toEqual({ ok: false, problem: 'noAccount' });
    expect((await addMemberByEmail(db, id, 'ridder@example.org', 'member', NOW)).ok).toBe(true);
    expect(await addMemberByEmail(db, id, 'ridder@example.org', 'member', NOW)).toEqual({ ok: false, problem: 'alreadyMember' });
    expect((await addMemberByEmail(db, id, 'ridder@example.org', 'lead', NOW)).ok).toBe(true);
    expect((await listMembers(db, id)).map((m) => m.role)).toEqual(['lead']);
  });
});

describe('discussion', () => {
  it('lists pinned threads first, then by newest activity, with unread markers per member', async () => {
    const id = await newGroup('discussion');
    const [a, b] = await Promise.all([user('ridder@example.org'), user('temirtau@example.org')]);
    await joinGroup(db, id, a.id, NOW);
    await joinGroup(db, id, b.id, NOW);
    const old = await createThread(db, { groupId: id, authorId: a.id, title: 'Old', body: 'x' }, NOW - 300);
    const newer = await createThread(db, { groupId: id, authorId: a.id, title: 'Newer', body: 'x' }, NOW - 200);
    const pinned = await createThread(db, { groupId: id, authorId: a.id, title: 'Pinned', body: 'x' }, NOW - 400);
    await setThreadFlag(db, id, pinned, 'pinned', true);
    expect((await listThreads(db, id, { viewerId: b.id, seeAllHidden: false, page: 1 })).threads.map((t) => t.title)).toEqual(['Pinned', 'Newer', 'Old']);
    // A reply makes the old thread the newest, and unread for the other member.
    await postReply(db, { groupId: id, threadId: old, authorId: a.id, body: 'reply' }, NOW - 100);
    const forB = await listThreads(db, id, { viewerId: b.id, seeAllHidden: false, page: 1 });
    expect(forB.threads.map((t) => [t.title, t.unread])).toEqual([['Pinned', true], ['Old', true], ['Newer', true]]);
    expect(await unreadThreadCount(db, id, b.id)).toBe(3);
    await markRead(db, old, b.id, NOW - 50);
    expect(await unreadThreadCount(db, id, b.id)).toBe(2);
    // The groups list counts all of a member's groups at once: a group without threads counts 0.
    const quiet = await newGroup('discussion-quiet');
    expect(await unreadThreadCounts(db, [id, quiet], b.id)).toEqual(new Map([[id, 2], [quiet, 0]]));
    // As the thread list marks them (the author has read their own threads).
    const unreadForA = (await listThreads(db, id, { viewerId: a.id, seeAllHidden: false, page: 1 })).threads.filter((thread) => thread.unread).length;
    expect(await unreadThreadCounts(db, [id], a.id)).toEqual(new Map([[id, unreadForA]]));
    expect(await unreadThreadCounts(db, [], b.id)).toEqual(new Map());
    const forA = await listThreads(db, id, { viewerId: a.id, seeAllHidden: false, page: 1 });
    expect(forA.threads.find((t) => t.id === old)).toMatchObject({ unread: false, replyCount: 1 });
    expect(newer).toBeGreaterThan(old);
  });

  it('stores hostile markdown exactly as written', async () => {
    const id = await newGroup('hostile');
    const a = await user('ridder@example.org');
    const body = '<script>alert(1)</script>\n\n[x](javascript:alert(1)) <img src=x onerror=alert(1)>\r\nend';
    const thread = await createThread(db, { groupId: id, authorId: a.id, title: 'Hostile', body }, NOW);
    expect((await findThread(db, id, thread))?.body).toBe(body.replace(/\r\n/g, '\n'));
  });

  it('a locked thread takes no reply; a thread of another group is not found', async () => {
    const id = await newGroup('locking');
    const other = await newGroup('locking-other');
    const a = await user('ridder@example.org');
    const thread = await createThread(db, { groupId: id, authorId: a.id, title: 'T', body: 'x' }, NOW);
    expect(await setThreadFlag(db, id, thread, 'locked', true)).toEqual({ ok: true });
    expect(await setThreadFlag(db, id, thread, 'locked', true)).toEqual({ ok: false, problem: 'unchanged' });
    expect(await postReply(db, { groupId: id, threadId: thread, authorId: a.id, body: 'late' }, NOW)).toEqual({ ok: false, problem: 'locked' });
    expect(await postReply(db, { groupId: other, threadId: thread, authorId: a.id, body: 'x' }, NOW)).toEqual({ ok: false, problem: 'threadNotFound' });
    expect(await setThreadFlag(db, other, thread, 'pinned', true)).toEqual({ ok: false, problem: 'threadNotFound' });
    expect((await listReplies(db, thread, 1)).total).toBe(0);
  });

  it('hiding: a reply must belong to the thread; hidden threads show only to their author and moderators', async () => {
    const id = await newGroup('hiding');
    const [a, b, lead] = await Promise.all([user('ridder@example.org'), user('temirtau@example.org'), user('aksu@example.org')]);
    const t1 = await createThread(db, { groupId: id, authorId: a.id, title: 'One', body: 'x' }, NOW);
    const t2 = await createThread(db, { groupId: id, authorId: a.id, title: 'Two', body: 'x' }, NOW);
    const reply = await postReply(db, { groupId: id, threadId: t1, authorId: b.id, body: 'r' }, NOW);
    const replyId = (reply as { replyId: number }).replyId;
    expect(await setReplyHidden(db, id, t2, replyId, { by: lead.id, reason: 'spam' }, NOW)).toEqual({ ok: false, problem: 'replyNotFound' });
    expect(await setReplyHidden(db, id, t1, replyId, { by: lead.id, reason: 'Off topic' }, NOW)).toEqual({ ok: true });
    expect((await listReplies(db, t1, 1)).replies[0]).toMatchObject({ hidden: true, hiddenReason: 'Off topic', body: 'r' });
    expect(await setThreadHidden(db, id, t2, { by: lead.id, reason: 'Duplicate' }, NOW)).toEqual({ ok: true });
    const titles = async (viewerId: string, seeAllHidden: boolean) => (await listThreads(db, id, { viewerId, seeAllHidden, page: 1 })).threads.map((t) => t.title).sort();
    expect(await titles(b.id, false)).toEqual(['One']);
    expect(await titles(a.id, false)).toEqual(['One', 'Two']);
    expect(await titles(lead.id, true)).toEqual(['One', 'Two']);
  });

  it('replies come in pages of 20', async () => {
    const id = await newGroup('many-replies');
    const a = await user('ridder@example.org');
    const thread = await createThread(db, { groupId: id, authorId: a.id, title: 'Many', body: 'x' }, NOW);
    let last;
    for (let n = 1; n <= REPLIES_PER_PAGE + 5; n++) last = await postReply(db, { groupId: id, threadId: thread, authorId: a.id, body: `reply ${n}` }, NOW + n);
    expect(last).toMatchObject({ ok: true, page: 2 });
    const second = await listReplies(db, thread, 2);
    expect(second.pages).toBe(2);
    expect(second.replies.map((r) => r.body)).toEqual(['reply 21', 'reply 22', 'reply 23', 'reply 24', 'reply 25']);
    expect((await listReplies(db, thread, 3)).replies).toEqual([]);
  });

  it('authors and repliers follow; an unfollow survives replying again', async () => {
    const id = await newGroup('following');
    const [a, b] = await Promise.all([user('ridder@example.org'), user('temirtau@example.org')]);
    await joinGroup(db, id, a.id, NOW);
    await joinGroup(db, id, b.id, NOW);
    const thread = await createThread(db, { groupId: id, authorId: a.id, title: 'F', body: 'x' }, NOW);
    await postReply(db, { groupId: id, threadId: thread, authorId: b.id, body: 'r' }, NOW);
    expect((await followerIds(db, id, thread)).sort()).toEqual([a.id, b.id].sort());
    await follow(db, thread, b.id, true, false);
    await postReply(db, { groupId: id, threadId: thread, authorId: b.id, body: 'again' }, NOW);
    expect(await isFollowing(db, thread, b.id)).toBe(false);
    expect(await followerIds(db, id, thread)).toEqual([a.id]);
  });
});

describe('mentions', () => {
  const members = [
    { userId: 'irina', displayName: 'Irina Sokolova' },
    { userId: 'irina-s', displayName: 'Irina' },
    { userId: 'gulnara', displayName: 'Gulnara Akhmetova' },
    { userId: 'dana', displayName: 'Дана Қуанышева' },
  ];
  it('finds members by their display name after @, longest name first, any case', () => {
    expect(findMentions('Thanks @irina sokolova, and @Gulnara Akhmetova!', members).sort()).toEqual(['gulnara', 'irina']);
    expect(findMentions('@Irina, can you share?', members)).toEqual(['irina-s']);
    expect(findMentions('Рахмет, @Дана Қуанышева.', members)).toEqual(['dana']);
  });
  it('ignores emails, names that continue into a longer word, people outside the group, and code', () => {
    expect(findMentions('write to irina@example.org', members)).toEqual([]);
    expect(findMentions('@Irinaaa and @Someone Else', members)).toEqual([]);
    expect(findMentions('`@Irina` and\n```\n@Gulnara Akhmetova\n```', members)).toEqual([]);
  });
});

describe('meetings and resources', () => {
  it('the next meeting is the soonest that has not ended; answers are counted and changeable', async () => {
    const id = await newGroup('meetings');
    const a = await user('ridder@example.org');
    await announceMeeting(db, { groupId: id, title: 'Past', startsAt: NOW - 7200, durationMinutes: 60, place: 'Hall', link: null, agenda: 'x', createdBy: a.id }, NOW);
    const later = await announceMeeting(db, { groupId: id, title: 'Later', startsAt: NOW + 7200, durationMinutes: 60, place: 'Hall', link: null, agenda: 'x', createdBy: a.id }, NOW);
    await announceMeeting(db, { groupId: id, title: 'Much later', startsAt: NOW + 72000, durationMinutes: 60, place: null, link: 'https://meet.example.org/x', agenda: 'x', createdBy: a.id }, NOW);
    expect((await nextMeeting(db, id, NOW))?.title).toBe('Later');
    await answerMeeting(db, later, a.id, 'maybe', NOW);
    await answerMeeting(db, later, a.id, 'yes', NOW);
    expect(await meetingAnswers(db, later, a.id)).toMatchObject({ counts: { yes: 1, no: 0, maybe: 0 }, mine: 'yes' });
  });

  it('reads knowledge-centre references from URLs and paths, and accepts only http(s) links', () => {
    expect(parseItemReference('https://qala.example.org/en/resources/planning-without-experts/')).toEqual({ collection: 'resources', slug: 'planning-without-experts' });
    expect(parseItemReference('/ru/funding/some-programme')).toEqual({ collection: 'programmes', slug: 'some-programme' });
    expect(parseItemReference('cases/ridder-heat-network')).toEqual({ collection: 'cases', slug: 'ridder-heat-network' });
    expect(parseItemReference('/en/groups/utilities-renewal/')).toBeUndefined();
    expect(parseItemReference('javascript:alert(1)')).toBeUndefined();
    expect(isHttpUrl('https://stat.gov.kz/')).toBe(true);
    for (const bad of ['javascript:alert(1)', 'data:text/html,x', 'ftp://example.org/', '//evil.example', 'stat.gov.kz']) expect(isHttpUrl(bad), bad).toBe(false);
  });

  it('the same target is pinned once', async () => {
    const id = await newGroup('pins');
    const a = await user('ridder@example.org');
    expect((await pinResource(db, { groupId: id, kind: 'item', target: 'cases/ridder-heat-network', title: null, createdBy: a.id }, NOW)).ok).toBe(true);
    expect(await pinResource(db, { groupId: id, kind: 'item', target: 'cases/ridder-heat-network', title: null, createdBy: a.id }, NOW)).toEqual({ ok: false, problem: 'duplicate' });
  });
});
