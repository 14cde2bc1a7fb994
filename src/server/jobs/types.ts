import type { Kysely } from 'kysely';
import type { MessageKey } from '~/i18n/index.ts';
import type { Config } from '~/server/config.ts';
import type { Database } from '~/server/db/schema.ts';
import type { Mailer } from '~/server/mail/mailer.ts';
import type { MailTransport } from '~/server/mail/transport.ts';

/** What a job run did, as counts; each key has a label `operations.report.<key>`. */
export type JobReport = Readonly<Record<string, number>>;

/** What every job gets to work with. */
export interface JobContext {
  db: Kysely<Database>;
  config: Config;
  /** The origin links in mail point to (ORIGIN; see `publicOrigin`). */
  baseUrl: string;
  /** Writes mail to the outbox (for jobs that tell people something, e.g. digests). */
  mailer: Mailer;
  /** The SMTP server of SMTP_URL; null without one (mail then waits in the outbox). */
  transport: MailTransport | null;
  /** This process, as written in the leases it takes. */
  owner: string;
  /** The clock, in UTC seconds (settable by tests). */
  now: () => number;
  /** Settles once this process serves HTTP (a server's jobs); absent when nothing serves (`qala jobs --once`). Work that would slow start-up waits for it. */
  serving?: Promise<void>;
}

/** One scheduled job: one entry of JOBS in catalogue.ts. */
export interface JobDefinition {
  /** Stable id, stored in `scheduled_jobs`; never shown. */
  name: string;
  /** Its name on the administrators' jobs page. */
  label: MessageKey;
  /** Seconds from the end of one run to the next. */
  intervalSeconds: number;
  /** How long a run holds the job before another instance may take it; renewed while it runs. */
  leaseSeconds: number;
  run(context: JobContext): Promise<JobReport>;
}

/** How a job run ended, for the page, the log and the observers (metrics). */
export interface JobRun {
  name: string;
  outcome: 'succeeded' | 'failed';
  durationMs: number;
  report: JobReport;
  error?: string;
}
