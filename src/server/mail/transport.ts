import nodemailer, { type SendMailOptions } from 'nodemailer';
import type SMTPPool from 'nodemailer/lib/smtp-pool/index.js';
import { mailHtml } from '~/lib/mail-html.ts';
import type { OutboxMail } from '~/server/db/schema.ts';

/** Hands one message to an SMTP server; resolves when the server accepted it. */
export interface MailTransport {
  send(message: OutgoingMessage): Promise<{ messageId: string; response: string }>;
  close(): void;
}

/** A message as it goes out: addresses, both parts and its headers. */
export type OutgoingMessage = SendMailOptions;

/**
 * SMTP waits, kept short so one try ends (at worst ~50 s) well inside the worker's lease
 * on the message (MAIL_LEASE_SECONDS); nodemailer's own defaults allow minutes.
 */
const TIMEOUTS = { connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000 };

/**
 * The SMTP server of SMTP_URL (smtp:// or smtps://, user and password in the URL), over one
 * kept-open connection: the sender sends one message at a time, and a new connection per
 * message costs several times the message itself (tests/bench/mail-queue.measure.ts).
 */
export function smtpTransport(smtpUrl: string): MailTransport {
  const options: SMTPPool.Options = { url: smtpUrl, pool: true, maxConnections: 1, ...TIMEOUTS };
  const transport = nodemailer.createTransport(options);
  return {
    async send(message) {
      const info = await transport.sendMail(message);
      return { messageId: info.messageId, response: info.response };
    },
    close: () => transport.close(),
  };
}

/**
 * The message for a stored mail: From is MAIL_FROM; a plain-text and an HTML part (made
 * from the text, escaped, unless the caller wrote one); the language said in
 * Content-Language and the HTML; marked as sent by a machine (RFC 3834), so
 * out-of-office replies stay away. The Message-ID is the same on every try, so a
 * receiving server can recognise a message it already has. nodemailer encodes header
 * values, so a line break in a subject cannot add a header.
 */
export function outgoingMessage(mail: Pick<OutboxMail, 'id' | 'created_at' | 'to_address' | 'subject' | 'text_body' | 'html_body' | 'language'>, settings: { from: string; origin: string }): OutgoingMessage {
  return {
    from: settings.from,
    to: mail.to_address,
    subject: mail.subject,
    text: mail.text_body,
    html: mail.html_body ?? mailHtml(mail.text_body, mail.subject, mail.language),
    date: new Date(mail.created_at * 1000),
    messageId: `<qala.${mail.id}.${mail.created_at}@${new URL(settings.origin).hostname}>`,
    headers: { 'Content-Language': mail.language, 'Auto-Submitted': 'auto-generated' },
  };
}
