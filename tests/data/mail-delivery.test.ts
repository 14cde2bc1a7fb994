import type { Kysely } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { requestPasswordReset } from '~/server/accounts/passwords.ts';
import { insertUser } from '~/server/accounts/users.ts';
import { createDatabase } from '~/server/db/connection.ts';
import type { Database } from '~/server/db/schema.ts';
import { createMailer } from '~/server/mail/mailer.ts';
import { claimNextMail, EXPIRED, MAIL_MAX_WAIT_SECONDS, mailCountsByState, MAX_ATTEMPTS, OUTBOX_PAGE_SIZE, outboxPage, queueMail, RETRY_DELAYS_SECONDS } from '~/server/mail/queue.ts';
import { sendDueMail } from '~/server/mail/sender.ts';
import { smtpTransport, type MailTransport } from '~/server/mail/transport.ts';
import { retryFailedMail } from '~/server/mail/workflows.ts';
import { createTestDatabase } from '../helpers/database.ts';
import { downSmtpUrl, parseMail, startSmtpServer, type TestSmtpServer } from '../helpers/smtp.ts';

const ORIGIN = 'https://qala.example.org';
const FROM = 'Qala <no-reply@qala.example.org>';
const T0 = 1_800_000_000;

let db: Kysely<Database>;
let path: string;
let cleanup: () => Promise<void>;
const closers: Array<() => unknown> = [];

beforeEach(async () => {
  ({ db, path, cleanup } = await createTestDatabase());
});
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
  await cleanup();
});

async function smtp(options: Parameters<typeof startSmtpServer>[0] = {}): Promise<TestSmtpServer> {
  const server = await startSmtpServer(options);
  closers.push(server.close);
  return server;
}

function transportTo(url: string): MailTransport {
  const transport = smtpTransport(url);
  closers.push(() => transport.close());
  return transport;
}

/** Runs the sender once at `at` (UTC seconds). */
const sendAt = (transport: MailTransport, at: number, handle = db, owner = 'worker-a') => sendDueMail(handle, transport, { from: FROM, origin: ORIGIN, owner, now: () => at });

const mail = (to: string, subject = 'Hello') => ({ to, subject, text: `Body for ${to}`, language: 'en' as const });
const row = (id: number) => db.selectFrom('email_outbox').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
const attempts = (id: number) => db.selectFrom('email_attempts').select(['at', 'outcome', 'error']).where('mail_id', '=', id).orderBy('id').execute();

describe('the mailer', () => {
  it('stores every mail first, queued and due now, and wakes the sender', async () => {
    let woken = 0;
    await createMailer(db, { onQueued: () => woken++ }).send({ ...mail('a@example.org'), html: '<p>Mine</p>' });
    expect(woken).toBe(1);
    expect(await db.selectFrom('email_outbox').select(['to_address', 'state', 'attempts', 'html_body', 'sent_at']).execute()).toEqual([
      { to_address: 'a@example.org', state: 'queued', attempts: 0, html_body: '<p>Mine</p>', sent_at: null },
    ]);
  });
});

describe('sending through a real SMTP server', () => {
  it('delivers a reset link in the recipient’s language, with text and HTML parts, headers and links on ORIGIN', async () => {
    const server = await smtp();
    await insertUser(db, { email: 'ridder@example.org', passwordHash: 'x', displayName: 'Айгерім <b>&"Q"</b>', role: 'member', townId: null, language: 'ru' });
    await requestPasswordReset(db, createMailer(db), { email: 'ridder@example.org', clientAddress: '192.0.2.1', baseUrl: ORIGIN });
    const [queued] = await db.selectFrom('email_outbox').selectAll().execute();
    expect(await sendAt(transportTo(server.url), queued!.created_at)).toEqual({ sent: 1, retrying: 0, failed: 0 });

    expect(server.received).toHaveLength(1);
    const received = server.received[0]!;
    expect(received.to).toEqual(['ridder@example.org']);
    expect(received.from).toBe('no-reply@qala.example.org');
    const parsed = parseMail(received.raw);
    expect(parsed.contentType).toMatch(/^multipart\/alternative/);
    expect(parsed.headers.get('from')).toBe(FROM);
    expect(parsed.headers.get('to')).toBe('ridder@example.org');
    expect(parsed.headers.get('subject')).toBe('Сброс пароля');
    expect(parsed.headers.get('content-language')).toBe('ru');
    expect(parsed.headers.get('auto-submitted')).toBe('auto-generated');
    expect(parsed.headers.get('message-id')).toBe(`<qala.${queued!.id}.${queued!.created_at}@qala.example.org>`);
    expect(parsed.headers.get('date')).toBeTruthy();

    const link = /https?:\/\/\S+/.exec(parsed.text!)![0];
    expect(link.startsWith(`${ORIGIN}/ru/password/reset/?token=`)).toBe(true);
    expect(parsed.text).toContain('Айгерім <b>&"Q"</b>');
    expect(parsed.html).toContain('<html lang="ru">');
    expect(parsed.html).toContain(`<a href="${link}">`);
    // The member's name is text in the HTML part, never markup.
    expect(parsed.html).toContain('Айгерім &lt;b&gt;&amp;&quot;Q&quot;&lt;/b&gt;');
    expect(parsed.html).not.toContain('<b>');

    expect(await row(queued!.id)).toMatchObject({ state: 'sent', attempts: 1, sent_at: queued!.created_at, lease_owner: null, last_error: null });
    expect(await attempts(queued!.id)).toEqual([{ at: queued!.created_at, outcome: 'sent', error: null }]);
  });

  it('signs in to a server that needs authentication, and records the refusal of wrong credentials', async () => {
    const server = await smtp({ auth: { user: 'qala', pass: 's3cret pass' } });
    const id = await queueMail(db, mail('a@example.org'), T0);
    const wrong = transportTo(server.url.replace('s3cret%20pass', 'wrong'));
    expect(await sendAt(wrong, T0)).toEqual({ sent: 0, retrying: 1, failed: 0 });
    expect((await row(id)).last_error).toMatch(/535/);
    expect(server.received).toEqual([]);

    expect(await sendAt(transportTo(server.url), T0 + RETRY_DELAYS_SECONDS[0])).toEqual({ sent: 1, retrying: 0, failed: 0 });
    expect(server.received.map((message) => message.user)).toEqual(['qala']);
    expect((await attempts(id)).map((attempt) => attempt.outcome)).toEqual(['failed', 'sent']);
  });

  it('retries a refused mail after 1 and then 5 minutes, and not before, until the server accepts it', async () => {
    const server = await smtp({ refuseFirst: 2 });
    const transport = transportTo(server.url);
    const id = await queueMail(db, mail('a@example.org'), T0);

    expect(await sendAt(transport, T0)).toEqual({ sent: 0, retrying: 1, failed: 0 });
    expect(await row(id)).toMatchObject({ state: 'queued', attempts: 1, next_attempt_at: T0 + 60, lease_owner: null });
    expect((await row(id)).last_error).toMatch(/451/);

    expect(await sendAt(transport, T0 + 59)).toEqual({ sent: 0, retrying: 0, failed: 0 });
    expect(await sendAt(transport, T0 + 60)).toEqual({ sent: 0, retrying: 1, failed: 0 });
    expect((await row(id)).next_attempt_at).toBe(T0 + 60 + 300);
    expect(await sendAt(transport, T0 + 359)).toEqual({ sent: 0, retrying: 0, failed: 0 });
    expect(await sendAt(transport, T0 + 360)).toEqual({ sent: 1, retrying: 0, failed: 0 });

    expect(server.refused()).toBe(2);
    expect(server.received).toHaveLength(1);
    expect(await attempts(id)).toEqual([
      { at: T0, outcome: 'failed', error: expect.stringMatching(/451.*try again later/i) },
      { at: T0 + 60, outcome: 'failed', error: expect.stringMatching(/451/) },
      { at: T0 + 360, outcome: 'sent', error: null },
    ]);
    expect(await row(id)).toMatchObject({ state: 'sent', sent_at: T0 + 360, last_error: null });
  });

  it('marks a mail failed after the last try when the server is down, and an administrator can send it again (audited)', async () => {
    const transport = transportTo(await downSmtpUrl());
    const id = await queueMail(db, mail('town@example.org'), T0);
    let at = T0;
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      const report = await sendAt(transport, at);
      expect(report, `attempt ${attempt}`).toEqual(attempt < MAX_ATTEMPTS ? { sent: 0, retrying: 1, failed: 0 } : { sent: 0, retrying: 0, failed: 1 });
      if (attempt < MAX_ATTEMPTS) {
        const delay = RETRY_DELAYS_SECONDS[attempt - 1]!;
        expect((await row(id)).next_attempt_at).toBe(at + delay);
        at += delay;
      }
    }
    expect(await row(id)).toMatchObject({ state: 'failed', attempts: MAX_ATTEMPTS });
    expect((await row(id)).last_error).toMatch(/ECONNREFUSED/);
    expect(await attempts(id)).toHaveLength(MAX_ATTEMPTS);
    expect(await sendAt(transport, at + 365 * 24 * 3600)).toEqual({ sent: 0, retrying: 0, failed: 0 });

    const admin = { id: 'admin-id', email: 'admin@example.org', displayName: 'Admin', role: 'admin' as const, language: 'en' as const, disabled: false, town: null };
    const editor = { ...admin, id: 'editor-id', role: 'editor' as const };
    expect(await retryFailedMail(db, { actor: editor, mailId: id, clientAddress: '192.0.2.4' })).toBe('forbidden');
    expect(await retryFailedMail(db, { actor: null, mailId: id, clientAddress: '192.0.2.4' })).toBe('forbidden');
    expect(await retryFailedMail(db, { actor: admin, mailId: id + 1000, clientAddress: '192.0.2.4' })).toBe('notFound');
    expect((await row(id)).state).toBe('failed');

    expect(await retryFailedMail(db, { actor: admin, mailId: id, clientAddress: '192.0.2.4' }, at + 10)).toBeNull();
    expect(await row(id)).toMatchObject({ state: 'queued', attempts: 0, next_attempt_at: at + 10, last_error: null });
    expect(await retryFailedMail(db, { actor: admin, mailId: id, clientAddress: '192.0.2.4' })).toBe('notFailed');
    expect(await db.selectFrom('audit_log').select(['action', 'actor_id', 'target_type', 'target_id', 'details']).execute()).toEqual([
      { action: 'mail.retried', actor_id: 'admin-id', target_type: 'email', target_id: 'town@example.org', details: JSON.stringify({ mail: id }) },
    ]);

    const server = await smtp();
    expect(await sendAt(transportTo(server.url), at + 10)).toEqual({ sent: 1, retrying: 0, failed: 0 });
    expect(await attempts(id)).toHaveLength(MAX_ATTEMPTS + 1);
  });

  it('gives up, unsent, on mail that waited more than three days for a first try', async () => {
    const server = await smtp();
    const old = await queueMail(db, mail('old@example.org'), T0);
    const recent = await queueMail(db, mail('new@example.org'), T0 + MAIL_MAX_WAIT_SECONDS);
    expect(await sendAt(transportTo(server.url), T0 + MAIL_MAX_WAIT_SECONDS + 1)).toEqual({ sent: 1, retrying: 0, failed: 1 });
    expect(await row(old)).toMatchObject({ state: 'failed', last_error: EXPIRED, attempts: 0 });
    expect(await row(recent)).toMatchObject({ state: 'sent' });
    expect(server.received.flatMap((message) => message.to)).toEqual(['new@example.org']);
  });
});

describe('several workers', () => {
  it('never claim the same mail twice', async () => {
    const other = createDatabase(path);
    closers.push(() => other.destroy());
    for (let i = 0; i < 30; i++) await queueMail(db, mail(`m${i}@example.org`), T0);
    const claimAll = async (handle: Kysely<Database>, owner: string) => {
      const claimed: number[] = [];
      for (;;) {
        const next = await claimNextMail(handle, owner, T0);
        if (!next) return claimed;
        claimed.push(next.id);
      }
    };
    const [a, b] = await Promise.all([claimAll(db, 'a'), claimAll(other, 'b')]);
    expect([...a, ...b].sort((x, y) => x - y)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    expect(new Set([...a, ...b]).size).toBe(30);
    // A held lease keeps the mail from everyone until it runs out.
    expect(await claimNextMail(db, 'c', T0 + 1)).toBeUndefined();
    expect(await claimNextMail(db, 'c', T0 + 1000)).toBeDefined();
  });

  it('racing on one database send each mail exactly once', async () => {
    const server = await smtp();
    const other = createDatabase(path);
    closers.push(() => other.destroy());
    for (let i = 0; i < 20; i++) await queueMail(db, mail(`m${i}@example.org`), T0);
    const [a, b] = await Promise.all([sendAt(transportTo(server.url), T0, db, 'a'), sendAt(transportTo(server.url), T0, other, 'b')]);
    expect(a.sent + b.sent).toBe(20);
    const ids = server.received.map((message) => parseMail(message.raw).headers.get('message-id'));
    expect(ids).toHaveLength(20);
    expect(new Set(ids).size).toBe(20);
    expect(await mailCountsByState(db)).toEqual({ queued: 0, sent: 20, failed: 0 });
    expect(Number((await db.selectFrom('email_attempts').select(db.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n)).toBe(20);
  });
});

describe('the outbox list', () => {
  it('counts mail by state and lists one state at a time, newest first, a page at a time', async () => {
    for (let i = 0; i < OUTBOX_PAGE_SIZE + 2; i++) await queueMail(db, mail(`m${i}@example.org`, `subject ${i}`), T0 + i);
    await db.updateTable('email_outbox').set({ state: 'failed' }).where('id', '<=', 3).execute();
    expect(await mailCountsByState(db)).toEqual({ queued: OUTBOX_PAGE_SIZE - 1, sent: 0, failed: 3 });

    const failed = await outboxPage(db, { state: 'failed', page: 1 });
    expect(failed).toMatchObject({ total: 3, page: 1, pages: 1 });
    expect(failed.mail.map((message) => message.subject)).toEqual(['subject 2', 'subject 1', 'subject 0']);

    const all = await outboxPage(db, { state: null, page: 2 });
    expect(all).toMatchObject({ total: OUTBOX_PAGE_SIZE + 2, page: 2, pages: 2 });
    expect(all.mail.map((message) => message.subject)).toEqual(['subject 1', 'subject 0']);
    expect((await outboxPage(db, { state: null, page: 99 })).page).toBe(2);
    expect((await outboxPage(db, { state: 'sent', page: 1 })).mail).toEqual([]);
  });
});
