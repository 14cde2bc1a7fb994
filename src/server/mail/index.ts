import { config } from '~/server/config.ts';
import { db } from '~/server/db/index.ts';
import { createMailer, type Mailer } from './mailer.ts';

let shared: Mailer | undefined;

/** The process's mailer, from SMTP_URL (or the outbox). */
export function mailer(): Mailer {
  shared ??= createMailer(db(), { smtpUrl: config().smtpUrl, from: config().mailFrom });
  return shared;
}
