import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import * as clock from '~/lib/clock.ts';
import { describeError } from '~/lib/error-text.ts';
import type { Database, MailState, OutboxMail } from '~/server/db/schema.ts';
import { log } from '~/server/log.ts';
import { claimNextMail, expireStaleMail, recordAttempt, type AttemptResult } from './queue.ts';
import { outgoingMessage, type MailTransport } from './transport.ts';

/** What one turn of the sender did. */
export type SendReport = {
  sent: number;
  /** Tries that failed and will be tried again later. */
  retrying: number;
  /** Messages given up on in this turn (their last try failed, or they waited too long). */
  failed: number;
};

/** What the sender needs besides the transport: MAIL_FROM, the public origin, who it is and the clock. */
export interface SendSettings {
  from: string;
  origin: string;
  /** This worker, as written in the leases it takes (one per process). */
  owner?: string;
  now?: () => number;
}

/** How many messages one turn sends at most, so one turn cannot run for ever. */
export const SEND_BATCH = 100;

/** Hands one claimed message to SMTP and records the try; the message's state after it. */
async function deliver(db: Kysely<Database>, transport: MailTransport, mail: OutboxMail, settings: SendSettings): Promise<{ state: MailState; error?: string }> {
  let result: AttemptResult;
  try {
    const info = await transport.send(outgoingMessage(mail, settings));
    result = { outcome: 'sent' };
    log.info('mail sent', { mail: mail.id, messageId: info.messageId });
  } catch (error) {
    result = { outcome: 'failed', error: describeError(error) };
    log.warn('mail not sent', { mail: mail.id, attempt: mail.attempts + 1, error: result.error });
  }
  const state = await recordAttempt(db, mail, result, (settings.now ?? clock.now)());
  return result.outcome === 'failed' ? { state, error: result.error } : { state };
}

/**
 * Sends the mail that is due, one message at a time: claims it (with a lease, so no
 * other worker sends it), hands it to SMTP, records the try. A message is sent at
 * least once; only a process dying between the server's "accepted" and the record
 * could send one twice, and its Message-ID stays the same for the receiver to notice.
 */
export async function sendDueMail(db: Kysely<Database>, transport: MailTransport, settings: SendSettings & { limit?: number }): Promise<SendReport> {
  const now = settings.now ?? clock.now;
  const owner = settings.owner ?? randomUUID();
  const report: SendReport = { sent: 0, retrying: 0, failed: await expireStaleMail(db, now()) };
  for (let turn = 0; turn < (settings.limit ?? SEND_BATCH); turn++) {
    const mail = await claimNextMail(db, owner, now());
    if (!mail) break;
    const { state } = await deliver(db, transport, mail, settings);
    if (state === 'sent') report.sent++;
    else if (state === 'failed') report.failed++;
    else report.retrying++;
  }
  return report;
}

/**
 * Tries one queued message now (the test mail of `qala mail-test`); undefined when it is
 * not due or another worker holds it.
 */
export async function sendOneNow(db: Kysely<Database>, transport: MailTransport, mailId: number, settings: SendSettings): Promise<{ state: MailState; error?: string } | undefined> {
  const mail = await claimNextMail(db, settings.owner ?? randomUUID(), (settings.now ?? clock.now)(), mailId);
  return mail ? deliver(db, transport, mail, settings) : undefined;
}
