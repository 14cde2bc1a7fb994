import type { Kysely } from 'kysely';
import { join } from 'node:path';
import { describe, it } from 'vitest';
import { createDatabase } from '~/server/db/connection.ts';
import { migrateToLatest } from '~/server/db/migrate.ts';
import type { Database } from '~/server/db/schema.ts';
import { claimNextMail, queueMail } from '~/server/mail/queue.ts';
import { sendDueMail } from '~/server/mail/sender.ts';
import { smtpTransport } from '~/server/mail/transport.ts';
import { createPostgresTestDatabase, temporaryDirectory } from '../helpers/database.ts';
import { postgresProblem } from '../helpers/postgres-probe.ts';
import { startSmtpServer } from '../helpers/smtp.ts';

// The mail queue: how fast workers claim due mail (the lease update alone), and how many
// mails a second two workers racing on one database hand to a local SMTP server, on SQLite
// and PostgreSQL. Run: npm run bench (or vitest run --config vitest.bench.config.ts tests/bench/mail-queue.measure.ts).
const CLAIMED = 2_000;
const SENT = 400;
const T0 = 1_800_000_000;

async function fill(db: Kysely<Database>, count: number): Promise<void> {
  for (let i = 0; i < count; i++) await queueMail(db, { to: `m${i}@example.org`, subject: `Mail ${i}`, text: `Body ${i}\n\nhttps://qala.example.org/en/`, language: 'en' }, T0);
}

async function measure(engine: string, open: () => Promise<{ url: string; done: () => Promise<void> }>): Promise<void> {
  const target = await open();
  const [a, b] = [createDatabase(target.url), createDatabase(target.url)];
  try {
    await migrateToLatest(a);
    await fill(a, CLAIMED);
    let started = performance.now();
    const claimAll = async (db: Kysely<Database>, owner: string) => {
      let n = 0;
      while (await claimNextMail(db, owner, T0)) n++;
      return n;
    };
    await Promise.all([claimAll(a, 'a'), claimAll(b, 'b')]);
    const claimMs = performance.now() - started;

    await a.deleteFrom('email_outbox').execute();
    await fill(a, SENT);
    const smtp = await startSmtpServer();
    const [ta, tb] = [smtpTransport(smtp.url), smtpTransport(smtp.url)];
    started = performance.now();
    const settings = { from: 'Qala <no-reply@qala.example.org>', origin: 'https://qala.example.org', now: () => T0, limit: SENT };
    await Promise.all([sendDueMail(a, ta, { ...settings, owner: 'a' }), sendDueMail(b, tb, { ...settings, owner: 'b' })]);
    const sendMs = performance.now() - started;
    ta.close();
    tb.close();
    await smtp.close();
    console.log(
      `${engine.padEnd(10)} claim: ${(claimMs / CLAIMED).toFixed(2)} ms per mail (${Math.round((CLAIMED / claimMs) * 1000)}/s, two workers); ` +
        `send: ${Math.round((SENT / sendMs) * 1000)} mails/s (two workers, ${smtp.received.length} received)`,
    );
  } finally {
    await a.destroy();
    await b.destroy();
    await target.done();
  }
}

describe('the mail queue', () => {
  it('claims and sends', async () => {
    const dir = temporaryDirectory('qala-bench-mail-');
    await measure('SQLite', async () => ({ url: join(dir.path, 'mail.db'), done: async () => dir.remove() }));
    if ((await postgresProblem()) === undefined) {
      await measure('PostgreSQL', async () => {
        const database = await createPostgresTestDatabase();
        return { url: database.url, done: database.drop };
      });
    }
  });
});
