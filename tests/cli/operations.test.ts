import { spawn } from 'node:child_process';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { temporaryDirectory } from '../helpers/database.ts';
import { downSmtpUrl, parseMail, startSmtpServer } from '../helpers/smtp.ts';

const dir = temporaryDirectory('qala-cli-ops-');
afterAll(() => dir.remove());

const ORIGIN = 'https://qala.example.org';

/**
 * Runs the built CLI without blocking this process (the test's SMTP server answers
 * from here meanwhile), the way an operator would.
 */
function qala(args: string[], env: Record<string, string>): Promise<{ code: number | null; out: string; err: string }> {
  const child = spawn(process.execPath, [join(process.cwd(), 'dist', 'qala.mjs'), ...args], {
    env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'error', NODE_ENV: 'production', ORIGIN, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, out, err })));
}

const database = (file: string) => ({ DATABASE_URL: `file:${join(dir.path, file)}` });

function outbox(file: string) {
  const sqlite = new Database(join(dir.path, file), { readonly: true });
  try {
    return sqlite.prepare('select to_address, subject, state, attempts, last_error from email_outbox order by id').all() as Array<Record<string, unknown>>;
  } finally {
    sqlite.close();
  }
}

describe('qala jobs', () => {
  it('--once runs every job now and says how each ended', async () => {
    const result = await qala(['jobs', '--once'], database('jobs.db'));
    expect(result.err).toBe('');
    expect(result.code).toBe(0);
    expect(result.out).toMatch(/^send-mail: succeeded in \d+ ms \(waiting 0\)$/m);
    expect(result.out).toMatch(/^sweep-expired: succeeded in \d+ ms \(sessions 0, tokens 0\)$/m);
  });

  it('without --once explains itself', async () => {
    const result = await qala(['jobs'], database('jobs.db'));
    expect(result.code).toBe(2);
    expect(result.err).toContain('give --once');
  });
});

describe('qala mail-test (npm run mail:test)', () => {
  it('sends a test mail through SMTP_URL and says so', async () => {
    const smtp = await startSmtpServer();
    try {
      const result = await qala(['mail-test', '--to', 'someone@example.org', '--lang', 'ru'], { ...database('sent.db'), SMTP_URL: smtp.url, MAIL_FROM: 'Qala <no-reply@qala.example.org>' });
      expect(result.err).toBe('');
      expect(result.code).toBe(0);
      expect(result.out).toContain('Sent: the SMTP server accepted the test mail to someone@example.org');
      expect(smtp.received).toHaveLength(1);
      const mail = parseMail(smtp.received[0]!.raw);
      expect(mail.headers.get('subject')).toBe('Проверочное письмо Qala');
      expect(mail.text).toContain(`${ORIGIN}/ru/`);
      expect(outbox('sent.db')).toMatchObject([{ to_address: 'someone@example.org', state: 'sent', attempts: 1 }]);
    } finally {
      await smtp.close();
    }
  });

  it('says why when the SMTP server cannot be reached, and leaves the mail queued for the server to retry', async () => {
    const result = await qala(['mail-test', '--to', 'someone@example.org'], { ...database('down.db'), SMTP_URL: await downSmtpUrl() });
    expect(result.code).toBe(1);
    expect(result.out).toMatch(/Not sent: .*ECONNREFUSED/);
    expect(result.out).toContain('tries it again in 1 minute');
    expect(outbox('down.db')).toMatchObject([{ state: 'queued', attempts: 1, last_error: expect.stringContaining('ECONNREFUSED') }]);
  });

  it('without SMTP_URL says that nothing was sent and where the mail waits', async () => {
    const result = await qala(['mail-test', '--to', 'someone@example.org'], database('none.db'));
    expect(result.code).toBe(1);
    expect(result.out).toContain(`No SMTP_URL is set, so nothing was sent`);
    expect(result.out).toContain(`${ORIGIN}/en/admin/outbox/`);
    expect(outbox('none.db')).toMatchObject([{ subject: 'Qala test email', state: 'queued', attempts: 0 }]);
  });

  it('refuses a missing or malformed address or language', async () => {
    for (const args of [[], ['--to', 'not-an-address'], ['--to', 'a@example.org', '--lang', 'de']]) {
      const result = await qala(['mail-test', ...args], database('refused.db'));
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.err).toMatch(/--to|--lang/);
    }
  });
});
