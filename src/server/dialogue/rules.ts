import type { DialogueStatus } from '~/lib/dialogue/catalogue.ts';
import { isEnded } from '~/lib/dialogue/catalogue.ts';
import type { CurrentUser } from '~/server/auth/lucia.ts';
import type { Role } from '~/server/db/schema.ts';

/**
 * Who may do what in the dialogue space. Deny by default: each rule lists the roles that
 * may. Every page and action asks these with the topic loaded from the database; they
 * are tested as a table of role × action (tests/unit/dialogue-rules.test.ts).
 */

/** The roles that read the members-only part of the dialogue (partners included). */
const DIALOGUE_ROLES: readonly Role[] = ['member', 'town_admin', 'editor', 'admin', 'partner'];

/** What the rules need to know about a topic. */
export interface TopicFacts {
  authorId: string;
  /** The town or partner that opened it; both null: the association. */
  townId: number | null;
  partnerId: number | null;
  approved: boolean;
  public: boolean;
  status: DialogueStatus;
  namedTownIds: readonly number[];
  namedPartnerIds: readonly number[];
}

function active(user: CurrentUser | null): user is CurrentUser {
  return user !== null && !user.disabled;
}

/** Signed-in, active accounts of the roles above read members-only topics. */
export function canUseDialogue(user: CurrentUser | null): user is CurrentUser {
  return active(user) && DIALOGUE_ROLES.includes(user.role);
}

/** Editors and administrators moderate the dialogue and speak for the association. */
export function isDialogueEditor(user: CurrentUser | null): boolean {
  return active(user) && (user.role === 'editor' || user.role === 'admin');
}

/** A town's own account (member or administrator), acting for the town. */
function townOf(user: CurrentUser | null): number | null {
  return active(user) && (user.role === 'member' || user.role === 'town_admin') && user.town ? user.town.id : null;
}

/** A partner's account, acting for the partner. */
function partnerOf(user: CurrentUser | null): number | null {
  return active(user) && user.role === 'partner' && user.partner ? user.partner.id : null;
}

/** Who opens a topic: a town's account, a partner's account, or the association (editors). */
export function canOpenTopic(user: CurrentUser | null): user is CurrentUser {
  return townOf(user) !== null || partnerOf(user) !== null || isDialogueEditor(user);
}

/** Whether the user speaks for the side that opened the topic. */
export function isOpenerSide(user: CurrentUser | null, topic: TopicFacts): boolean {
  if (!canUseDialogue(user)) return false;
  if (user.id === topic.authorId) return true;
  if (topic.townId !== null) return townOf(user) === topic.townId;
  if (topic.partnerId !== null) return partnerOf(user) === topic.partnerId;
  return isDialogueEditor(user);
}

/**
 * Reading: a topic not yet approved only its side and editors; a public topic everyone,
 * visitors included; the rest any signed-in account of the roles above.
 */
export function canViewTopic(user: CurrentUser | null, topic: TopicFacts): boolean {
  if (!topic.approved) return isOpenerSide(user, topic) || isDialogueEditor(user);
  if (topic.public) return true;
  return canUseDialogue(user);
}

/** Answering: the opener's side, the towns and partners named, and the association, while the topic is approved and not ended. */
export function canAnswer(user: CurrentUser | null, topic: TopicFacts): boolean {
  if (!canUseDialogue(user) || !topic.approved || isEnded(topic.status)) return false;
  if (isDialogueEditor(user) || isOpenerSide(user, topic)) return true;
  const town = townOf(user);
  const partner = partnerOf(user);
  return (town !== null && topic.namedTownIds.includes(town)) || (partner !== null && topic.namedPartnerIds.includes(partner));
}

/** Editors approve a topic waiting for it (a partner's first). */
export function canApproveTopic(user: CurrentUser | null, topic: TopicFacts): boolean {
  return isDialogueEditor(user) && !topic.approved;
}

/**
 * Moving a topic on: its side sets under discussion, agreed or declined while it is not
 * ended; editors set any status, closing included, at any time.
 */
export function canSetStatus(user: CurrentUser | null, topic: TopicFacts, status: DialogueStatus): boolean {
  if (!topic.approved || topic.status === status) return false;
  if (isDialogueEditor(user)) return true;
  return isOpenerSide(user, topic) && !isEnded(topic.status) && status !== 'closed' && status !== 'open';
}

/** Making a topic public or members-only is an editor's decision. */
export function canChangeVisibility(user: CurrentUser | null, topic: TopicFacts): boolean {
  return isDialogueEditor(user) && topic.approved;
}

/** Editors hide posts, naming a rule. */
export function canHidePost(user: CurrentUser | null): boolean {
  return isDialogueEditor(user);
}

/** A hidden post is shown to its author and editors only (with the reason). */
export function canSeeHiddenPost(user: CurrentUser | null, authorId: string): boolean {
  return isDialogueEditor(user) || (active(user) && user.id === authorId);
}

/** Following (notifications of answers and status changes): any signed-in reader of the topic. */
export function canFollow(user: CurrentUser | null, topic: TopicFacts): user is CurrentUser {
  return canUseDialogue(user) && canViewTopic(user, topic) && topic.approved;
}

/**
 * Whether a topic opened by this user is public from the start: a town or the association
 * chooses; a partner's offer stays members-only until an editor makes it public.
 */
export function startsPublic(user: CurrentUser, kind: string, askedPublic: boolean): boolean {
  if (!askedPublic) return false;
  return !(partnerOf(user) !== null && kind === 'offer');
}
