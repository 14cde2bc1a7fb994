import type { Kysely } from 'kysely';
import * as clock from '~/lib/clock.ts';
import type { CurrentUser } from '~/server/auth/lucia.ts';
import { recordChange } from '~/server/cache/changes.ts';
import type { Database, MemberCaseStatus } from '~/server/db/schema.ts';
import { slugify } from '~/server/membership/applications.ts';
import { caseFacts, findCase } from './cases.ts';
import { missingForSubmission } from './content.ts';
import { recordCaseEvent, type CaseEventKind, type CaseOutcome } from './events.ts';
import { canCommentOnCase, canDecideCase, canReviewCases, canUnpublishCase, canViewCase, type CaseFacts } from './rules.ts';
import { syncMemberCase } from '~/server/search/sources/member-cases.ts';

/** The editors' side of a case: comments, requests for changes, approval, rejection, withdrawal. */

/** Longest comment or reason, in characters. */
export const REVIEW_TEXT_MAX = 5000;

/** A town's draft is, for an editor, a case that does not exist (as a draft exchange request is). */
function hiddenFromReviewer(actor: CurrentUser | null, facts: CaseFacts): boolean {
  return canReviewCases(actor) && !canViewCase(actor, facts) && !canUnpublishCase(actor, facts);
}

/** Adds a comment to a case's history (editors and the town's members). */
export async function commentOnCase(db: Kysely<Database>, actor: CurrentUser | null, input: { id: number; body: string }, now = clock.now()): Promise<CaseOutcome> {
  return db.transaction().execute(async (trx) => {
    const current = await findCase(trx, input.id);
    if (!current || hiddenFromReviewer(actor, caseFacts(current))) return { ok: false, problem: 'notFound' };
    if (!canCommentOnCase(actor, caseFacts(current))) return { ok: false, problem: 'forbidden' };
    await recordCaseEvent(trx, { caseId: input.id, actorId: actor!.id, kind: 'comment', version: current.version, body: input.body }, now);
    return { ok: true };
  });
}

/**
 * An editor's decision on the submitted version `version`: approve (publish it), reject,
 * or send it back with requested changes. A decision on any other version, or on a case
 * that is not waiting for one, changes nothing.
 */
export async function decideCase(
  db: Kysely<Database>,
  actor: CurrentUser | null,
  input: { id: number; version: number; decision: 'approve' | 'reject' | 'requestChanges'; body?: string | null; reservedSlugs?: ReadonlySet<string> },
  now = clock.now(),
): Promise<CaseOutcome<{ slug: string | null; townId: number }>> {
  return db.transaction().execute(async (trx) => {
    const current = await findCase(trx, input.id);
    if (!current || hiddenFromReviewer(actor, caseFacts(current))) return { ok: false, problem: 'notFound' };
    const facts = caseFacts(current);
    if (!canDecideCase(actor, facts)) return { ok: false, problem: actor && (actor.role === 'editor' || actor.role === 'admin') ? 'wrongState' : 'forbidden' };
    if (current.version !== input.version) return { ok: false, problem: 'stale' };
    const version = current.version + 1;
    const to: MemberCaseStatus = input.decision === 'approve' ? 'approved' : input.decision === 'reject' ? 'rejected' : 'changes_requested';
    const kind: CaseEventKind = input.decision === 'approve' ? 'approved' : input.decision === 'reject' ? 'rejected' : 'changes_requested';
    let slug = current.slug;
    if (input.decision === 'approve') {
      const missing = missingForSubmission(current.content);
      if (missing.length > 0) return { ok: false, problem: 'incomplete', missing };
      // <town>-<first words of the title>, the town's name not repeated when the title starts with it.
      const words = slugify(current.content.title).split('-').filter((word) => word !== '');
      const fromTitle = (words[0] === current.townSlug ? words.slice(1) : words).slice(0, 6).join('-');
      slug ??= await freeSlug(trx, `${current.townSlug}-${fromTitle}`, input.reservedSlugs ?? new Set());
      await trx
        .updateTable('member_cases')
        .set({
          status: to,
          version,
          slug,
          published_content: JSON.stringify(current.content),
          published_version: current.version,
          published_at: now,
          unpublished_at: null,
          unpublish_reason: null,
          updated_at: now,
        })
        .where('id', '=', input.id)
        .execute();
      await recordChange(trx, 'cases');
    } else {
      await trx.updateTable('member_cases').set({ status: to, version, updated_at: now }).where('id', '=', input.id).execute();
    }
    await recordCaseEvent(trx, { caseId: input.id, actorId: actor!.id, kind, from: current.status, to, version: current.version, body: input.body?.trim() || null }, now);
    await syncMemberCase(trx, input.id);
    return { ok: true, slug, townId: current.townId };
  });
}

/** An editor withdraws a published case; its page then answers 410 Gone. */
export async function unpublishCase(db: Kysely<Database>, actor: CurrentUser | null, input: { id: number; reason: string }, now = clock.now()): Promise<CaseOutcome<{ townId: number }>> {
  return db.transaction().execute(async (trx) => {
    const current = await findCase(trx, input.id);
    if (!current) return { ok: false, problem: 'notFound' };
    const facts = caseFacts(current);
    if (!canUnpublishCase(actor, facts)) return { ok: false, problem: actor && (actor.role === 'editor' || actor.role === 'admin') ? 'wrongState' : 'forbidden' };
    await trx.updateTable('member_cases').set({ unpublished_at: now, unpublish_reason: input.reason, updated_at: now }).where('id', '=', input.id).execute();
    await recordChange(trx, 'cases');
    await syncMemberCase(trx, input.id);
    await recordCaseEvent(trx, { caseId: input.id, actorId: actor!.id, kind: 'unpublished', from: current.status, to: current.status, version: current.version, body: input.reason }, now);
    return { ok: true, townId: current.townId };
  });
}

async function freeSlug(db: Kysely<Database>, base: string, reserved: ReadonlySet<string>): Promise<string> {
  const stem = base.replace(/-+$/, '') || 'case';
  const taken = new Set((await db.selectFrom('member_cases').select('slug').where('slug', 'like', `${stem}%`).execute()).map((row) => row.slug));
  let slug = stem;
  for (let n = 2; taken.has(slug) || reserved.has(slug); n += 1) slug = `${stem}-${n}`;
  return slug;
}
