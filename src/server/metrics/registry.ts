import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { errorFields, log } from '~/server/log.ts';

/**
 * Every metric Qala exports, in one registry per process. The registry lives on
 * globalThis, not in this module: the Node entry (dist/qala.mjs) and Astro's server
 * bundle each carry their own copy of this file (sign-ins are counted in the one,
 * requests in the other), and prom-client refuses a second metric of the same name.
 */
export interface QalaMetrics {
  registry: Registry;
  httpRequestDuration: Histogram<'route' | 'method' | 'status_class'>;
  databaseQueryDuration: Histogram<'operation' | 'outcome'>;
  signIns: Counter<'outcome'>;
  mailQueue: Gauge<'state'>;
  jobRuns: Counter<'job' | 'outcome'>;
  jobDuration: Histogram<'job'>;
  jobLastSuccess: Gauge<'job'>;
  /** Where the mail queue's depth is read from at each scrape; none until set. */
  mailQueueSource: MailQueueSource | undefined;
  processMetrics: boolean;
}

/** Counts of outgoing mail per state (e.g. `{ queued: 3, sending: 0, sent: 120, failed: 1 }`). */
export type MailQueueSource = () => Promise<Record<string, number>> | Record<string, number>;

const HOLDER = Symbol.for('qala.metrics');
const holder = globalThis as { [HOLDER]?: QalaMetrics };

/** Seconds: from a static file (about a millisecond) to a slow page (seconds). */
const REQUEST_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
/** Seconds: an indexed read (well under a millisecond) to a wait for SQLite's write lock (up to 5 s). */
const QUERY_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];
/** Seconds: a sweep (milliseconds) to a digest run over every member (minutes). */
const JOB_BUCKETS = [0.01, 0.1, 0.5, 1, 5, 15, 60, 300, 900];

function createMetrics(): QalaMetrics {
  const registry = new Registry();
  const registers = [registry];
  const metrics: QalaMetrics = {
    registry,
    httpRequestDuration: new Histogram({
      name: 'qala_http_request_duration_seconds',
      help: 'HTTP requests by route pattern (static files are one route), method and status class, and how long they took',
      labelNames: ['route', 'method', 'status_class'],
      buckets: REQUEST_BUCKETS,
      registers,
    }),
    databaseQueryDuration: new Histogram({
      name: 'qala_db_query_duration_seconds',
      help: 'Database statements by operation and outcome, and how long they took (lock waits included)',
      labelNames: ['operation', 'outcome'],
      buckets: QUERY_BUCKETS,
      registers,
    }),
    signIns: new Counter({
      name: 'qala_sign_ins_total',
      help: 'Password sign-in attempts by outcome: succeeded, failed (wrong email or password, or a disabled account) or throttled',
      labelNames: ['outcome'],
      registers,
    }),
    mailQueue: new Gauge({
      name: 'qala_mail_queue',
      help: 'Outgoing mail in the database by state (the same figure on every instance)',
      labelNames: ['state'],
      registers,
      async collect() {
        const source = holder[HOLDER]?.mailQueueSource;
        if (!source) return;
        // An old figure would look current: without a fresh count, say nothing.
        this.reset();
        try {
          const counts = await source();
          for (const [state, count] of Object.entries(counts)) this.set({ state }, count);
        } catch (error) {
          // The other metrics still answer; the gap in this one shows.
          log.warn('metrics: mail queue depth unavailable', errorFields(error));
        }
      },
    }),
    jobRuns: new Counter({
      name: 'qala_job_runs_total',
      help: 'Scheduled job runs on this instance by job and outcome',
      labelNames: ['job', 'outcome'],
      registers,
    }),
    jobDuration: new Histogram({
      name: 'qala_job_duration_seconds',
      help: 'How long scheduled job runs took on this instance',
      labelNames: ['job'],
      buckets: JOB_BUCKETS,
      registers,
    }),
    jobLastSuccess: new Gauge({
      name: 'qala_job_last_success_timestamp_seconds',
      help: 'When a scheduled job last succeeded on this instance (Unix time)',
      labelNames: ['job'],
      registers,
    }),
    mailQueueSource: undefined,
    processMetrics: false,
  };
  return metrics;
}

/** The process's metrics, created on first use. */
export function qalaMetrics(): QalaMetrics {
  holder[HOLDER] ??= createMetrics();
  return holder[HOLDER];
}

/**
 * Adds Node's own metrics (heap, resident memory, event-loop lag, garbage collection,
 * open file descriptors, CPU) under their usual names, so ready-made dashboards work.
 * Only the serving process asks for them: the event-loop monitor runs from then on.
 */
export function collectProcessMetrics(): void {
  const metrics = qalaMetrics();
  if (metrics.processMetrics) return;
  metrics.processMetrics = true;
  collectDefaultMetrics({ register: metrics.registry });
}
