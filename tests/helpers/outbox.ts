import { sql } from 'kysely';
import { expect } from 'vitest';
import { readRows } from './server-database.ts';

/** One message of the server's mail outbox (mail goes there when no SMTP_URL is set). */
export interface OutboxMail {
  id: number;
  to_address: string;
  subject: string;
  text_body: string;
  language: string;
  /** queued (waiting, or without SMTP_URL), sent or failed. */
  state: string;
}

/** The whole outbox of the server with this DATABASE_URL (`RunningServer.databaseUrl`), oldest first. */
export function outbox(databaseUrl: string): Promise<OutboxMail[]> {
  return readRows(databaseUrl, sql<OutboxMail>`SELECT id, to_address, subject, text_body, language, state FROM email_outbox ORDER BY id`);
}

/** The outbox messages sent to one address, oldest first. */
export async function mailTo(databaseUrl: string, address: string): Promise<OutboxMail[]> {
  return (await outbox(databaseUrl)).filter((mail) => mail.to_address === address);
}

/** The newest message to one address; fails the test when there is none. */
export async function lastMailTo(databaseUrl: string, address: string): Promise<OutboxMail> {
  const mail = (await mailTo(databaseUrl, address)).at(-1);
  expect(mail, `no mail to ${address} in the outbox`).toBeDefined();
  return mail!;
}

/** The one absolute link in a message, as path + query; its origin must be `origin`. */
export function linkIn(mail: Pick<OutboxMail, 'text_body'>, origin: string): string {
  const links = mail.text_body.match(/https?:\/\/\S+/g) ?? [];
  expect(links, `links in: ${mail.text_body}`).toHaveLength(1);
  const url = new URL(links[0]!);
  expect(url.origin).toBe(origin);
  return url.pathname + url.search;
}

/** The `token` query parameter of a link path. */
export function tokenOf(path: string): string {
  const token = new URL(path, 'http://link.invalid').searchParams.get('token');
  expect(token).toBeTruthy();
  return token!;
}

/** The id of the account with this email, read from the server's database. */
export async function userIdOf(databaseUrl: string, email: string): Promise<string> {
  const [row] = await readRows(databaseUrl, sql<{ id: string }>`SELECT id FROM users WHERE email = ${email}`);
  expect(row, `no account for ${email}`).toBeDefined();
  return row!.id;
}
