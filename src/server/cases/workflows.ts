import type { Kysely } from 'kysely';
import { recordAudit } from '~/server/audit/audit.ts';
import type { CurrentUser } from '~/server/auth/lucia.ts';
import type { Database } from '~/server/db/schema.ts';
import type { NotificationKind } from '~/server/notifications/kinds.ts';
import { notify, notifyEach, reviewerIds, type Notifier } from '~/server/notifications/notifications.ts';
import { caseAuthorIds, findCase } from './cases.ts';
import { saveCase, startDraft } from './drafts.ts';
import type { CaseOutcome } from './events.ts';
import { decideCase, unpublishCase } from './review.ts';
import type { CaseContent } from './types.ts';

// The steps of a case that tell people: a town submits (the editors hear of it), an
// editor decides or unpublishes (the authors hear why). Each writes first (drafts.ts,
// review.ts: one transaction each), then tells and records the audit entry, so a data
// test sees the whole step without HTTP.

/** Tells every author of a case something about it, with a link to their case page. */
async function tellAuthors(db: Kysely<Database>, notifier: Notifier, caseId: number, kind: NotificationKind, params: Record<string, string>): Promise<void> {
  await notifyEach(db, notifier, await caseAuthorIds(db, caseId), { kind, params, link: `account/cases/${caseId}/` });
}

/** Tells the editors a case waits for review and records the submission. */
async function tellEditors(db: Kysely<Database>, notifier: Notifier, caseId: number, actorId: string, clientAddress: string): Promise<void> {
  const memberCase = await findCase(db, caseId);
  if (!memberCase) return;
  const reviewers = await reviewerIds(db);
  for (const userId of reviewers) {
    // The town's name in every language: each viewer reads it in theirs.
    await notify(db, notifier.mailer, { userId, kind: 'cases.submitted', params: { title: memberCase.content.title, town: memberCase.townName }, link: `editor/cases/${caseId}/` }, notifier.baseUrl);
  }
  await recordAudit(db, { actorId, action: 'case.submitted', target: { type: 'case', id: String(caseId) }, clientAddress });
}

/**
 * A town member saves the case form: without `id` a new draft is started for their
 * town; with `submit` it goes to the editors, who are told. `version` is the version
 * the member edited (required with `id`). Returns the case's id.
 */
export async function writeCase(
  db: Kysely<Database>,
  notifier: Notifier,
  actor: CurrentUser,
  write: { id?: number | undefined; version: number; content: CaseContent; submit: boolean; clientAddress: string },
): Promise<CaseOutcome<{ id: number }>> {
  let caseId = write.id;
  let from = write.version;
  if (caseId === undefined) {
    const started = await startDraft(db, actor, write.content);
    if (!started.ok) return started;
    caseId = started.id;
    from = 1;
  }
  if (write.submit || write.id !== undefined) {
    const saved = await saveCase(db, actor, { id: caseId, version: from, content: write.content, submit: write.submit });
    if (!saved.ok) return saved;
    if (saved.submitted) await tellEditors(db, notifier, caseId, actor.id, write.clientAddress);
  }
  return { ok: true, id: caseId };
}

/**
 * An editor's decision on the version they read (see decideCase); the authors hear
 * of it, with the reason, and the decision is audited.
 */
export async function reviewCase(
  db: Kysely<Database>,
  notifier: Notifier,
  actor: CurrentUser,
  review: { id: number; version: number; decision: 'approve' | 'reject' | 'requestChanges'; reason: string | null; reservedSlugs: ReadonlySet<string>; clientAddress: string },
): Promise<CaseOutcome<{ slug: string | null }>> {
  const outcome = await decideCase(db, actor, { id: review.id, version: review.version, decision: review.decision, body: review.reason, reservedSlugs: review.reservedSlugs });
  if (!outcome.ok) return outcome;
  const memberCase = await findCase(db, review.id);
  const kind = ({ approve: 'cases.approved', reject: 'cases.rejected', requestChanges: 'cases.changes_requested' } as const)[review.decision];
  await tellAuthors(db, notifier, review.id, kind, { title: memberCase?.content.title ?? '', reason: review.reason ?? '' });
  const action = ({ approve: 'case.approved', reject: 'case.rejected', requestChanges: 'case.changes_requested' } as const)[review.decision];
  await recordAudit(db, { actorId: actor.id, action, target: { type: 'case', id: String(review.id) }, clientAddress: review.clientAddress, details: { version: review.version, slug: outcome.slug } });
  return { ok: true, slug: outcome.slug };
}

/** An editor takes a published case down (see unpublishCase); the authors hear why, and it is audited. */
export async function takeCaseDown(db: Kysely<Database>, notifier: Notifier, actor: CurrentUser, takeDown: { id: number; reason: string; clientAddress: string }): Promise<CaseOutcome> {
  const outcome = await unpublishCase(db, actor, { id: takeDown.id, reason: takeDown.reason });
  if (!outcome.ok) return outcome;
  const memberCase = await findCase(db, takeDown.id);
  await tellAuthors(db, notifier, takeDown.id, 'cases.unpublished', { title: memberCase?.published?.title ?? '', reason: takeDown.reason });
  await recordAudit(db, { actorId: actor.id, action: 'case.unpublished', target: { type: 'case', id: String(takeDown.id) }, clientAddress: takeDown.clientAddress });
  return { ok: true };
}
