import type { Kysely } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { insertUser } from '~/server/accounts/users.ts';
import type { Database } from '~/server/db/schema.ts';
import { findGroupById, type Group, type GroupInput } from '~/server/groups/groups.ts';
import { joinGroup } from '~/server/groups/members.ts';
import { follow } from '~/server/groups/following.ts';
import { addMember, answerJoinRequest, askToJoin, moderateThread, openGroup, removeFromGroup, replyInThread, scheduleMeeting, startThread, type GroupActor } from '~/server/groups/workflows.ts';
import type { Notifier } from '~/server/notifications/notifications.ts';
import { createTestDatabase } from '../helpers/database.ts';
import { notified, testNotifier } from '../helpers/notified.ts';

/**
 * A working group's workflows without HTTP: who hears of a thread, a reply, a
 * meeting or a request to join, and what the audit log keeps of an editor's or a
 * lead's hand.
 */

let db: Kysely<Database>;
let cleanup: () => Promise<void>;
let notifier: Notifier;
let group: Group;
const people = {} as Record<'editor' | 'lead' | 'aigerim' | 'bolat' | 'outsider', GroupActor>;

const input = (visibility: GroupInput['visibility']): GroupInput => ({
  slug: 'heating',
  name: { kk: 'Жылу', ru: 'Тепло', en: 'Heating' },
  purpose: { kk: 'Мақсаты', ru: 'Цель', en: 'Purpose' },
  topics: ['utilities-housing'],
  type: 'forum',
  visibility,
  rhythm: 'monthly',
  descriptionPublic: true,
});

async function person(name: string, role: 'member' | 'editor' = 'member', language: 'en' | 'ru' = 'en'): Promise<GroupActor> {
  const id = await insertUser(db, { email: `${name.toLowerCase()}@example.org`, passwordHash: 'x', displayName: name, role, townId: null, language }, 1);
  return { id, displayName: name, clientAddress: '203.0.113.9' };
}

const audit = () => db.selectFrom('audit_log').select(['actor_id', 'action', 'target_id', 'details']).orderBy('id').execute();

beforeEach(async () => {
  ({ db, cleanup } = await createTestDatabase());
  notifier = testNotifier(db);
  people.editor = await person('Editor', 'editor');
  people.lead = await person('Lead');
  people.aigerim = await person('Aigerim', 'member', 'ru');
  people.bolat = await person('Bolat');
  people.outsider = await person('Outsider');
  const opened = await openGroup(db, input('approval'), people.editor);
  if (!opened.ok) throw new Error('slug taken');
  group = (await findGroupById(db, opened.id))!;
  await db.insertInto('group_members').values({ group_id: group.id, user_id: people.lead.id, role: 'lead', joined_at: 1 }).execute();
  for (const member of [people.aigerim, people.bolat]) await joinGroup(db, group.id, member.id);
});
afterEach(() => cleanup());

describe('group workflows', () => {
  it('opening a group is audited with its address and visibility', async () => {
    expect(await audit()).toEqual([{ actor_id: people.editor.id, action: 'group.created', target_id: String(group.id), details: JSON.stringify({ slug: 'heating', visibility: 'approval' }) }]);
  });

  it('a new thread notifies every other member; those mentioned hear of the mention instead', async () => {
    const threadId = await startThread(db, notifier, { group, author: people.lead, title: 'Tariffs', body: 'What do you think, @Aigerim?' });
    const link = (language: string) => `/${language}/groups/heating/threads/${threadId}/`;
    expect(await notified(db)).toEqual([
      { userId: people.aigerim.id, kind: 'groups.mentioned', link: link('ru'), params: { author: 'Lead', title: 'Tariffs', group: 'Тепло' } },
      { userId: people.bolat.id, kind: 'groups.thread_created', link: link('en'), params: { author: 'Lead', title: 'Tariffs', group: 'Heating' } },
    ]);
  });

  it('a reply notifies the thread’s followers, not its author and not the other members', async () => {
    const threadId = await startThread(db, notifier, { group, author: people.lead, title: 'Tariffs', body: 'Opening words.' });
    await follow(db, threadId, people.aigerim.id, true);
    await db.deleteFrom('notifications').execute();

    const outcome = await replyInThread(db, notifier, { group, thread: { id: threadId, title: 'Tariffs' }, author: people.bolat, body: 'We froze ours.' });
    if (!outcome.ok) throw new Error(outcome.problem);
    // The thread's author follows it; the one who replied now does too, and hears nothing of their own reply.
    expect((await notified(db)).map((row) => [row.userId, row.kind, row.link]).sort()).toEqual(
      [
        [people.lead.id, 'groups.reply_posted', `/en/groups/heating/threads/${threadId}/?page=1#reply-${outcome.replyId}`],
        [people.aigerim.id, 'groups.reply_posted', `/ru/groups/heating/threads/${threadId}/?page=1#reply-${outcome.replyId}`],
      ].sort(),
    );
  });

  it('a request to join notifies the leads; the answer notifies the member who asked', async () => {
    const asked = await askToJoin(db, notifier, group, people.outsider, 'I run our boiler house.');
    if (!asked.ok) throw new Error(asked.problem);
    expect((await notified(db)).map((row) => [row.userId, row.kind, row.link])).toEqual([[people.lead.id, 'groups.join_requested', '/en/groups/heating/members/']]);

    expect(await answerJoinRequest(db, notifier, { group, requestId: asked.requestId, decision: 'approved', actorId: people.lead.id })).toMatchObject({ ok: true });
    expect((await notified(db, 'groups.request_approved')).map((row) => [row.userId, row.link])).toEqual([[people.outsider.id, '/en/groups/heating/']]);
  });

  it('a meeting notifies every member but the lead who announced it; adding a member tells them who did', async () => {
    await scheduleMeeting(db, notifier, { group, title: 'Spring meeting', startsAt: 1_900_000_000, durationMinutes: 60, place: 'Akimat', link: null, agenda: 'Tariffs', createdBy: people.lead.id });
    expect((await notified(db)).map((row) => [row.userId, row.kind]).sort()).toEqual([
      [people.aigerim.id, 'groups.meeting_announced'],
      [people.bolat.id, 'groups.meeting_announced'],
    ].sort());

    expect(await addMember(db, notifier, group, 'outsider@example.org', people.lead)).toMatchObject({ ok: true });
    expect(await notified(db, 'groups.added')).toEqual([{ userId: people.outsider.id, kind: 'groups.added', link: '/en/groups/heating/', params: { name: 'Lead', group: 'Heating' } }]);
  });

  it('hiding a thread and removing a member are audited; the last lead is never removed', async () => {
    const threadId = await startThread(db, notifier, { group, author: people.bolat, title: 'Off topic', body: 'Spam' });
    expect(await moderateThread(db, { groupId: group.id, threadId, act: 'hide', reason: 'Advertising', actor: people.lead })).toEqual({ ok: true });
    expect(await moderateThread(db, { groupId: group.id, threadId, act: 'pin', reason: '', actor: people.lead })).toEqual({ ok: true });
    expect(await removeFromGroup(db, { groupId: group.id, userId: people.lead.id, actor: people.editor, byEditor: true })).toEqual({ ok: false, problem: 'lastLead' });
    expect(await removeFromGroup(db, { groupId: group.id, userId: people.bolat.id, actor: people.lead, byEditor: false })).toEqual({ ok: true });

    expect((await audit()).slice(1)).toEqual([
      { actor_id: people.lead.id, action: 'group.post_hidden', target_id: String(group.id), details: JSON.stringify({ thread: threadId, reason: 'Advertising' }) },
      { actor_id: people.lead.id, action: 'group.member_removed', target_id: String(group.id), details: JSON.stringify({ user: people.bolat.id }) },
    ]);
  });
});
