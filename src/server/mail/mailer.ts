import type { Kysely } from 'kysely';
import type { Language } from '~/i18n/index.ts';
import type { Database } from '~/server/db/schema.ts';
import { errorFields, log } from '~/server/log.ts';
import { queueMail } from './queue.ts';

/** One email, written in the recipient's language. */
export interface Mail {
  to: string;
  subject: string;
  /** The plain-text part; links in it are absolute (built on ORIGIN, see `publicBaseUrl`). */
  text: string;
  language: Language;
  /** The HTML part; when left out, it is made from `text` (escaped) when the mail is sent. */
  html?: string;
}

/** Sends mail: stores it in the outbox, from where the mail job delivers it. */
export interface Mailer {
  send(mail: Mail): Promise<void>;
}

/**
 * Every message is first written to `email_outbox` (state queued), so none is lost when
 * the SMTP server refuses it or the process stops: the mail job (src/server/mail/sender.ts)
 * delivers it, with retries. Without SMTP_URL it stays there for administrators to read,
 * so the demo needs no mail server. `onQueued` lets the process deliver at once rather
 * than at the job's next turn. (`smtpUrl` and `from` are read by the sender now; they
 * are still accepted here so older callers keep working.)
 */
export function createMailer(
  db: Kysely<Database>,
  options: { smtpUrl?: string | undefined; from?: string; onQueued?: () => void } = {},
): Mailer {
  return {
    async send(mail) {
      await queueMail(db, mail);
      try {
        options.onQueued?.();
      } catch (error) {
        // Delivery is the job's concern: the caller's answer never depends on it.
        log.warn('mail queued; waking the sender failed', errorFields(error));
      }
    },
  };
}

/** The newest outbox messages, newest first. */
export function latestOutboxMail(db: Kysely<Database>, limit = 50) {
  return db.selectFrom('email_outbox').selectAll().orderBy('id', 'desc').limit(limit).execute();
}
