import { performance } from 'node:perf_hooks';
import { describeError } from '~/lib/error-text.ts';
import { errorFields, log } from '~/server/log.ts';
import { reportJobRun } from './observe.ts';
import { finishJobRun, renewJobLease, takeJobLease } from './store.ts';
import type { JobContext, JobDefinition, JobRun } from './types.ts';

/** A run that did not start: another instance holds the job (or, when only due jobs run, it is not due). */
export type Skipped = { name: string; outcome: 'skipped' };

/**
 * Runs one job if this process can take its lease: renews the lease while it runs,
 * records the outcome, duration and report, schedules the next run, and tells the
 * observers. A job that throws is recorded as failed, never thrown further.
 */
export async function runJob(job: JobDefinition, context: JobContext, options: { dueOnly: boolean }): Promise<JobRun | Skipped> {
  const { db, owner, now } = context;
  if (!(await takeJobLease(db, job.name, owner, job.leaseSeconds, now(), options.dueOnly))) return { name: job.name, outcome: 'skipped' };
  const renew = setInterval(() => {
    renewJobLease(db, job.name, owner, job.leaseSeconds, now()).catch((error: unknown) => log.warn('job lease not renewed', { job: job.name, ...errorFields(error) }));
  }, (job.leaseSeconds * 1000) / 3);
  renew.unref();
  const started = performance.now();
  let run: JobRun;
  try {
    const report = await job.run(context);
    run = { name: job.name, outcome: 'succeeded', durationMs: performance.now() - started, report };
  } catch (error) {
    run = { name: job.name, outcome: 'failed', durationMs: performance.now() - started, report: {}, error: describeError(error) };
    log.error('job failed', { job: job.name, ...errorFields(error) });
  } finally {
    clearInterval(renew);
  }
  await finishJobRun(db, owner, run, now(), now() + job.intervalSeconds);
  // A turn that found nothing to do is routine (the mail job's is every minute): debug only.
  const idle = run.outcome === 'succeeded' && Object.values(run.report).every((count) => count === 0);
  log[idle ? 'debug' : 'info']('job run', { job: run.name, outcome: run.outcome, ms: Math.round(run.durationMs), ...run.report });
  reportJobRun(run);
  return run;
}
