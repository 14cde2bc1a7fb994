import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { errorFields, log } from '~/server/log.ts';
import { runJob, type Skipped } from './runner.ts';
import { dueJobNames, ensureJobRows } from './store.ts';
import type { JobContext, JobDefinition, JobRun } from './types.ts';

/** A running scheduler: wake a job now, or stop. */
export interface Scheduler {
  /** Runs a job soon in this process (if no instance holds it), due or not: new mail goes out at once. */
  runSoon(name: string): void;
  /** Starts no new run and waits for the runs under way, at most `limitMs`. */
  stop(limitMs?: number): Promise<void>;
}

/** How often a scheduler looks for due jobs (one read of `scheduled_jobs`). */
export const TICK_MS = 10_000;

/** A lease holder's name: which machine and process, made unique per start. */
export function leaseOwner(): string {
  return `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
}

/**
 * Runs `jobs` on their schedule in this process. Every instance runs a scheduler; the
 * lease in `scheduled_jobs` makes exactly one of them run each job at a time, and the
 * next run time lives there too, so a restart neither forgets nor repeats a run. The
 * timer does not keep the process alive.
 */
export function startScheduler(context: JobContext, jobs: readonly JobDefinition[], tickMs = TICK_MS): Scheduler {
  const running = new Map<string, Promise<JobRun | Skipped>>();
  /** Jobs asked for while they ran here: they run once more when done. */
  const again = new Set<string>();
  let stopped = false;

  const start = (job: JobDefinition, dueOnly: boolean) => {
    if (stopped) return;
    if (running.has(job.name)) {
      if (!dueOnly) again.add(job.name);
      return;
    }
    const run = runJob(job, context, { dueOnly })
      .catch((error: unknown) => {
        // The database was unreachable while taking or releasing the lease; the next tick tries again.
        log.warn('job not run', { job: job.name, ...errorFields(error) });
        return { name: job.name, outcome: 'skipped' } as Skipped;
      })
      .finally(() => {
        running.delete(job.name);
        if (again.delete(job.name)) start(job, false);
      });
    running.set(job.name, run);
  };

  // Each job's row, made on the first tick that reaches the database (also when it was down at start).
  let rowsMade = false;
  const tick = async () => {
    try {
      if (!rowsMade) {
        await ensureJobRows(
          context.db,
          jobs.map((job) => job.name),
          context.now(),
        );
        rowsMade = true;
      }
      const due = new Set(await dueJobNames(context.db, context.now()));
      for (const job of jobs) if (due.has(job.name)) start(job, true);
    } catch (error) {
      log.warn('scheduler tick failed', errorFields(error));
    }
  };

  const ready = tick();
  const timer = setInterval(() => void tick(), tickMs);
  timer.unref();

  return {
    runSoon(name) {
      const job = jobs.find((candidate) => candidate.name === name);
      if (job) void ready.then(() => start(job, false));
    },
    async stop(limitMs = 10_000) {
      stopped = true;
      clearInterval(timer);
      again.clear();
      const limit = new Promise<void>((resolve) => setTimeout(resolve, limitMs).unref());
      await Promise.race([Promise.allSettled([...running.values()]).then(() => undefined), limit]);
    },
  };
}

/**
 * Runs every job once now, in order, whether due or not (`qala jobs --once`); a job
 * another instance is running is skipped.
 */
export async function runJobsOnce(context: JobContext, jobs: readonly JobDefinition[]): Promise<Array<JobRun | Skipped>> {
  await ensureJobRows(
    context.db,
    jobs.map((job) => job.name),
    context.now(),
  );
  const runs: Array<JobRun | Skipped> = [];
  for (const job of jobs) runs.push(await runJob(job, context, { dueOnly: false }));
  return runs;
}
