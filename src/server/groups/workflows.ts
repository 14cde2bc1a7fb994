import type { CommunityRule } from '~/lib/community-rules.ts';
import type { Kysely } from 'kysely';
import { formatDateTime } from '~/lib/format.ts';
import { recordAudit } from '~/server/audit/audit.ts';
import type { Database } from '~/server/db/schema.ts';
import { attachUpload, type Upload } from '~/server/files/files.ts';
import type { Notifier } from '~/server/notifications/notifications.ts';
import { createGroup, setArchived, updateGroup, type Group, type GroupInput } from './groups.ts';
import { announceMeeting } from './meetings.ts';
import { addMemberByEmail, decideRequest, leadIds, listMembers, memberIds, removeMember, requestToJoin, setMemberRole, type MemberOutcome } from './members.ts';
import { findMentions } from './mentions.ts';
import { notifyMembers } from './notify.ts';
import { followerIds } from './following.ts';
import { createThread, postReply, setReplyHidden, setThreadFlag, setThreadHidden, type ThreadOutcome } from './threads.ts';

// The steps of a working group that tell people or leave an audit entry. Each writes
// first (members.ts, threads.ts…: one transaction each), then tells the members it
// concerns in their own language and records what an editor or lead did, so a data
// test sees the whole step without HTTP. Who may take a step is the action's question
// (rules.ts); these only do it.

/** Who takes a step: the member, and the address the audit log keeps. */
export interface GroupActor {
  id: string;
  displayName: string;
  clientAddress: string;
}

const groupPath = (group: Pick<Group, 'slug'>) => `groups/${group.slug}/`;

function audit(db: Kysely<Database>, actor: GroupActor, groupId: number, action: Parameters<typeof recordAudit>[1]['action'], details?: Record<string, string | number | null>) {
  return recordAudit(db, { actorId: actor.id, action, target: { type: 'group', id: String(groupId) }, clientAddress: actor.clientAddress, ...(details ? { details } : {}) });
}

/** An editor opens a group. */
export async function openGroup(db: Kysely<Database>, input: GroupInput, actor: GroupActor): Promise<Awaited<ReturnType<typeof createGroup>>> {
  const outcome = await createGroup(db, input, actor.id);
  if (outcome.ok) await audit(db, actor, outcome.id, 'group.created', { slug: input.slug, visibility: input.visibility });
  return outcome;
}

/** An editor changes what a group is. */
export async function editGroup(db: Kysely<Database>, groupId: number, input: GroupInput, actor: GroupActor): Promise<Awaited<ReturnType<typeof updateGroup>>> {
  const outcome = await updateGroup(db, groupId, input);
  if (outcome.ok) await audit(db, actor, groupId, 'group.updated', { slug: input.slug, visibility: input.visibility });
  return outcome;
}

/** An editor archives or restores a group; false when it already was. */
export async function archiveGroup(db: Kysely<Database>, groupId: number, archived: boolean, actor: GroupActor): Promise<boolean> {
  if (!(await setArchived(db, groupId, archived))) return false;
  await audit(db, actor, groupId, archived ? 'group.archived' : 'group.restored');
  return true;
}

/** An editor makes the member with this email a lead. */
export async function appointLead(db: Kysely<Database>, groupId: number, email: string, actor: GroupActor): Promise<MemberOutcome<{ userId: string }>> {
  const outcome = await addMemberByEmail(db, groupId, email, 'lead');
  if (outcome.ok) await audit(db, actor, groupId, 'group.lead_appointed', { user: outcome.userId });
  return outcome;
}

/** An editor changes a member's role; a working group keeps at least one lead. */
export async function changeRole(db: Kysely<Database>, group: Pick<Group, 'id' | 'archived'>, userId: string, role: 'lead' | 'member', actor: GroupActor): Promise<MemberOutcome> {
  if (role === 'member' && !group.archived && (await leadIds(db, group.id)).filter((lead) => lead !== userId).length === 0) return { ok: false, problem: 'lastLead' };
  const outcome = await setMemberRole(db, group.id, userId, role);
  if (outcome.ok) await audit(db, actor, group.id, 'group.role_changed', { user: userId, role });
  return outcome;
}

/** A member asks to join a group that approves its members; its leads hear of it. */
export async function askToJoin(db: Kysely<Database>, notifier: Notifier, group: Group, actor: Pick<GroupActor, 'id' | 'displayName'>, note: string | null): Promise<MemberOutcome<{ requestId: number }>> {
  const outcome = await requestToJoin(db, group.id, actor.id, note);
  if (!outcome.ok) return outcome;
  await notifyMembers(db, notifier.mailer, {
    recipients: await leadIds(db, group.id),
    actorId: actor.id,
    kind: 'groups.join_requested',
    params: (lang) => ({ name: actor.displayName, group: group.name[lang] }),
    link: `${groupPath(group)}members/`,
    baseUrl: notifier.baseUrl,
  });
  return outcome;
}

/** A lead approves or declines a request to join; the member who asked hears the answer. */
export async function answerJoinRequest(
  db: Kysely<Database>,
  notifier: Notifier,
  answer: { group: Group; requestId: number; decision: 'approved' | 'declined'; actorId: string },
): Promise<MemberOutcome<{ userId: string }>> {
  const { group, decision } = answer;
  const outcome = await decideRequest(db, group.id, answer.requestId, decision, answer.actorId);
  if (!outcome.ok) return outcome;
  await notifyMembers(db, notifier.mailer, {
    recipients: [outcome.userId],
    actorId: answer.actorId,
    kind: decision === 'approved' ? 'groups.request_approved' : 'groups.request_declined',
    params: (lang) => ({ group: group.name[lang] }),
    link: decision === 'approved' ? groupPath(group) : 'groups/',
    baseUrl: notifier.baseUrl,
  });
  return outcome;
}

/** A lead adds the member with this email; they hear who added them. */
export async function addMember(db: Kysely<Database>, notifier: Notifier, group: Group, email: string, actor: Pick<GroupActor, 'id' | 'displayName'>): Promise<MemberOutcome<{ userId: string }>> {
  const outcome = await addMemberByEmail(db, group.id, email, 'member');
  if (!outcome.ok) return outcome;
  await notifyMembers(db, notifier.mailer, {
    recipients: [outcome.userId],
    actorId: actor.id,
    kind: 'groups.added',
    params: (lang) => ({ name: actor.displayName, group: group.name[lang] }),
    link: groupPath(group),
    baseUrl: notifier.baseUrl,
  });
  return outcome;
}

/**
 * A lead removes a member; only an editor removes another lead, and never the last
 * one. `cannotRemove` when the actor may not remove this member.
 */
export async function removeFromGroup(
  db: Kysely<Database>,
  removal: { groupId: number; userId: string; actor: GroupActor; byEditor: boolean },
): Promise<{ ok: true } | { ok: false; problem: 'lastLead' | 'cannotRemove' | 'notMember' }> {
  const leads = await leadIds(db, removal.groupId);
  if (leads.includes(removal.userId) && leads.length <= 1) return { ok: false, problem: 'lastLead' };
  if (leads.includes(removal.userId) && !removal.byEditor) return { ok: false, problem: 'cannotRemove' };
  const outcome = await removeMember(db, removal.groupId, removal.userId);
  if (!outcome.ok) return { ok: false, problem: 'notMember' };
  await audit(db, removal.actor, removal.groupId, 'group.member_removed', { user: removal.userId });
  return { ok: true };
}

/**
 * Tells the members named with @ in a post that they were mentioned, and `others`
 * (less those mentioned, who heard already) that there is something new.
 */
async function announcePost(
  db: Kysely<Database>,
  notifier: Notifier,
  post: { group: Group; authorId: string; authorName: string; title: string; body: string; link: string; others: (mentioned: readonly string[]) => Promise<string[]>; kind: 'groups.thread_created' | 'groups.reply_posted' },
): Promise<void> {
  const { group } = post;
  const mentioned = findMentions(post.body, await listMembers(db, group.id));
  const params = (lang: keyof Group['name']) => ({ author: post.authorName, title: post.title, group: group.name[lang] });
  await notifyMembers(db, notifier.mailer, { recipients: mentioned, actorId: post.authorId, kind: 'groups.mentioned', params, link: post.link, baseUrl: notifier.baseUrl });
  const others = (await post.others(mentioned)).filter((member) => !mentioned.includes(member));
  await notifyMembers(db, notifier.mailer, { recipients: others, actorId: post.authorId, kind: post.kind, params, link: post.link, baseUrl: notifier.baseUrl });
}

/** A member starts a thread; those mentioned and every other member hear of it. Returns its id. */
export async function startThread(db: Kysely<Database>, notifier: Notifier, thread: { group: Group; author: Pick<GroupActor, 'id' | 'displayName'>; title: string; body: string; upload?: Upload }): Promise<number> {
  const { group, author } = thread;
  const threadId = await createThread(db, { groupId: group.id, authorId: author.id, title: thread.title, body: thread.body });
  await attachUpload(db, { kind: 'thread', id: threadId }, thread.upload, author.id);
  const others = async () => (await listMembers(db, group.id)).map((member) => member.userId);
  await announcePost(db, notifier, { group, authorId: author.id, authorName: author.displayName, title: thread.title, body: thread.body, link: `${groupPath(group)}threads/${threadId}/`, others, kind: 'groups.thread_created' });
  return threadId;
}

/** A member replies in a thread; those mentioned and the thread's followers hear of it. */
export async function replyInThread(
  db: Kysely<Database>,
  notifier: Notifier,
  reply: { group: Group; thread: { id: number; title: string }; author: Pick<GroupActor, 'id' | 'displayName'>; body: string; upload?: Upload },
): Promise<ThreadOutcome<{ replyId: number; page: number }>> {
  const { group, thread, author } = reply;
  const outcome = await postReply(db, { groupId: group.id, threadId: thread.id, authorId: author.id, body: reply.body });
  if (!outcome.ok) return outcome;
  await attachUpload(db, { kind: 'reply', id: outcome.replyId }, reply.upload, author.id);
  const link = `${groupPath(group)}threads/${thread.id}/?page=${outcome.page}#reply-${outcome.replyId}`;
  const others = () => followerIds(db, group.id, thread.id);
  await announcePost(db, notifier, { group, authorId: author.id, authorName: author.displayName, title: thread.title, body: reply.body, link, others, kind: 'groups.reply_posted' });
  return outcome;
}

/** What a lead does to a thread. */
export type ThreadAct = 'hide' | 'show' | 'pin' | 'unpin' | 'lock' | 'unlock';

/** A lead hides or shows (with a reason, audited), pins or locks a thread. */
export async function moderateThread(db: Kysely<Database>, change: { groupId: number; threadId: number; act: ThreadAct; reason: string; rule?: CommunityRule | null; actor: GroupActor }): Promise<ThreadOutcome> {
  const { groupId, threadId, act, reason, actor } = change;
  const outcome =
    act === 'hide' || act === 'show'
      ? await setThreadHidden(db, groupId, threadId, act === 'hide' ? { by: actor.id, reason, rule: change.rule ?? null } : null)
      : await setThreadFlag(db, groupId, threadId, act === 'pin' || act === 'unpin' ? 'pinned' : 'locked', act === 'pin' || act === 'lock');
  if (outcome.ok && (act === 'hide' || act === 'show')) await audit(db, actor, groupId, act === 'hide' ? 'group.post_hidden' : 'group.post_shown', { thread: threadId, reason: reason || null, ...(act === 'hide' && change.rule ? { rule: change.rule } : {}) });
  return outcome;
}

/** A lead hides a reply with a reason, or shows it again; audited. */
export async function moderateReply(db: Kysely<Database>, change: { groupId: number; threadId: number; replyId: number; act: 'hide' | 'show'; reason: string; rule?: CommunityRule | null; actor: GroupActor }): Promise<ThreadOutcome> {
  const { groupId, threadId, replyId, act, reason, actor } = change;
  const outcome = await setReplyHidden(db, groupId, threadId, replyId, act === 'hide' ? { by: actor.id, reason, rule: change.rule ?? null } : null);
  if (outcome.ok) await audit(db, actor, groupId, act === 'hide' ? 'group.post_hidden' : 'group.post_shown', { thread: threadId, reply: replyId, reason: reason || null, ...(act === 'hide' && change.rule ? { rule: change.rule } : {}) });
  return outcome;
}

/** A lead announces a meeting; every member hears when, in their own language. Returns its id. */
export async function scheduleMeeting(
  db: Kysely<Database>,
  notifier: Notifier,
  meeting: { group: Group; title: string; startsAt: number; durationMinutes: number; place: string | null; link: string | null; agenda: string; createdBy: string; isPublic?: boolean },
): Promise<number> {
  const { group, title, startsAt } = meeting;
  // A meeting is public only where its group is: never for a private group.
  const isPublic = meeting.isPublic === true && group.visibility !== 'private';
  const meetingId = await announceMeeting(db, { groupId: group.id, title, startsAt, durationMinutes: meeting.durationMinutes, place: meeting.place, link: meeting.link, agenda: meeting.agenda, createdBy: meeting.createdBy, isPublic });
  await notifyMembers(db, notifier.mailer, {
    recipients: await memberIds(db, group.id),
    actorId: meeting.createdBy,
    kind: 'groups.meeting_announced',
    params: (lang) => ({ title, group: group.name[lang], when: formatDateTime(new Date(startsAt * 1000), lang) }),
    link: groupPath(group),
    baseUrl: notifier.baseUrl,
  });
  return meetingId;
}
