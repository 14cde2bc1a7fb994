import type { Kysely } from 'kysely';
import nodemailer from 'nodemailer';
import { now } from '~/lib/clock.ts';
import type { Language } from '~/i18n/index.ts';
import type { Database } from '~/server/db/schema.ts';
import { errorFields, log } from '~/server/log.ts';

/** One plain-text email, written in the recipient's language. */
export interface Mail {
  to: string;
  subject: string;
  text: string;
  language: Language;
}

/** Sends mail: through SMTP when configured, else into the outbox table. */
export interface Mailer {
  send(mail: Mail): Promise<void>;
}

/**
 * Without SMTP_URL, mail is written to `email_outbox`, which administrators read in
 * the portal and tests read directly, so the demo needs no mail server.
 */
export function createMailer(db: Kysely<Database>, options: { smtpUrl: string | undefined; from: string }): Mailer {
  if (!options.smtpUrl) {
    return {
      async send(mail) {
        await db
          .insertInto('email_outbox')
          .values({ to_address: mail.to, subject: mail.subject, text_body: mail.text, language: mail.language, created_at: now() })
          .execute();
      },
    };
  }
  const transport = nodemailer.createTransport(options.smtpUrl);
  return {
    async send(mail) {
      // Handed to SMTP in the background: the caller's answer (e.g. "if an account
      // exists, we sent a link") must not take longer, or fail, only when it does.
      // nodemailer encodes header values, so a name with a line break cannot add headers.
      transport
        .sendMail({ from: options.from, to: mail.to, subject: mail.subject, text: mail.text })
        .then((info) => log.info('mail sent', { messageId: info.messageId }))
        .catch((error: unknown) => log.error('mail not sent', { to: mail.to, ...errorFields(error) }));
    },
  };
}

/** The newest outbox messages, for the administrators' outbox page. */
export function latestOutboxMail(db: Kysely<Database>, limit = 50) {
  return db.selectFrom('email_outbox').selectAll().orderBy('id', 'desc').limit(limit).execute();
}
