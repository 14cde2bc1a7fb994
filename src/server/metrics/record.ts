import type { LogEvent } from 'kysely';
import { qalaMetrics, type MailQueueSource } from './registry.ts';

/** `2xx`, `4xx` …: a status class keeps the label set small and says what matters. */
export function statusClass(status: number): string {
  return status >= 100 && status < 600 ? `${Math.floor(status / 100)}xx` : 'other';
}

const METHODS = new Set(['GET', 'HEAD', 'POST']);

/** Records one answered request. `route` is a route pattern or another fixed label, never a raw URL. */
export function recordRequest(route: string, method: string | undefined, status: number, seconds: number): void {
  qalaMetrics().httpRequestDuration.observe(
    { route, method: method && METHODS.has(method) ? method : 'other', status_class: statusClass(status) },
    seconds,
  );
}

const OPERATIONS: Record<string, string> = {
  SelectQueryNode: 'select',
  InsertQueryNode: 'insert',
  UpdateQueryNode: 'update',
  DeleteQueryNode: 'delete',
};
const FIRST_WORD = /^\s*(select|insert|update|delete|with)\b/i;

/** The kind of statement of a query kysely ran: builder queries by node, raw SQL by its first word. */
function operationOf(event: LogEvent): string {
  const byNode = OPERATIONS[event.query.query.kind];
  if (byNode) return byNode;
  const word = FIRST_WORD.exec(event.query.sql)?.[1]?.toLowerCase();
  return word === undefined ? 'other' : word === 'with' ? 'select' : word;
}

/**
 * kysely's `log` hook (src/server/db/connection.ts): the duration of every statement.
 * Never throws, since kysely awaits it inside the query.
 */
export function recordQuery(event: LogEvent): void {
  try {
    qalaMetrics().databaseQueryDuration.observe(
      { operation: operationOf(event), outcome: event.level === 'error' ? 'error' : 'ok' },
      event.queryDurationMillis / 1000,
    );
  } catch {
    // A metric must never fail a query.
  }
}

/** What a password sign-in attempt came to (src/server/auth/sign-in.ts). */
export type SignInOutcome = 'succeeded' | 'failed' | 'throttled';

export function recordSignIn(outcome: SignInOutcome): void {
  qalaMetrics().signIns.inc({ outcome });
}

/** How a scheduled job's run ended. */
export type JobOutcome = 'succeeded' | 'failed' | 'skipped';

/** Records one run of a scheduled job on this instance: its outcome and duration. */
export function recordJobRun(name: string, outcome: JobOutcome, seconds: number): void {
  const metrics = qalaMetrics();
  metrics.jobRuns.inc({ job: name, outcome });
  // A skipped run (another instance holds the job's lease) did no work to time.
  if (outcome === 'skipped') return;
  metrics.jobDuration.observe({ job: name }, seconds);
  if (outcome === 'succeeded') metrics.jobLastSuccess.set({ job: name }, Date.now() / 1000);
}

/**
 * Where the mail queue's depth comes from: called at every scrape, it answers the
 * number of mails per state. Replaces any earlier source; `undefined` removes it.
 */
export function setMailQueueSource(source: MailQueueSource | undefined): void {
  qalaMetrics().mailQueueSource = source;
}
