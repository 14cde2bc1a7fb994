import { sweepExpiredRecords } from '~/server/maintenance.ts';
import { mailCountsByState } from '~/server/mail/queue.ts';
import { sendDueMail } from '~/server/mail/sender.ts';
import { sendDueDigests } from '~/server/notifications/digests.ts';
import { publishDueItems } from '~/server/editorial/workflows.ts';
import { resyncUntilDone } from '~/server/search/resync.ts';
import type { JobDefinition } from './types.ts';

/** The job that runs search's full pass over the database sources in the background. */
export const SEARCH_INDEX_JOB = 'search-index';

/**
 * Every scheduled job, in the order the jobs page lists them. A new job is one entry
 * here: a stable name, its label (`operations.job.*` or the job's own dictionary), how
 * often it runs, and its function; the scheduler, `qala jobs --once`, the page and the
 * run observers pick it up.
 */
export const JOBS: readonly JobDefinition[] = [
  {
    name: 'send-mail',
    label: 'operations.job.sendMail',
    // Mail queued by this process is sent at once (the mailer wakes the job); the turn
    // each minute takes retries when due and mail queued on another instance.
    intervalSeconds: 60,
    leaseSeconds: 5 * 60,
    run: async ({ db, transport, config, baseUrl, owner, now }) => {
      if (!transport) return { waiting: (await mailCountsByState(db)).queued };
      return sendDueMail(db, transport, { from: config.mailFrom, origin: baseUrl, owner, now });
    },
  },
  {
    name: 'sweep-expired',
    label: 'operations.job.sweep',
    intervalSeconds: 60 * 60,
    leaseSeconds: 5 * 60,
    run: ({ db, now }) => sweepExpiredRecords(db, now()),
  },
  {
    name: 'send-digests',
    label: 'operations.job.digests',
    // A digest is due from 08:00 in the association's time zone: it goes out within one
    // turn of that. A turn with nothing due costs one query.
    intervalSeconds: 5 * 60,
    leaseSeconds: 10 * 60,
    run: async ({ db, mailer, baseUrl }) => ({ digests: (await sendDueDigests(db, mailer, { baseUrl })).length }),
  },
  {
    name: 'publish-scheduled',
    label: 'editorial.job.publishScheduled',
    // Scheduled portal items go public within a minute of their time; a turn with nothing due is one query.
    intervalSeconds: 60,
    leaseSeconds: 5 * 60,
    run: async ({ db, now }) => ({ published: await publishDueItems(db, now()) }),
  },
  {
    name: SEARCH_INDEX_JOB,
    label: 'searchindex.job',
    // Started by a server once it listens; a turn with the index current is one query. A
    // run goes on until the pass is done, holding the lease (renewed) so one instance runs
    // it, resting a third of the time so the process keeps answering requests.
    intervalSeconds: 60,
    leaseSeconds: 5 * 60,
    run: async ({ db, serving }) => {
      await serving;
      return { documents: Object.values(await resyncUntilDone(db, { restShare: 1 / 2 })).reduce((sum, count) => sum + count, 0) };
    },
  },
];

/** The job of a name, if any. */
export function jobNamed(name: string): JobDefinition | undefined {
  return JOBS.find((job) => job.name === name);
}
