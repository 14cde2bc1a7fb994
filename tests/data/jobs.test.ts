import type { Kysely } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { insertUser } from '~/server/accounts/users.ts';
import { loadConfig } from '~/server/config.ts';
import { createDatabase } from '~/server/db/connection.ts';
import type { Database } from '~/server/db/schema.ts';
import { JOBS, jobNamed } from '~/server/jobs/catalogue.ts';
import { jobContext } from '~/server/jobs/context.ts';
import { onJobRun } from '~/server/jobs/observe.ts';
import { runJob } from '~/server/jobs/runner.ts';
import { runJobsOnce, startScheduler } from '~/server/jobs/scheduler.ts';
import { dueJobNames, ensureJobRows } from '~/server/jobs/store.ts';
import type { JobContext, JobDefinition, JobRun } from '~/server/jobs/types.ts';
import { queueMail } from '~/server/mail/queue.ts';
import { TOKEN_RETENTION_SECONDS } from '~/server/maintenance.ts';
import { createTestDatabase } from '../helpers/database.ts';
import { startSmtpServer } from '../helpers/smtp.ts';

const T0 = 1_800_000_000;

let db: Kysely<Database>;
let path: string;
let cleanup: () => Promise<void>;
const closers: Array<() => unknown> = [];

beforeEach(async () => {
  ({ db, path, cleanup } = await createTestDatabase());
});
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
  await cleanup();
});

/** A job context on `handle` for one instance (`owner`), at a clock the test moves. */
function contextFor(handle: Kysely<Database>, owner: string, clock: { at: number }, env: Record<string, string> = {}): JobContext {
  const context = { ...jobContext(handle, loadConfig({ ORIGIN: 'https://qala.example.org', ...env })), owner, now: () => clock.at };
  closers.push(() => context.transport?.close());
  return context;
}

/** A second handle on the test database: another instance of Qala. */
function otherInstance(): Kysely<Database> {
  const other = createDatabase(path);
  closers.push(() => other.destroy());
  return other;
}

/** A job whose runs wait until the test lets them finish, counting how many started. */
function gatedJob(name = 'gated') {
  let release!: () => void;
  let gate = new Promise<void>((resolve) => (release = resolve));
  const job = {
    started: 0,
    release: () => release(),
    reset: () => (gate = new Promise<void>((resolve) => (release = resolve))),
    definition: {
      name,
      label: 'operations.job.sweep',
      intervalSeconds: 600,
      leaseSeconds: 60,
      run: async () => {
        job.started++;
        await gate;
        return { sessions: 2 };
      },
    } satisfies JobDefinition,
  };
  return job;
}

const jobRow = (name: string) => db.selectFrom('scheduled_jobs').selectAll().where('name', '=', name).executeTakeFirstOrThrow();

describe('a scheduled job', () => {
  it('is run by exactly one of two instances at a time, and its run is recorded', async () => {
    const clock = { at: T0 };
    const job = gatedJob();
    const a = contextFor(db, 'instance-a', clock);
    const b = contextFor(otherInstance(), 'instance-b', clock);
    await ensureJobRows(db, [job.definition.name], T0);

    const first = runJob(job.definition, a, { dueOnly: true });
    await expect.poll(() => job.started).toBe(1);
    expect(await runJob(job.definition, b, { dueOnly: true })).toEqual({ name: 'gated', outcome: 'skipped' });
    expect(await jobRow('gated')).toMatchObject({ lease_owner: 'instance-a', lease_until: T0 + 60, last_started_at: T0 });

    clock.at = T0 + 5;
    job.release();
    expect(await first).toMatchObject({ name: 'gated', outcome: 'succeeded', report: { sessions: 2 } });
    const row = await jobRow('gated');
    expect(row).toMatchObject({ lease_owner: null, lease_until: null, last_outcome: 'succeeded', last_finished_at: T0 + 5, next_run_at: T0 + 5 + 600, runs: 1, failures: 0, last_error: null });
    expect(JSON.parse(row.last_report!)).toEqual({ sessions: 2 });
    expect(row.last_duration_ms).toBeGreaterThanOrEqual(0);

    // Not due again until its interval has passed, on either instance.
    expect(await runJob(job.definition, b, { dueOnly: true })).toEqual({ name: 'gated', outcome: 'skipped' });
    expect(await dueJobNames(db, T0 + 604)).toEqual([]);
    expect(await dueJobNames(db, T0 + 605)).toEqual(['gated']);
    expect(job.started).toBe(1);
  });

  it('run by two instances racing for it starts once', async () => {
    const clock = { at: T0 };
    const job = gatedJob();
    await ensureJobRows(db, [job.definition.name], T0);
    const contexts = [contextFor(db, 'a', clock), contextFor(otherInstance(), 'b', clock)];
    const runs = Promise.all(contexts.map((context) => runJob(job.definition, context, { dueOnly: true })));
    await expect.poll(() => job.started).toBe(1);
    job.release();
    const outcomes = (await runs).map((run) => run.outcome).sort();
    expect(outcomes).toEqual(['skipped', 'succeeded']);
    expect(job.started).toBe(1);
  });

  it('whose instance died is taken over once its lease runs out', async () => {
    const clock = { at: T0 };
    const job = gatedJob();
    job.release();
    await ensureJobRows(db, ['gated'], T0);
    await db.updateTable('scheduled_jobs').set({ lease_owner: 'dead-instance', lease_until: T0 + 60 }).execute();
    const context = contextFor(db, 'alive', clock);
    expect((await runJob(job.definition, context, { dueOnly: true })).outcome).toBe('skipped');
    clock.at = T0 + 60;
    expect((await runJob(job.definition, context, { dueOnly: true })).outcome).toBe('succeeded');
  });

  it('that throws is recorded as failed with its error, and observers hear of every run', async () => {
    const seen: JobRun[] = [];
    const stop = onJobRun((run) => seen.push(run));
    closers.push(stop);
    const failing: JobDefinition = {
      name: 'failing',
      label: 'operations.job.sweep',
      intervalSeconds: 60,
      leaseSeconds: 60,
      run: () => Promise.reject(new Error('disk full')),
    };
    await ensureJobRows(db, ['failing'], T0);
    const run = await runJob(failing, contextFor(db, 'a', { at: T0 }), { dueOnly: false });
    expect(run).toMatchObject({ outcome: 'failed', error: 'disk full' });
    expect(await jobRow('failing')).toMatchObject({ last_outcome: 'failed', last_error: 'disk full', runs: 1, failures: 1, lease_owner: null });
    expect(seen.map((entry) => [entry.name, entry.outcome, typeof entry.durationMs])).toEqual([['failing', 'failed', 'number']]);
  });
});

describe('the scheduler', () => {
  it('runs due jobs, remembers in the database when they ran, and after a restart waits for the next run', async () => {
    const clock = { at: T0 };
    let runs = 0;
    const counting: JobDefinition = { name: 'counting', label: 'operations.job.sweep', intervalSeconds: 3600, leaseSeconds: 60, run: async () => ({ sessions: ++runs }) };
    const first = startScheduler(contextFor(db, 'a', clock), [counting], 60_000);
    await expect.poll(() => runs).toBe(1);
    await first.stop();
    expect(await jobRow('counting')).toMatchObject({ runs: 1, next_run_at: T0 + 3600 });

    // "Restarted": a new scheduler on another handle finds the job not due.
    const second = startScheduler(contextFor(otherInstance(), 'b', clock), [counting], 60_000);
    second.runSoon('no-such-job');
    await second.stop();
    expect(await dueJobNames(db, T0 + 1)).toEqual([]);
    expect(runs).toBe(1);
  });

  it('runs a job at once when asked (new mail), due or not', async () => {
    const clock = { at: T0 };
    let runs = 0;
    const counting: JobDefinition = { name: 'counting', label: 'operations.job.sweep', intervalSeconds: 3600, leaseSeconds: 60, run: async () => ({ sessions: ++runs }) };
    const scheduler = startScheduler(contextFor(db, 'a', clock), [counting], 60_000);
    closers.push(() => scheduler.stop());
    await expect.poll(() => runs).toBe(1);
    scheduler.runSoon('counting');
    await expect.poll(() => runs).toBe(2);
  });
});

describe('the catalogue', () => {
  it('runs every job once by hand: mail is sent through SMTP_URL, expired records are swept', async () => {
    const server = await startSmtpServer();
    closers.push(server.close);
    await queueMail(db, { to: 'a@example.org', subject: 'Hello', text: 'Hi', language: 'en' }, T0);
    const user = await insertUser(db, { email: 'u@example.org', passwordHash: 'x', displayName: 'U', role: 'member', townId: null, language: 'en' });
    await db.insertInto('sessions').values([
      { id_hash: 'expired', user_id: user, expires_at: T0 - 1, created_at: T0 - 100 },
      { id_hash: 'live', user_id: user, expires_at: T0 + 100, created_at: T0 - 100 },
    ]).execute();
    const token = { purpose: 'password_reset' as const, email: 'u@example.org', user_id: user, data: null, used_at: null, created_at: T0 - 100 };
    await db.insertInto('tokens').values([
      { ...token, id_hash: 'old', expires_at: T0 - TOKEN_RETENTION_SECONDS - 1 },
      { ...token, id_hash: 'recently-expired', expires_at: T0 - 1 },
    ]).execute();

    const runs = await runJobsOnce(contextFor(db, 'cli', { at: T0 }, { SMTP_URL: server.url }), JOBS);
    expect(runs.map((run) => [run.name, run.outcome])).toEqual(JOBS.map((job) => [job.name, 'succeeded']));
    expect(runs.find((run) => run.name === 'send-mail')).toMatchObject({ report: { sent: 1, retrying: 0, failed: 0 } });
    expect(runs.find((run) => run.name === 'sweep-expired')).toMatchObject({ report: { sessions: 1, tokens: 1 } });
    expect(server.received).toHaveLength(1);
    expect((await db.selectFrom('sessions').select('id_hash').execute()).map((row) => row.id_hash)).toEqual(['live']);
    expect((await db.selectFrom('tokens').select('id_hash').execute()).map((row) => row.id_hash)).toEqual(['recently-expired']);
  });

  it('without SMTP_URL, the mail job sends nothing and counts the mail waiting', async () => {
    await queueMail(db, { to: 'a@example.org', subject: 'Hello', text: 'Hi', language: 'en' }, T0);
    const context = contextFor(db, 'a', { at: T0 });
    expect(context.transport).toBeNull();
    expect(await jobNamed('send-mail')!.run(context)).toEqual({ waiting: 1 });
    expect((await db.selectFrom('email_outbox').select('state').executeTakeFirstOrThrow()).state).toBe('queued');
  });
});
