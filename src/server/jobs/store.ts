import type { Kysely } from 'kysely';
import { leaseFreeAt } from '~/server/db/lease.ts';
import type { Database, ScheduledJob } from '~/server/db/schema.ts';
import type { JobRun } from './types.ts';

/** Makes sure each job has its row (a new job is due at once); existing rows keep their schedule. */
export async function ensureJobRows(db: Kysely<Database>, names: readonly string[], now: number): Promise<void> {
  if (names.length === 0) return;
  await db
    .insertInto('scheduled_jobs')
    .values(names.map((name) => ({ name, next_run_at: now })))
    .onConflict((conflict) => conflict.column('name').doNothing())
    .execute();
}

/** The names of the jobs due now whose lease is free (a read, so an idle tick writes nothing). */
export async function dueJobNames(db: Kysely<Database>, now: number): Promise<string[]> {
  const rows = await db.selectFrom('scheduled_jobs').select('name').where('next_run_at', '<=', now).where(leaseFreeAt(now)).execute();
  return rows.map((row) => row.name);
}

/**
 * Takes a job for `owner` until `now + leaseSeconds`, if no one holds it (and, with
 * `dueOnly`, if it is due). One conditional update: of several instances asking at once,
 * exactly one gets it.
 */
export async function takeJobLease(db: Kysely<Database>, name: string, owner: string, leaseSeconds: number, now: number, dueOnly: boolean): Promise<boolean> {
  const result = await db
    .updateTable('scheduled_jobs')
    .set({ lease_owner: owner, lease_until: now + leaseSeconds, last_started_at: now })
    .where('name', '=', name)
    .where(leaseFreeAt(now))
    .$if(dueOnly, (query) => query.where('next_run_at', '<=', now))
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Holds the job longer while it runs; false when the lease was lost. */
export async function renewJobLease(db: Kysely<Database>, name: string, owner: string, leaseSeconds: number, now: number): Promise<boolean> {
  const result = await db.updateTable('scheduled_jobs').set({ lease_until: now + leaseSeconds }).where('name', '=', name).where('lease_owner', '=', owner).executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Records how a run ended, sets the next run and releases the job. */
export async function finishJobRun(db: Kysely<Database>, owner: string, run: JobRun, finishedAt: number, nextRunAt: number): Promise<void> {
  await db
    .updateTable('scheduled_jobs')
    .set((eb) => ({
      lease_owner: null,
      lease_until: null,
      last_finished_at: finishedAt,
      last_duration_ms: Math.round(run.durationMs),
      last_outcome: run.outcome,
      last_error: run.error ?? null,
      last_report: JSON.stringify(run.report),
      next_run_at: nextRunAt,
      runs: eb('runs', '+', 1),
      failures: eb('failures', '+', run.outcome === 'failed' ? 1 : 0),
    }))
    .where('name', '=', run.name)
    .where('lease_owner', '=', owner)
    .execute();
}

/** Every job's row, by name. */
export async function jobRows(db: Kysely<Database>): Promise<Map<string, ScheduledJob>> {
  const rows = await db.selectFrom('scheduled_jobs').selectAll().execute();
  return new Map(rows.map((row) => [row.name, row]));
}
