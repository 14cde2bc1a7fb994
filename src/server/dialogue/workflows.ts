import type { Kysely } from 'kysely';
import { createTranslator, LANGUAGES, type Language } from '~/i18n/index.ts';
import { now } from '~/lib/clock.ts';
import type { CommunityRule } from '~/lib/community-rules.ts';
import { isEnded, type DialogueKind, type DialogueStatus } from '~/lib/dialogue/catalogue.ts';
import { recordAudit } from '~/server/audit/audit.ts';
import type { CurrentUser } from '~/server/auth/lucia.ts';
import type { Database } from '~/server/db/schema.ts';
import { notifyEach, reviewerIds, type Notifier } from '~/server/notifications/notifications.ts';
import type { NotificationKind } from '~/server/notifications/kinds.ts';
import type { LocalizedText } from '~/server/notifications/render.ts';
import { canAnswer, canApproveTopic, canChangeVisibility, canFollow, canHidePost, canOpenTopic, canSetStatus, isDialogueEditor, startsPublic } from './rules.ts';
import { syncTopicSearch } from './search.ts';
import { loadTopic } from './topics.ts';

// The dialogue's steps that change data and tell people about it. Each checks its rule
// (the action asked too; a workflow never trusts its caller), writes in one transaction
// (the topic, its history event and its search document together), then notifies.

/** What opening a topic takes. */
export interface TopicInput {
  title: string;
  body: string;
  kind: DialogueKind;
  topics: readonly string[];
  regions: readonly string[];
  townIds: readonly number[];
  partnerIds: readonly number[];
  public: boolean;
  language: Language;
}

export type DialogueProblem = 'forbidden' | 'notFound' | 'outcomeRequired' | 'unknownTown' | 'unknownPartner';
export type Outcome<T = object> = ({ ok: true } & T) | { ok: false; problem: DialogueProblem };

async function addEvent(db: Kysely<Database>, topicId: number, actorId: string | null, kind: string, params: Record<string, string | number> = {}, at = now()): Promise<void> {
  await db.insertInto('dialogue_events').values({ topic_id: topicId, actor_id: actorId, kind, params: JSON.stringify(params), created_at: at }).execute();
}

async function follow(db: Kysely<Database>, topicId: number, userId: string): Promise<void> {
  await db.insertInto('dialogue_follows').values({ topic_id: topicId, user_id: userId }).onConflict((conflict) => conflict.doNothing()).execute();
}

/** The active accounts of the towns and partners a topic names. */
async function namedPeople(db: Kysely<Database>, topicId: number): Promise<string[]> {
  const townPeople = await db
    .selectFrom('users')
    .innerJoin('dialogue_topic_towns', 'dialogue_topic_towns.town_id', 'users.town_id')
    .select('users.id')
    .where('dialogue_topic_towns.topic_id', '=', topicId)
    .where('users.role', 'in', ['member', 'town_admin'])
    .where('users.disabled_at', 'is', null)
    .execute();
  const partnerPeople = await db
    .selectFrom('users')
    .innerJoin('dialogue_topic_partners', 'dialogue_topic_partners.partner_id', 'users.partner_id')
    .select('users.id')
    .where('dialogue_topic_partners.topic_id', '=', topicId)
    .where('users.role', '=', 'partner')
    .where('users.disabled_at', 'is', null)
    .execute();
  return [...townPeople, ...partnerPeople].map((row) => row.id);
}

async function followers(db: Kysely<Database>, topicId: number): Promise<string[]> {
  return (await db.selectFrom('dialogue_follows').select('user_id').where('topic_id', '=', topicId).execute()).map((row) => row.user_id);
}

/** The status's name in every language, stored with a notification so it is shown in the reader's. */
function statusNames(status: DialogueStatus): LocalizedText {
  return Object.fromEntries(LANGUAGES.map((lang) => [lang, createTranslator(lang)(`dialogue.status.${status}`)])) as LocalizedText;
}

async function tell(db: Kysely<Database>, notifier: Notifier, userIds: Iterable<string>, kind: NotificationKind, topic: { id: number; title: string }, actorId: string | null, extra: Record<string, string | LocalizedText> = {}): Promise<void> {
  await notifyEach(db, notifier, userIds, { kind, params: { title: topic.title, ...extra }, link: `dialogue/${topic.id}/` }, actorId);
}

/**
 * Opens a topic for a town, a partner or the association (by the actor's account). A
 * partner's first topic waits for an editor's approval; the others are open at once and
 * the towns and partners named hear of them. Returns the id and whether it is approved.
 */
export async function openTopic(db: Kysely<Database>, notifier: Notifier, actor: CurrentUser, input: TopicInput): Promise<Outcome<{ id: number; approved: boolean }>> {
  if (!canOpenTopic(actor)) return { ok: false, problem: 'forbidden' };
  const asEditor = isDialogueEditor(actor);
  const townId = !asEditor && actor.role !== 'partner' ? (actor.town?.id ?? null) : null;
  const partnerId = actor.role === 'partner' ? (actor.partner?.id ?? null) : null;
  const at = now();
  const result = await db.transaction().execute(async (trx): Promise<Outcome<{ id: number; approved: boolean }>> => {
    const towns = input.townIds.length ? await trx.selectFrom('towns').select('id').where('id', 'in', input.townIds).execute() : [];
    if (towns.length !== new Set(input.townIds).size) return { ok: false, problem: 'unknownTown' };
    const partners = input.partnerIds.length ? await trx.selectFrom('partners').select('id').where('id', 'in', input.partnerIds).where('status', '=', 'approved').execute() : [];
    if (partners.length !== new Set(input.partnerIds).size) return { ok: false, problem: 'unknownPartner' };
    // A partner's first topic is moderated before anyone else reads it.
    const approvedBefore = partnerId === null ? true : Boolean(await trx.selectFrom('dialogue_topics').select('id').where('partner_id', '=', partnerId).where('approved_at', 'is not', null).executeTakeFirst());
    const created = await trx
      .insertInto('dialogue_topics')
      .values({
        title: input.title,
        body: input.body,
        kind: input.kind,
        language: input.language,
        topics: JSON.stringify(input.topics),
        regions: JSON.stringify(input.regions),
        author_id: actor.id,
        town_id: townId,
        partner_id: partnerId,
        status: 'open',
        outcome: null,
        public: startsPublic(actor, input.kind, input.public) ? 1 : 0,
        approved_at: approvedBefore ? at : null,
        created_at: at,
        updated_at: at,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    for (const id of new Set(input.townIds)) await trx.insertInto('dialogue_topic_towns').values({ topic_id: created.id, town_id: id }).execute();
    for (const id of new Set(input.partnerIds)) await trx.insertInto('dialogue_topic_partners').values({ topic_id: created.id, partner_id: id }).execute();
    await addEvent(trx, created.id, actor.id, 'opened', {}, at);
    await follow(trx, created.id, actor.id);
    const topic = await trx.selectFrom('dialogue_topics').selectAll().where('id', '=', created.id).executeTakeFirstOrThrow();
    await syncTopicSearch(trx, topic);
    return { ok: true, id: created.id, approved: approvedBefore };
  });
  if (!result.ok) return result;
  const topic = { id: result.id, title: input.title };
  if (result.approved) await tell(db, notifier, await namedPeople(db, result.id), 'dialogue.named', topic, actor.id);
  else await tell(db, notifier, await reviewerIds(db), 'dialogue.awaiting_approval', topic, actor.id);
  return result;
}

/** An editor approves a waiting topic: it opens, its author and the parties named hear of it. */
export async function approveTopic(db: Kysely<Database>, notifier: Notifier, editor: CurrentUser, topicId: number): Promise<Outcome> {
  const loaded = await loadTopic(db, topicId);
  if (!loaded) return { ok: false, problem: 'notFound' };
  if (!canApproveTopic(editor, loaded.facts)) return { ok: false, problem: 'forbidden' };
  const at = now();
  await db.transaction().execute(async (trx) => {
    await trx.updateTable('dialogue_topics').set({ approved_at: at, updated_at: at }).where('id', '=', topicId).where('approved_at', 'is', null).execute();
    await addEvent(trx, topicId, editor.id, 'approved', {}, at);
    await syncTopicSearch(trx, await trx.selectFrom('dialogue_topics').selectAll().where('id', '=', topicId).executeTakeFirstOrThrow());
  });
  const topic = { id: topicId, title: loaded.row.title };
  await tell(db, notifier, [loaded.row.author_id], 'dialogue.approved', topic, editor.id);
  await tell(db, notifier, await namedPeople(db, topicId), 'dialogue.named', topic, editor.id);
  return { ok: true };
}

/** Someone the topic asks answers: the post is stored, they follow the topic, and the followers and parties named hear of it. */
export async function answerTopic(db: Kysely<Database>, notifier: Notifier, actor: CurrentUser, topicId: number, body: string): Promise<Outcome<{ id: number }>> {
  const loaded = await loadTopic(db, topicId);
  if (!loaded) return { ok: false, problem: 'notFound' };
  if (!canAnswer(actor, loaded.facts)) return { ok: false, problem: 'forbidden' };
  const at = now();
  const id = await db.transaction().execute(async (trx) => {
    const post = await trx.insertInto('dialogue_posts').values({ topic_id: topicId, author_id: actor.id, body, created_at: at, hidden_at: null, hidden_by: null, hidden_rule: null, hidden_reason: null }).returning('id').executeTakeFirstOrThrow();
    await trx.updateTable('dialogue_topics').set({ updated_at: at }).where('id', '=', topicId).execute();
    await follow(trx, topicId, actor.id);
    return post.id;
  });
  const audience = [...(await followers(db, topicId)), ...(await namedPeople(db, topicId))];
  await tell(db, notifier, audience, 'dialogue.reply_posted', { id: topicId, title: loaded.row.title }, actor.id, { name: actor.displayName });
  return { ok: true, id };
}

/**
 * Moves a topic to a status. An ending status (agreed, declined, closed) needs the
 * outcome, which is kept on the topic and in its history. Followers and parties named hear of it.
 */
export async function setTopicStatus(db: Kysely<Database>, notifier: Notifier, actor: CurrentUser, topicId: number, status: DialogueStatus, outcome: string | null): Promise<Outcome> {
  const loaded = await loadTopic(db, topicId);
  if (!loaded) return { ok: false, problem: 'notFound' };
  if (!canSetStatus(actor, loaded.facts, status)) return { ok: false, problem: 'forbidden' };
  const ends = isEnded(status);
  if (ends && !outcome) return { ok: false, problem: 'outcomeRequired' };
  const at = now();
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable('dialogue_topics')
      .set({ status, updated_at: at, ...(ends ? { outcome } : {}) })
      .where('id', '=', topicId)
      .execute();
    await addEvent(trx, topicId, actor.id, 'status_changed', ends ? { status, outcome: outcome! } : { status }, at);
    await syncTopicSearch(trx, await trx.selectFrom('dialogue_topics').selectAll().where('id', '=', topicId).executeTakeFirstOrThrow());
  });
  const audience = [...(await followers(db, topicId)), ...(await namedPeople(db, topicId))];
  await tell(db, notifier, audience, 'dialogue.status_changed', { id: topicId, title: loaded.row.title }, actor.id, { status: statusNames(status) });
  return { ok: true };
}

/** An editor makes a topic public (search, sitemap, feed) or members-only again. */
export async function setTopicVisibility(db: Kysely<Database>, editor: CurrentUser, topicId: number, makePublic: boolean): Promise<Outcome> {
  const loaded = await loadTopic(db, topicId);
  if (!loaded) return { ok: false, problem: 'notFound' };
  if (!canChangeVisibility(editor, loaded.facts)) return { ok: false, problem: 'forbidden' };
  if (loaded.facts.public === makePublic) return { ok: true };
  const at = now();
  await db.transaction().execute(async (trx) => {
    await trx.updateTable('dialogue_topics').set({ public: makePublic ? 1 : 0, updated_at: at }).where('id', '=', topicId).execute();
    await addEvent(trx, topicId, editor.id, makePublic ? 'made_public' : 'made_members_only', {}, at);
    await syncTopicSearch(trx, await trx.selectFrom('dialogue_topics').selectAll().where('id', '=', topicId).executeTakeFirstOrThrow());
  });
  return { ok: true };
}

/** An editor hides a post, naming the community rule it breaks; its author hears why. */
export async function hidePost(db: Kysely<Database>, notifier: Notifier, editor: CurrentUser, change: { postId: number; rule: CommunityRule; reason: string; clientAddress: string }): Promise<Outcome<{ topicId: number }>> {
  if (!canHidePost(editor)) return { ok: false, problem: 'forbidden' };
  const post = await db.selectFrom('dialogue_posts').innerJoin('dialogue_topics', 'dialogue_topics.id', 'dialogue_posts.topic_id').select(['dialogue_posts.id', 'dialogue_posts.topic_id', 'dialogue_posts.author_id', 'dialogue_posts.hidden_at', 'dialogue_topics.title']).where('dialogue_posts.id', '=', change.postId).executeTakeFirst();
  if (!post) return { ok: false, problem: 'notFound' };
  if (post.hidden_at !== null) return { ok: true, topicId: post.topic_id };
  const at = now();
  await db.transaction().execute(async (trx) => {
    await trx.updateTable('dialogue_posts').set({ hidden_at: at, hidden_by: editor.id, hidden_rule: change.rule, hidden_reason: change.reason }).where('id', '=', post.id).execute();
    await addEvent(trx, post.topic_id, editor.id, 'post_hidden', { rule: change.rule }, at);
    await recordAudit(trx, { actorId: editor.id, action: 'dialogue.post_hidden', target: { type: 'dialogue_post', id: String(post.id) }, clientAddress: change.clientAddress, details: { rule: change.rule } }, at);
  });
  await tell(db, notifier, [post.author_id], 'dialogue.post_hidden', { id: post.topic_id, title: post.title }, editor.id, {
    rule: Object.fromEntries(LANGUAGES.map((lang) => [lang, createTranslator(lang)(`rules.${change.rule}`)])) as LocalizedText,
  });
  return { ok: true, topicId: post.topic_id };
}

/** Follows or stops following a topic. */
export async function setFollowing(db: Kysely<Database>, user: CurrentUser, topicId: number, following: boolean): Promise<Outcome> {
  const loaded = await loadTopic(db, topicId);
  if (!loaded) return { ok: false, problem: 'notFound' };
  if (!canFollow(user, loaded.facts)) return { ok: false, problem: 'forbidden' };
  if (following) await follow(db, topicId, user.id);
  else await db.deleteFrom('dialogue_follows').where('topic_id', '=', topicId).where('user_id', '=', user.id).execute();
  return { ok: true };
}
