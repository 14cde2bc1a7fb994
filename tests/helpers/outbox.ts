import Database from 'better-sqlite3';
import { expect } from 'vitest';

/** One message of the server's mail outbox (mail goes there when no SMTP_URL is set). */
export interface OutboxMail {
  id: number;
  to_address: string;
  subject: string;
  text_body: string;
  language: string;
}

/**
 * Runs one read-only query against a running server's SQLite file (WAL mode lets a
 * reader in while the server writes). For checks only: tests never write there.
 */
export function readRows<T>(databasePath: string, query: string, ...parameters: unknown[]): T[] {
  const db = new Database(databasePath, { readonly: true, fileMustExist: true });
  try {
    return db.prepare(query).all(...parameters) as T[];
  } finally {
    db.close();
  }
}

/** The whole outbox, oldest first. */
export function outbox(databasePath: string): OutboxMail[] {
  return readRows<OutboxMail>(databasePath, 'SELECT id, to_address, subject, text_body, language FROM email_outbox ORDER BY id');
}

/** The outbox messages sent to one address, oldest first. */
export function mailTo(databasePath: string, address: string): OutboxMail[] {
  return outbox(databasePath).filter((mail) => mail.to_address === address);
}

/** The newest message to one address; fails the test when there is none. */
export function lastMailTo(databasePath: string, address: string): OutboxMail {
  const mail = mailTo(databasePath, address).at(-1);
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
export function userIdOf(databasePath: string, email: string): string {
  const [row] = readRows<{ id: string }>(databasePath, 'SELECT id FROM users WHERE email = ?', email);
  expect(row, `no account for ${email}`).toBeDefined();
  return row!.id;
}
