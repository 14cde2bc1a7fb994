import type { Kysely } from 'kysely';
import type { Language } from '~/i18n/index.ts';
import { parseIdList, type DialogueKind, type DialogueStatus } from '~/lib/dialogue/catalogue.ts';
import type { CurrentUser } from '~/server/auth/lucia.ts';
import type { Database, DialogueTopic } from '~/server/db/schema.ts';
import { canSeeHiddenPost, canUseDialogue, canViewTopic, isDialogueEditor, type TopicFacts } from './rules.ts';

/** Who opened a topic, as the page names it. */
export type TopicOpener = { kind: 'town'; name: Record<Language, string>; slug: string } | { kind: 'partner'; name: string } | { kind: 'association' };

/** A topic with what the rules need: the towns and partners it names. */
export interface LoadedTopic {
  row: DialogueTopic;
  facts: TopicFacts;
}

/** The rules' view of a topic row and its named parties. */
export function topicFacts(row: DialogueTopic, namedTownIds: readonly number[], namedPartnerIds: readonly number[]): TopicFacts {
  return {
    authorId: row.author_id,
    townId: row.town_id,
    partnerId: row.partner_id,
    approved: row.approved_at !== null,
    public: row.public === 1,
    status: row.status,
    namedTownIds,
    namedPartnerIds,
  };
}

/** One topic with its named parties, or undefined. */
export async function loadTopic(db: Kysely<Database>, id: number): Promise<LoadedTopic | undefined> {
  const row = await db.selectFrom('dialogue_topics').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) return undefined;
  const towns = await db.selectFrom('dialogue_topic_towns').select('town_id').where('topic_id', '=', id).execute();
  const partners = await db.selectFrom('dialogue_topic_partners').select('partner_id').where('topic_id', '=', id).execute();
  return { row, facts: topicFacts(row, towns.map((town) => town.town_id), partners.map((partner) => partner.partner_id)) };
}

/** A topic in a list. */
export interface TopicSummary {
  id: number;
  title: string;
  kind: DialogueKind;
  status: DialogueStatus;
  language: Language;
  public: boolean;
  approved: boolean;
  opener: TopicOpener;
  answers: number;
  updatedAt: number;
}

function openerOf(row: { town_id: number | null; partner_id: number | null; town_slug: string | null; town_name_kk: string | null; town_name_ru: string | null; town_name_en: string | null; partner_name: string | null }): TopicOpener {
  if (row.town_id !== null) return { kind: 'town', slug: row.town_slug ?? '', name: { kk: row.town_name_kk ?? '', ru: row.town_name_ru ?? '', en: row.town_name_en ?? '' } };
  if (row.partner_id !== null) return { kind: 'partner', name: row.partner_name ?? '' };
  return { kind: 'association' };
}

function topicsWithOpeners(db: Kysely<Database>) {
  return db
    .selectFrom('dialogue_topics')
    .leftJoin('towns', 'towns.id', 'dialogue_topics.town_id')
    .leftJoin('partners', 'partners.id', 'dialogue_topics.partner_id')
    .selectAll('dialogue_topics')
    .select(['towns.slug as town_slug', 'towns.name_kk as town_name_kk', 'towns.name_ru as town_name_ru', 'towns.name_en as town_name_en', 'partners.name as partner_name'])
    .select((eb) =>
      eb
        .selectFrom('dialogue_posts')
        .select((inner) => inner.fn.countAll<number>().as('count'))
        .whereRef('dialogue_posts.topic_id', '=', 'dialogue_topics.id')
        .where('dialogue_posts.hidden_at', 'is', null)
        .as('answers'),
    );
}

/** The filters of the list page. */
export interface TopicFilters {
  status?: DialogueStatus;
  kind?: DialogueKind;
}

/**
 * The topics a viewer may see, most recently active first: a visitor the public ones;
 * signed-in accounts every approved topic and their own side's waiting ones; editors all.
 */
export async function listTopics(db: Kysely<Database>, viewer: CurrentUser | null, filters: TopicFilters = {}, limit = 100): Promise<TopicSummary[]> {
  let query = topicsWithOpeners(db);
  if (filters.status) query = query.where('dialogue_topics.status', '=', filters.status);
  if (filters.kind) query = query.where('dialogue_topics.kind', '=', filters.kind);
  if (!canUseDialogue(viewer)) query = query.where('dialogue_topics.public', '=', 1).where('dialogue_topics.approved_at', 'is not', null);
  else if (!isDialogueEditor(viewer)) {
    const townId = (viewer.role === 'member' || viewer.role === 'town_admin') && viewer.town ? viewer.town.id : -1;
    const partnerId = viewer.role === 'partner' && viewer.partner ? viewer.partner.id : -1;
    query = query.where((eb) =>
      eb.or([
        eb('dialogue_topics.approved_at', 'is not', null),
        eb('dialogue_topics.author_id', '=', viewer.id),
        eb('dialogue_topics.town_id', '=', townId),
        eb('dialogue_topics.partner_id', '=', partnerId),
      ]),
    );
  }
  const rows = await query.orderBy('dialogue_topics.updated_at', 'desc').orderBy('dialogue_topics.id', 'desc').limit(limit).execute();
  return rows.map((row) => ({
    id: row.id,
    title: row.title,
    kind: row.kind,
    status: row.status,
    language: row.language,
    public: row.public === 1,
    approved: row.approved_at !== null,
    opener: openerOf(row),
    answers: Number(row.answers ?? 0),
    updatedAt: row.updated_at,
  }));
}

/** A post as its reader sees it: a hidden post's text only for its author and editors. */
export interface TopicPost {
  id: number;
  authorId: string;
  authorName: string;
  organisation: string | Record<Language, string> | null;
  body: string | null;
  createdAt: number;
  hidden: { rule: string | null; reason: string | null } | null;
}

/** What the topic page shows, for a viewer who may see the topic. */
export interface TopicPage {
  topic: DialogueTopic;
  facts: TopicFacts;
  opener: TopicOpener;
  authorName: string;
  namedTowns: Array<{ id: number; slug: string; name: Record<Language, string> }>;
  namedPartners: Array<{ id: number; name: string }>;
  posts: TopicPost[];
  events: Array<{ kind: string; params: string; createdAt: number; actorName: string | null }>;
  following: boolean;
}

/** The topic page's data; undefined when the topic does not exist or the viewer may not see it (the page answers as for nothing). */
export async function topicPage(db: Kysely<Database>, viewer: CurrentUser | null, id: number): Promise<TopicPage | 'signIn' | undefined> {
  const row = await topicsWithOpeners(db).where('dialogue_topics.id', '=', id).executeTakeFirst();
  if (!row) return undefined;
  const namedTowns = await db.selectFrom('dialogue_topic_towns').innerJoin('towns', 'towns.id', 'dialogue_topic_towns.town_id').select(['towns.id', 'towns.slug', 'towns.name_kk', 'towns.name_ru', 'towns.name_en']).where('topic_id', '=', id).orderBy('towns.name_en').execute();
  const namedPartners = await db.selectFrom('dialogue_topic_partners').innerJoin('partners', 'partners.id', 'dialogue_topic_partners.partner_id').select(['partners.id', 'partners.name']).where('topic_id', '=', id).orderBy('partners.name').execute();
  const { answers: _answers, town_slug: _slug, town_name_kk: _kk, town_name_ru: _ru, town_name_en: _en, partner_name: _partner, ...topic } = row;
  const facts = topicFacts(topic, namedTowns.map((town) => town.id), namedPartners.map((partner) => partner.id));
  if (!canViewTopic(viewer, facts)) {
    // A members-only topic exists for the signed-in: a visitor is asked to sign in; a waiting topic is like none.
    return facts.approved && viewer === null ? 'signIn' : undefined;
  }
  const author = await db.selectFrom('users').select('display_name').where('id', '=', topic.author_id).executeTakeFirst();
  const posts = await db
    .selectFrom('dialogue_posts')
    .innerJoin('users', 'users.id', 'dialogue_posts.author_id')
    .leftJoin('towns', 'towns.id', 'users.town_id')
    .leftJoin('partners', 'partners.id', 'users.partner_id')
    .select(['dialogue_posts.id', 'dialogue_posts.author_id', 'dialogue_posts.body', 'dialogue_posts.created_at', 'dialogue_posts.hidden_at', 'dialogue_posts.hidden_rule', 'dialogue_posts.hidden_reason'])
    .select(['users.display_name', 'users.role', 'towns.name_kk', 'towns.name_ru', 'towns.name_en', 'partners.name as partner_name'])
    .where('dialogue_posts.topic_id', '=', id)
    .orderBy('dialogue_posts.id')
    .execute();
  const events = await db
    .selectFrom('dialogue_events')
    .leftJoin('users', 'users.id', 'dialogue_events.actor_id')
    .select(['dialogue_events.kind', 'dialogue_events.params', 'dialogue_events.created_at', 'users.display_name'])
    .where('dialogue_events.topic_id', '=', id)
    .orderBy('dialogue_events.id')
    .execute();
  const following = viewer ? Boolean(await db.selectFrom('dialogue_follows').select('user_id').where('topic_id', '=', id).where('user_id', '=', viewer.id).executeTakeFirst()) : false;
  return {
    topic,
    facts,
    opener: openerOf(row),
    authorName: author?.display_name ?? '',
    namedTowns: namedTowns.map((town) => ({ id: town.id, slug: town.slug, name: { kk: town.name_kk, ru: town.name_ru, en: town.name_en } })),
    namedPartners,
    posts: posts.flatMap((post): TopicPost[] => {
      const hidden = post.hidden_at !== null;
      if (hidden && !canSeeHiddenPost(viewer, post.author_id)) return [];
      const organisation = post.partner_name ?? (post.name_en !== null ? { kk: post.name_kk ?? '', ru: post.name_ru ?? '', en: post.name_en } : null);
      return [{
        id: post.id,
        authorId: post.author_id,
        authorName: post.display_name,
        organisation: post.role === 'editor' || post.role === 'admin' ? null : organisation,
        body: post.body,
        createdAt: post.created_at,
        hidden: hidden ? { rule: post.hidden_rule, reason: post.hidden_reason } : null,
      }];
    }),
    events: events.map((event) => ({ kind: event.kind, params: event.params, createdAt: event.created_at, actorName: event.display_name })),
    following,
  };
}

/** Public, approved topics, newest activity first: the RSS feed and the sitemap. */
export function publicTopics(db: Kysely<Database>, limit = 50) {
  return db
    .selectFrom('dialogue_topics')
    .select(['id', 'title', 'body', 'kind', 'language', 'topics', 'approved_at', 'updated_at'])
    .where('public', '=', 1)
    .where('approved_at', 'is not', null)
    .orderBy('updated_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
}

/** The topic ids of a stored JSON list. */
export const topicIdsOf = (row: { topics: string }) => parseIdList(row.topics);
