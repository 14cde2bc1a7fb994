import type { Kysely, Transaction } from 'kysely';
import type { Database, MemberCaseStatus } from '~/server/db/schema.ts';

/** What can happen to a case; each is one row of its history. */
export type CaseEventKind =
  | 'created'
  | 'submitted'
  | 'resubmitted'
  | 'withdrawn'
  | 'comment'
  | 'changes_requested'
  | 'approved'
  | 'rejected'
  | 'unpublished'
  | 'revision_started';

/** Why a step on a case could not be taken. */
export type CaseProblem = 'notFound' | 'forbidden' | 'stale' | 'wrongState' | 'incomplete';

/** The outcome of a step on a case. */
export type CaseOutcome<T = object> = ({ ok: true } & T) | { ok: false; problem: CaseProblem; missing?: string[] };

/** Records one entry of a case's history. */
export async function recordCaseEvent(
  db: Kysely<Database> | Transaction<Database>,
  event: { caseId: number; actorId: string | null; kind: CaseEventKind; from?: MemberCaseStatus | null; to?: MemberCaseStatus | null; version?: number | null; body?: string | null },
  now: number,
): Promise<void> {
  await db
    .insertInto('member_case_events')
    .values({
      case_id: event.caseId,
      actor_id: event.actorId,
      kind: event.kind,
      from_status: event.from ?? null,
      to_status: event.to ?? null,
      version: event.version ?? null,
      body: event.body ?? null,
      at: now,
    })
    .execute();
}
