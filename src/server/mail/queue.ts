import type { Kysely } from 'kysely';
import * as clock from '~/lib/clock.ts';
import { engineOf } from '~/server/db/dialect.ts';
import { leaseFreeAt } from '~/server/db/lease.ts';
import { MAIL_STATES, type Database, type MailState, type OutboxMail } from '~/server/db/schema.ts';
import type { Mail } from './mailer.ts';

/**
 * How long the worker waits after each failed try before the next: 1 minute, 5 minutes,
 * 30 minutes, 2 hours, 12 hours. A message whose try after the last delay fails too is
 * marked failed (six tries in all, over about fifteen hours).
 */
export const RETRY_DELAYS_SECONDS = [60, 5 * 60, 30 * 60, 2 * 60 * 60, 12 * 60 * 60] as const;

/** Tries per round: the first, then one after each delay. */
export const MAX_ATTEMPTS = RETRY_DELAYS_SECONDS.length + 1;

/**
 * How long a worker holds a message it is sending. Longer than one SMTP exchange may
 * take (the transport's timeouts add up to under a minute, src/server/mail/transport.ts),
 * so a lease only runs out when its worker died, and then another may take the message.
 */
export const MAIL_LEASE_SECONDS = 120;

/**
 * Mail queued this long without a try is not sent any more but marked failed (an
 * administrator may still retry it): a site that ran for months without SMTP_URL
 * does not send months-old links the day it gets one.
 */
export const MAIL_MAX_WAIT_SECONDS = 3 * 24 * 60 * 60;

/** Stores a message in the outbox, queued and due now; returns its id. */
export async function queueMail(db: Kysely<Database>, mail: Mail, now = clock.now()): Promise<number> {
  const row = await db
    .insertInto('email_outbox')
    .values({
      to_address: mail.to,
      subject: mail.subject,
      text_body: mail.text,
      html_body: mail.html ?? null,
      language: mail.language,
      created_at: now,
      state: 'queued',
      next_attempt_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/**
 * Takes the next message due for a try, for `owner`, or none. One statement claims one
 * row: the inner select picks it (on PostgreSQL skipping rows another worker is claiming
 * this instant), and the outer condition is checked again on the row as it is when the
 * update takes it, so of two workers that picked the same row only one gets it.
 * `onlyId` claims that one message if it is due (the test mail of `mail-test`).
 */
export async function claimNextMail(db: Kysely<Database>, owner: string, now = clock.now(), onlyId?: number): Promise<OutboxMail | undefined> {
  const leaseFree = leaseFreeAt(now);
  let next = db
    .selectFrom('email_outbox')
    .select('id')
    .where('state', '=', 'queued')
    .where('next_attempt_at', '<=', now)
    .where(leaseFree)
    .$if(onlyId !== undefined, (query) => query.where('id', '=', onlyId!))
    .orderBy('next_attempt_at')
    .orderBy('id')
    .limit(1);
  if (engineOf(db) === 'postgres') next = next.forUpdate().skipLocked();
  return db
    .updateTable('email_outbox')
    .set({ lease_owner: owner, lease_until: now + MAIL_LEASE_SECONDS })
    .where('id', '=', next)
    .where('state', '=', 'queued')
    .where(leaseFree)
    .returningAll()
    .executeTakeFirst();
}

/** What became of a message after one try. */
export type AttemptResult = { outcome: 'sent' } | { outcome: 'failed'; error: string };

/**
 * Records one try of a claimed message and releases it: sent; or queued again after the
 * next delay; or, after the last try, failed. Returns the message's state now.
 */
export async function recordAttempt(db: Kysely<Database>, mail: Pick<OutboxMail, 'id' | 'attempts' | 'lease_owner'>, result: AttemptResult, now = clock.now()): Promise<MailState> {
  const attempts = mail.attempts + 1;
  const state: MailState = result.outcome === 'sent' ? 'sent' : attempts >= MAX_ATTEMPTS ? 'failed' : 'queued';
  const error = result.outcome === 'failed' ? result.error : null;
  await db.transaction().execute(async (trx) => {
    await trx.insertInto('email_attempts').values({ mail_id: mail.id, at: now, outcome: result.outcome, error }).execute();
    await trx
      .updateTable('email_outbox')
      .set({
        state,
        attempts,
        last_error: error,
        sent_at: state === 'sent' ? now : null,
        next_attempt_at: state === 'queued' ? now + RETRY_DELAYS_SECONDS[attempts - 1]! : now,
        lease_owner: null,
        lease_until: null,
      })
      .where('id', '=', mail.id)
      // Only while this worker still holds it: had its lease run out, the message is another's now.
      .where('lease_owner', '=', mail.lease_owner)
      .execute();
  });
  return state;
}

/** The error kept with mail given up on unsent (`expireStaleMail`); pages show it in the reader's language. */
export const EXPIRED = 'qala:expired';

/** Marks queued mail that waited too long without a try as failed; returns how many. */
export async function expireStaleMail(db: Kysely<Database>, now = clock.now()): Promise<number> {
  const result = await db
    .updateTable('email_outbox')
    .set({ state: 'failed', last_error: EXPIRED })
    .where('state', '=', 'queued')
    .where('attempts', '=', 0)
    .where('created_at', '<', now - MAIL_MAX_WAIT_SECONDS)
    .where(leaseFreeAt(now))
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** Puts a failed message back in the queue for a new round of tries, due now; false when it is not failed. */
export async function requeueFailedMail(db: Kysely<Database>, mailId: number, now = clock.now()): Promise<boolean> {
  const result = await db
    .updateTable('email_outbox')
    .set({ state: 'queued', attempts: 0, next_attempt_at: now, last_error: null, lease_owner: null, lease_until: null })
    .where('id', '=', mailId)
    .where('state', '=', 'failed')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** How many messages are in each state (for the outbox page and the metrics). */
export async function mailCountsByState(db: Kysely<Database>): Promise<Record<MailState, number>> {
  const rows = await db.selectFrom('email_outbox').select(['state', db.fn.countAll<number>().as('count')]).groupBy('state').execute();
  const counts = Object.fromEntries(MAIL_STATES.map((state) => [state, 0])) as Record<MailState, number>;
  for (const row of rows) counts[row.state] = Number(row.count);
  return counts;
}

/** Messages per page of the outbox list. */
export const OUTBOX_PAGE_SIZE = 25;

/** One page of the outbox, newest first, of one state or all, with each message's tries. */
export async function outboxPage(db: Kysely<Database>, filter: { state: MailState | null; page: number }) {
  let count = db.selectFrom('email_outbox').select(db.fn.countAll<number>().as('total'));
  let list = db.selectFrom('email_outbox').selectAll();
  if (filter.state) {
    count = count.where('state', '=', filter.state);
    list = list.where('state', '=', filter.state);
  }
  const total = Number((await count.executeTakeFirstOrThrow()).total);
  const pages = Math.max(1, Math.ceil(total / OUTBOX_PAGE_SIZE));
  const page = Math.min(Math.max(1, filter.page), pages);
  const mail = await list.orderBy('id', 'desc').limit(OUTBOX_PAGE_SIZE).offset((page - 1) * OUTBOX_PAGE_SIZE).execute();
  const ids = mail.map((message) => message.id);
  const attempts = ids.length === 0 ? [] : await db.selectFrom('email_attempts').selectAll().where('mail_id', 'in', ids).orderBy('id').execute();
  return {
    total,
    page,
    pages,
    mail: mail.map((message) => ({ ...message, tries: attempts.filter((attempt) => attempt.mail_id === message.id) })),
  };
}

/** Whether a string names a mail state. */
export function isMailState(value: string | null | undefined): value is MailState {
  return (MAIL_STATES as readonly string[]).includes(value ?? '');
}
