import type { CommunityRule } from '~/lib/community-rules.ts';
import type { Kysely } from 'kysely';
import type { Language } from '~/i18n/index.ts';
import { now } from '~/lib/clock.ts';
import { caseFromRequestId } from '~/server/cases/cases.ts';
import { createCaseDraft } from '~/server/cases/drafts.ts';
import type { Database } from '~/server/db/schema.ts';
import { attachUpload, type Upload } from '~/server/files/files.ts';
import { notifyEach, type Notifier } from '~/server/notifications/notifications.ts';
import type { LocalizedText } from '~/server/notifications/render.ts';
import type { CaseCounts } from './matching.ts';
import { createRequest, setRequestHidden, updateRequest, type HelpRequest, type RequestInput } from './requests.ts';
import { acceptedResponses, acceptResponse, addResponse, editResponse, inviteToRequest, setResponseHidden, type HelpResponse } from './responses.ts';
import { refreshSuggestions } from './suggestions.ts';
import { watchersOf } from './watches.ts';

// The exchange's steps that change data and tell people about it. Each writes first
// (one transaction in requests.ts / responses.ts), then tells whom it concerns, so a
// data test sees the whole step without HTTP. Who may take a step is the action's
// question (rules.ts); these only do it. Town names in messages are in `language`,
// the language the actor wrote in.

/** Case counts for the matching, loaded only when a request is scored. */
export type LoadCaseCounts = () => Promise<CaseCounts>;

/** Scores a published request once, so its page reads the answer (see suggestions.ts). */
async function score(db: Kysely<Database>, request: { id: number; townId: number; topics: readonly string[]; languages: readonly string[] }, counts: LoadCaseCounts): Promise<void> {
  await refreshSuggestions(db, request, await counts());
}

/** Tells members watching the request's topics, outside its town, that it was published. */
async function tellWatchers(db: Kysely<Database>, notifier: Notifier, request: { id: number; title: string; townId: number; topics: readonly string[] }, townName: LocalizedText | string, actorId: string): Promise<void> {
  const watchers = await watchersOf(db, request.topics, request.townId);
  await notifyEach(db, notifier, watchers, { kind: 'exchange.new_request', params: { title: request.title, town: townName }, link: `exchange/${request.id}/` }, actorId);
}

/**
 * A member of a town asks for help: the request is stored as a draft or, with
 * `publish`, opened, scored for suggestions, and announced to the watchers of its
 * topics. Returns its id.
 */
export async function postRequest(
  db: Kysely<Database>,
  notifier: Notifier,
  post: { author: { id: string; townId: number; townName: LocalizedText | string }; input: RequestInput; publish: boolean; caseCounts: LoadCaseCounts; upload?: Upload },
): Promise<number> {
  const { author, input } = post;
  const requestId = await createRequest(db, { townId: author.townId, authorId: author.id, input, publish: post.publish });
  await attachUpload(db, { kind: 'request', id: requestId }, post.upload, author.id);
  if (post.publish) {
    const request = { id: requestId, ...input, townId: author.townId };
    await score(db, request, post.caseCounts);
    await tellWatchers(db, notifier, request, author.townName, author.id);
  }
  return requestId;
}

/**
 * Saves edits to a request; with `publish`, a draft opens and its watchers hear of it
 * once. A published request is scored again, as its topics may have changed. Returns
 * whether the request is now published.
 */
export async function reviseRequest(
  db: Kysely<Database>,
  notifier: Notifier,
  revision: { request: HelpRequest; actorId: string; input: RequestInput; publish: boolean; townName: LocalizedText | string; caseCounts: LoadCaseCounts; upload?: Upload },
): Promise<{ published: boolean }> {
  const { request, input } = revision;
  const { published } = await updateRequest(db, request.id, { actorId: revision.actorId, input, publish: revision.publish });
  await attachUpload(db, { kind: 'request', id: request.id }, revision.upload, revision.actorId);
  const scored = { id: request.id, ...input, townId: request.townId };
  if (published || request.status !== 'draft') await score(db, scored, revision.caseCounts);
  if (published) await tellWatchers(db, notifier, scored, revision.townName, revision.actorId);
  return { published: published || request.status !== 'draft' };
}

/** A member of another town answers a request; its author hears of it. Returns the response's id. */
export async function answerRequest(
  db: Kysely<Database>,
  notifier: Notifier,
  answer: { request: HelpRequest; author: { id: string; townId: number; townName: LocalizedText | string }; body: string; links: readonly string[]; upload?: Upload },
): Promise<number> {
  const { request, author } = answer;
  const responseId = await addResponse(db, { requestId: request.id, authorId: author.id, townId: author.townId, body: answer.body, links: answer.links });
  await attachUpload(db, { kind: 'response', id: responseId }, answer.upload, author.id);
  await notifyEach(
    db,
    notifier,
    [request.authorId],
    { kind: 'exchange.response_received', params: { title: request.title, town: author.townName }, link: `exchange/${request.id}/#response-${responseId}` },
    author.id,
  );
  return responseId;
}

/** The author edits their response: its text and links saved, any files they chose added to those it has. */
export async function reviseAnswer(
  db: Kysely<Database>,
  revision: { responseId: number; actorId: string; body: string; links: readonly string[]; upload?: Upload },
): Promise<void> {
  await editResponse(db, revision.responseId, { body: revision.body, links: revision.links });
  await attachUpload(db, { kind: 'response', id: revision.responseId }, revision.upload, revision.actorId);
}

/** The requesting town accepts a response and its author hears of it; false when it was accepted before. */
export async function acceptAnswer(
  db: Kysely<Database>,
  notifier: Notifier,
  accept: { request: HelpRequest; response: HelpResponse; actorId: string; language: Language },
): Promise<boolean> {
  const { request, response } = accept;
  if (!(await acceptResponse(db, { requestId: request.id, responseId: response.id, actorId: accept.actorId }))) return false;
  await notifyEach(
    db,
    notifier,
    [response.authorId],
    { kind: 'exchange.response_accepted', params: { title: request.title, town: request.town.name }, link: `exchange/${request.id}/#response-${response.id}` },
    accept.actorId,
  );
  return true;
}

/**
 * The member a request may invite, or undefined: only active members who opted in to
 * contact, outside the requesting town, can be invited.
 */
export async function findInvitable(db: Kysely<Database>, userId: string, request: Pick<HelpRequest, 'townId'>): Promise<{ id: string; displayName: string } | undefined> {
  const member = await db.selectFrom('users').select(['id', 'display_name', 'town_id', 'contactable', 'disabled_at']).where('id', '=', userId).executeTakeFirst();
  if (!member || member.disabled_at !== null || member.contactable !== 1 || member.town_id === null || member.town_id === request.townId) return undefined;
  return { id: member.id, displayName: member.display_name };
}

/** Invites a member to answer a request and tells them; false when they were invited before. */
export async function inviteToAnswer(
  db: Kysely<Database>,
  notifier: Notifier,
  invitation: { request: HelpRequest; memberId: string; inviter: { id: string; displayName: string }; language: Language },
): Promise<boolean> {
  const { request, inviter } = invitation;
  if (!(await inviteToRequest(db, { requestId: request.id, userId: invitation.memberId, invitedBy: inviter.id }))) return false;
  await notifyEach(
    db,
    notifier,
    [invitation.memberId],
    { kind: 'exchange.invited', params: { title: request.title, town: request.town.name, name: inviter.displayName }, link: `exchange/${request.id}/` },
    inviter.id,
  );
  return true;
}

/** An editor hides a request with a reason; its author hears why. */
export async function hideRequest(db: Kysely<Database>, notifier: Notifier, hide: { request: HelpRequest; actorId: string; reason: string; rule?: CommunityRule | null }): Promise<void> {
  const { request } = hide;
  await setRequestHidden(db, request.id, { actorId: hide.actorId, reason: hide.reason, rule: hide.rule ?? null });
  await notifyEach(db, notifier, [request.authorId], { kind: 'exchange.hidden', params: { title: request.title, reason: hide.reason }, link: `exchange/${request.id}/` }, hide.actorId);
}

/** An editor hides a response with a reason; its author hears why. */
export async function hideResponse(db: Kysely<Database>, notifier: Notifier, hide: { request: HelpRequest; response: HelpResponse; actorId: string; reason: string; rule?: CommunityRule | null }): Promise<void> {
  const { request, response } = hide;
  await setResponseHidden(db, { id: response.id, requestId: request.id }, { actorId: hide.actorId, reason: hide.reason, rule: hide.rule ?? null });
  await notifyEach(
    db,
    notifier,
    [response.authorId],
    { kind: 'exchange.hidden', params: { title: request.title, reason: hide.reason }, link: `exchange/${request.id}/#response-${response.id}` },
    hide.actorId,
  );
}

/**
 * The case a resolved request turns into: its challenge, the accepted answers as the
 * approach, its outcome as the results. One case per request and town, so a second
 * call returns the draft already started. Returns the case's id.
 */
export async function caseFromRequest(db: Kysely<Database>, start: { request: HelpRequest; authorId: string; language: Language }, at = now()): Promise<number> {
  const { request, language } = start;
  const existing = await caseFromRequestId(db, request.id, request.townId);
  if (existing !== undefined) return existing;
  const accepted = await acceptedResponses(db, request.id, { id: start.authorId, moderator: false });
  return createCaseDraft(
    db,
    {
      townId: request.townId,
      authorId: start.authorId,
      language: request.languages.includes(language) ? language : (request.languages[0] ?? language),
      title: request.title,
      sections: {
        challenge: request.body,
        approach: accepted.map((response) => `**${response.authorName}, ${response.town.name[language]}:**\n\n${response.body}`).join('\n\n'),
        results: request.outcome ?? '',
      },
      topics: request.topics,
      sourceRequestId: request.id,
    },
    at,
  );
}
