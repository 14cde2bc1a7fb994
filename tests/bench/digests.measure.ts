import type { Kysely } from 'kysely';
import { performance } from 'node:perf_hooks';
import { describe, it } from 'vitest';
import { LANGUAGES } from '~/i18n/index.ts';
import { insertUser } from '~/server/accounts/users.ts';
import type { Database } from '~/server/db/schema.ts';
import type { Mailer } from '~/server/mail/mailer.ts';
import { sendDueDigests } from '~/server/notifications/digests.ts';
import { createPostgresTestDatabase, createTestDatabase } from '../helpers/database.ts';
import { createDatabase } from '~/server/db/connection.ts';
import { migrateToLatest } from '~/server/db/migrate.ts';
import { postgresProblem } from '../helpers/postgres-probe.ts';

// One morning's digest run at association scale: 2,000 members taking a daily digest,
// 10 waiting notifications each, among 200,000 older notifications already mailed.
// Prints the time of the run that sends 2,000 digests and of a second run that finds
// nothing (what every later run of the job costs), on SQLite and PostgreSQL.
// Run: npx vitest run --config vitest.bench.config.ts tests/bench/digests.measure.ts
const MEMBERS = 2_000;
const WAITING = 10;
const OLD = 200_000;
const MONDAY_NOON = Date.UTC(2026, 11, 7, 7) / 1000;
const TUESDAY_MORNING = Date.UTC(2026, 11, 8, 3, 5) / 1000;

async function fill(db: Kysely<Database>): Promise<void> {
  const ids: string[] = [];
  for (let n = 0; n < MEMBERS; n += 1) {
    ids.push(await insertUser(db, { email: `m${n}@example.org`, passwordHash: 'x', role: 'member', townId: null, displayName: `Member ${n}`, language: LANGUAGES[n % 3]! }));
  }
  const params = JSON.stringify({ title: 'Water network renewal', town: 'Temirtau' });
  const rows = [
    ...Array.from({ length: OLD }, (_, n) => ({ user_id: ids[n % MEMBERS]!, kind: 'exchange.new_request', params, link: '/ru/exchange/1/', created_at: MONDAY_NOON - 86_400 * 30 + n, read_at: null, digest: null })),
    ...Array.from({ length: MEMBERS * WAITING }, (_, n) => ({ user_id: ids[n % MEMBERS]!, kind: 'exchange.new_request', params, link: '/ru/exchange/1/', created_at: MONDAY_NOON + n, read_at: null, digest: 'daily' as const })),
  ];
  for (let start = 0; start < rows.length; start += 500) await db.insertInto('notifications').values(rows.slice(start, start + 500)).execute();
}

async function measure(engine: string, db: Kysely<Database>): Promise<void> {
  await fill(db);
  let mails = 0;
  const mailer: Mailer = { send: async () => void (mails += 1) };
  let started = performance.now();
  const sent = await sendDueDigests(db, mailer, { baseUrl: 'https://qala.test', at: TUESDAY_MORNING });
  const first = performance.now() - started;
  started = performance.now();
  const again = await sendDueDigests(db, mailer, { baseUrl: 'https://qala.test', at: TUESDAY_MORNING + 300 });
  const second = performance.now() - started;
  console.log(`${engine}: ${sent.length} digests (${mails} mails) in ${first.toFixed(0)} ms (${(first / sent.length).toFixed(2)} ms each); the next run sends ${again.length} in ${second.toFixed(1)} ms`);
}

describe('digest run', () => {
  it('on SQLite', async () => {
    const { db, cleanup } = await createTestDatabase();
    try {
      await measure('SQLite', db);
    } finally {
      await cleanup();
    }
  });

  it('on PostgreSQL', async () => {
    if (await postgresProblem()) return console.log('PostgreSQL not reachable: skipped');
    const database = await createPostgresTestDatabase();
    const db = createDatabase(database.url);
    try {
      await migrateToLatest(db);
      await measure('PostgreSQL', db);
    } finally {
      await db.destroy();
      await database.drop();
    }
  });
});
