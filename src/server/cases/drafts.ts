import type { Kysely } from 'kysely';
import type { Language } from '~/i18n/index.ts';
import * as clock from '~/lib/clock.ts';
import type { CurrentUser } from '~/server/auth/lucia.ts';
import type { Database } from '~/server/db/schema.ts';
import { caseFacts, findCase } from './cases.ts';
import { missingForSubmission } from './content.ts';
import { recordCaseEvent, type CaseEventKind, type CaseOutcome } from './events.ts';
import { canEditCase, canProposeChanges, canSubmitCase, canWithdrawCase, canWriteCases, type CaseFacts } from './rules.ts';
import { emptyContent, type CaseContent, type CaseSection } from './types.ts';
import { KNOWN_TOPICS } from '~/schemas/taxonomy.ts';

export type { CaseSection };

/** The town's side of a case: starting a draft, saving it, submitting it, proposing changes. */

/** The URL of a draft's edit page (relative to the site root). */
export function caseDraftPath(lang: Language, id: number): string {
  return `/${lang}/account/cases/${id}/`;
}

/**
 * Starts a draft for a town, pre-filled (e.g. by the expertise exchange from a resolved
 * request). The author must be a member of the town; unknown topics are dropped.
 * Returns the new case's id.
 */
export async function createCaseDraft(
  db: Kysely<Database>,
  input: {
    townId: number;
    authorId: number | string;
    language: Language;
    title: string;
    sections: Partial<Record<CaseSection, string>>;
    topics: string[];
    sourceRequestId?: number | null;
  },
  now: number = clock.now(),
): Promise<number> {
  const content = emptyContent(input.language);
  content.title = input.title.trim();
  content.sections = { ...content.sections, ...Object.fromEntries(Object.entries(input.sections).map(([key, value]) => [key, (value ?? '').trim()])) };
  content.topics = [...new Set(input.topics.filter((topic) => KNOWN_TOPICS.has(topic)))];
  return createDraft(db, { townId: input.townId, authorId: String(input.authorId), content, sourceRequestId: input.sourceRequestId ?? null }, now);
}

/** Inserts a draft and its "created" history entry. */
export async function createDraft(
  db: Kysely<Database>,
  input: { townId: number; authorId: string; content: CaseContent; sourceRequestId?: number | null },
  now: number = clock.now(),
): Promise<number> {
  return db.transaction().execute(async (trx) => {
    const author = await trx.selectFrom('users').select(['town_id', 'role']).where('id', '=', input.authorId).where('disabled_at', 'is', null).executeTakeFirst();
    if (!author || author.town_id !== input.townId || !(author.role === 'member' || author.role === 'town_admin')) {
      throw new Error(`User ${input.authorId} is not a member of town ${input.townId}`);
    }
    const row = await trx
      .insertInto('member_cases')
      .values({
        town_id: input.townId,
        created_by: input.authorId,
        updated_by: input.authorId,
        source_request_id: input.sourceRequestId ?? null,
        status: 'draft',
        version: 1,
        content: JSON.stringify(input.content),
        published_content: null,
        slug: null,
        published_at: null,
        published_version: null,
        unpublished_at: null,
        unpublish_reason: null,
        created_at: now,
        updated_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await recordCaseEvent(trx, { caseId: row.id, actorId: input.authorId, kind: 'created', to: 'draft', version: 1 }, now);
    return row.id;
  });
}

/** Starts a draft for the user's own town from what they typed (the town is never taken from the form). */
export async function startDraft(db: Kysely<Database>, actor: CurrentUser | null, content: CaseContent, now = clock.now()): Promise<CaseOutcome<{ id: number }>> {
  if (!canWriteCases(actor)) return { ok: false, problem: 'forbidden' };
  return { ok: true, id: await createDraft(db, { townId: actor.town.id, authorId: actor.id, content }, now) };
}

/**
 * Saves the working copy, if the user may edit it and nobody saved since `version`
 * (else `stale`: the caller keeps the user's text and says a colleague saved first).
 * With `submit`, also sends it to the editors, if it is complete.
 */
export async function saveCase(
  db: Kysely<Database>,
  actor: CurrentUser | null,
  input: { id: number; version: number; content: CaseContent; submit: boolean },
  now = clock.now(),
): Promise<CaseOutcome<{ version: number; submitted: boolean }>> {
  return db.transaction().execute(async (trx) => {
    const current = await findCase(trx, input.id);
    if (!current) return { ok: false, problem: 'notFound' };
    const facts = caseFacts(current);
    if (!canEditCase(actor, facts)) return { ok: false, problem: actor && facts.townId === actor.town?.id ? 'wrongState' : 'forbidden' };
    if (current.version !== input.version) return { ok: false, problem: 'stale' };
    if (input.submit) {
      const missing = missingForSubmission(input.content);
      if (missing.length > 0 || !canSubmitCase(actor, facts)) return { ok: false, problem: 'incomplete', missing };
    }
    const status = input.submit ? 'submitted' : current.status;
    const version = current.version + 1;
    const updated = await trx
      .updateTable('member_cases')
      .set({ content: JSON.stringify(input.content), status, version, updated_by: actor!.id, updated_at: now })
      .where('id', '=', input.id)
      .where('version', '=', input.version)
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) !== 1) return { ok: false, problem: 'stale' };
    if (input.submit) {
      const resubmitted = current.status === 'changes_requested' || (await trx.selectFrom('member_case_events').select('id').where('case_id', '=', input.id).where('kind', 'in', ['submitted', 'resubmitted']).executeTakeFirst()) !== undefined;
      await recordCaseEvent(trx, { caseId: input.id, actorId: actor!.id, kind: resubmitted ? 'resubmitted' : 'submitted', from: current.status, to: 'submitted', version }, now);
    }
    return { ok: true, version, submitted: input.submit };
  });
}

/** Takes a submission back to edit it before an editor decides. */
export function withdrawSubmission(db: Kysely<Database>, actor: CurrentUser | null, input: { id: number; version: number }, now = clock.now()): Promise<CaseOutcome> {
  return reopenAsDraft(db, actor, input, { may: canWithdrawCase, kind: 'withdrawn' }, now);
}

/**
 * Opens a published case for changes: the working copy becomes a draft again (starting
 * from the published text) while the published copy stays as it is until approved.
 */
export function proposeChanges(db: Kysely<Database>, actor: CurrentUser | null, input: { id: number; version: number }, now = clock.now()): Promise<CaseOutcome> {
  return reopenAsDraft(db, actor, input, { may: canProposeChanges, kind: 'revision_started' }, now);
}

/**
 * A town's step that makes the working copy a draft again, on the version the member
 * saw: refused when the rule says no (a wrong state for the town's own members,
 * forbidden for anyone else) or a colleague changed it since; one event records it.
 */
async function reopenAsDraft(
  db: Kysely<Database>,
  actor: CurrentUser | null,
  input: { id: number; version: number },
  step: { may: (actor: CurrentUser | null, facts: CaseFacts) => boolean; kind: CaseEventKind },
  now: number,
): Promise<CaseOutcome> {
  return db.transaction().execute(async (trx) => {
    const current = await findCase(trx, input.id);
    if (!current) return { ok: false, problem: 'notFound' };
    if (!step.may(actor, caseFacts(current))) return { ok: false, problem: current.townId === actor?.town?.id ? 'wrongState' : 'forbidden' };
    if (current.version !== input.version) return { ok: false, problem: 'stale' };
    await trx.updateTable('member_cases').set({ status: 'draft', version: current.version + 1, updated_by: actor!.id, updated_at: now }).where('id', '=', input.id).execute();
    await recordCaseEvent(trx, { caseId: input.id, actorId: actor!.id, kind: step.kind, from: current.status, to: 'draft', version: current.version + 1 }, now);
    return { ok: true };
  });
}
