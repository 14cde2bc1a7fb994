import Database from 'better-sqlite3';
import { sql, type Kysely } from 'kysely';
import { existsSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { TAXONOMIES } from '~/schemas/taxonomy.ts';
import type { CurrentUser } from '~/server/auth/lucia.ts';
import { hashPassword } from '~/server/auth/password.ts';
import { loadFirstSteps } from '~/server/dashboard/first-steps.ts';
import { loadMemberHome } from '~/server/dashboard/home.ts';
import { createDatabase } from '~/server/db/connection.ts';
import { copyDatabase } from '~/server/db/copy.ts';
import { redactPassword } from '~/server/db/location.ts';
import { migrateToLatest } from '~/server/db/migrate.ts';
import type { Database as Schema } from '~/server/db/schema.ts';
import { listDirectory } from '~/server/members/directory.ts';
import { temporaryDirectory } from '../helpers/database.ts';
import { signIn } from '../helpers/http.ts';
import { DEMO_PASSWORD, startServer } from '../helpers/server.ts';

// The member home at national scale: 1,000 towns, 20,000 members, 300 working groups
// with 60,000 memberships, 100,000 requests with 300,000 responses, 100,000 threads,
// 3,000 meetings and 1,000,000 notifications. Prints p50/p95 server time of the whole
// home (every section, as the page loads it) for ordinary members, for the busiest
// member (in 40 groups, with 20,000 unread notifications) and for new towns'
// administrators (with the first steps), in process on SQLite and PostgreSQL (a copy of
// the same data), then the page over HTTP on SQLite. The goal is p95 ≤ 30 ms.
// Run: npm run build && npx vitest run --config vitest.bench.config.ts tests/bench/dashboard.measure.ts
//
//   QALA_BENCH_HOME_DB=<file>  keeps the filled SQLite database there and reuses it.
//   QALA_BENCH_PG_URL=…        the PostgreSQL server (default QALA_TEST_DATABASE_URL, else local).
//   QALA_BENCH_PG=off          measures SQLite only.
//   QALA_BENCH_PG=keep         keeps the PostgreSQL database (qala_bench_home) and reuses it.
const TOWNS = 1_000;
const USERS = 20_000;
const GROUPS = 300;
const GROUPS_PER_MEMBER = 3;
const REQUESTS = 100_000;
const RESPONSES = 300_000;
const THREADS = 100_000;
const MEETINGS = 3_000;
const NOTIFICATIONS = 1_000_000;
const BUSIEST = 'user-00000007';
const ROUNDS = 200;
const GOAL_MS = 30;

const dir = temporaryDirectory('qala-bench-home-');
const kept = process.env.QALA_BENCH_HOME_DB;
const path = kept ?? join(dir.path, 'home.db');
const PG_SERVER = process.env.QALA_BENCH_PG_URL || process.env.QALA_TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
const PG_DATABASE = 'qala_bench_home';
const keepPostgres = process.env.QALA_BENCH_PG === 'keep';
const postgresUrl = (() => {
  const url = new URL(PG_SERVER);
  url.pathname = `/${PG_DATABASE}`;
  return url.toString();
})();

type Engine = 'SQLite' | 'PostgreSQL';
const results: string[] = [];

async function asPostgresAdmin<T>(work: (admin: pg.Client) => Promise<T>): Promise<T> {
  const admin = new pg.Client({ connectionString: PG_SERVER, connectionTimeoutMillis: 5_000 });
  await admin.connect();
  try {
    return await work(admin);
  } finally {
    await admin.end();
  }
}

async function postgresUnavailable(): Promise<string | null> {
  if (process.env.QALA_BENCH_PG === 'off') return 'QALA_BENCH_PG=off';
  try {
    await asPostgresAdmin((admin) => admin.query('select 1'));
    return null;
  } catch (error) {
    return `${redactPassword(PG_SERVER)} does not answer (${error instanceof Error ? error.message : String(error)})`;
  }
}
const skipPostgres = await postgresUnavailable();
if (skipPostgres) console.log(`NOTICE: PostgreSQL is not measured, SQLite only: ${skipPostgres}`);

/** A repeatable pseudo-random sequence (mulberry32), so every run fills the same data. */
function random(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const userId = (n: number) => `user-${String(n).padStart(8, '0')}`;
const now = Math.floor(Date.now() / 1000);
const DAY = 86_400;

async function fillSqlite(): Promise<void> {
  const kysely = createDatabase(path);
  await migrateToLatest(kysely);
  await kysely.destroy();
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = OFF');
  const next = random(17);
  const int = (below: number) => Math.floor(next() * below);
  const pick = <T>(items: readonly T[]) => items[int(items.length)]!;
  const some = <T>(items: readonly T[], count: number) => [...new Set(Array.from({ length: count }, () => pick(items)))];
  const topics = TAXONOMIES.topics.map((term) => term.id);
  const regions = TAXONOMIES.regions.map((term) => term.id);
  const hash = await hashPassword(DEMO_PASSWORD);
  const started = performance.now();

  db.transaction(() => {
    const town = db.prepare(`INSERT INTO towns (slug, name_kk, name_ru, name_en, region, population, description_ru, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    // Every tenth town joined this year: its administrator sees the first steps.
    for (let i = 1; i <= TOWNS; i++) {
      const joined = i % 10 === 0 ? now - 30 * DAY : now - 3 * 365 * DAY;
      town.run(`town-${i}`, `Қала ${i}`, `Город ${i}`, `Town ${i}`, pick(regions), i % 10 === 0 ? null : 10_000 + i, i % 10 === 0 ? null : 'Описание', joined, joined);
    }
    const user = db.prepare(`INSERT INTO users (id, email, password_hash, display_name, role, town_id, language, created_at, updated_at, languages_spoken, expertise_topics, contactable)
      VALUES (?, ?, ?, ?, ?, ?, 'ru', 1, 1, ?, ?, ?)`);
    for (let i = 1; i <= USERS; i++) {
      user.run(userId(i), `member${i}@bench.example`, hash, `Member ${i}`, i <= TOWNS ? 'town_admin' : 'member', ((i - 1) % TOWNS) + 1, JSON.stringify(some(['kk', 'ru', 'en'], 2)), JSON.stringify(some(topics, 2)), next() < 0.5 ? 1 : 0);
    }
    const group = db.prepare(`INSERT INTO groups (slug, name_kk, name_ru, name_en, purpose_kk, purpose_ru, purpose_en, topics, type, visibility, rhythm, description_public, created_at, updated_at)
      VALUES (?, ?, ?, ?, 'М', 'Ц', 'P', '[]', 'forum', ?, 'monthly', 1, 1, 1)`);
    for (let g = 1; g <= GROUPS; g++) group.run(`group-${g}`, `Топ ${g}`, `Группа ${g}`, `Group ${g}`, pick(['open', 'open', 'approval', 'private']));
    const member = db.prepare(`INSERT OR IGNORE INTO group_members (group_id, user_id, role, joined_at) VALUES (?, ?, ?, ?)`);
    for (let g = 1; g <= GROUPS; g++) member.run(g, userId(int(USERS) + 1), 'lead', now - 400 * DAY);
    for (let i = 1; i <= USERS; i++) for (let k = 0; k < GROUPS_PER_MEMBER; k++) member.run(int(GROUPS) + 1, userId(i), 'member', now - int(365) * DAY);
    for (let g = 1; g <= 40; g++) member.run(g, BUSIEST, g <= 5 ? 'lead' : 'member', now - 200 * DAY);
    const memberships = db.prepare('SELECT group_id, user_id FROM group_members').all() as { group_id: number; user_id: string }[];
    const visit = db.prepare('INSERT OR IGNORE INTO group_visits (user_id, group_id, visited_at) VALUES (?, ?, ?)');
    for (const row of memberships) if (next() < 0.6) visit.run(row.user_id, row.group_id, now - int(60) * DAY);
    const join = db.prepare(`INSERT OR IGNORE INTO group_join_requests (group_id, user_id, note, status, created_at) VALUES (?, ?, NULL, 'pending', ?)`);
    for (let k = 0; k < 3_000; k++) join.run(int(GROUPS) + 1, userId(int(USERS) + 1), now - int(30) * DAY);
    const thread = db.prepare(`INSERT INTO group_threads (group_id, author_id, title, body, pinned, locked, created_at, last_activity_at) VALUES (?, ?, ?, 'Body', 0, 0, ?, ?)`);
    const read = db.prepare('INSERT OR IGNORE INTO group_thread_reads (thread_id, user_id, read_at) VALUES (?, ?, ?)');
    for (let t = 1; t <= THREADS; t++) {
      const created = now - int(730) * DAY;
      const last = Math.min(now, created + int(60) * DAY);
      thread.run(int(GROUPS) + 1, userId(int(USERS) + 1), `Thread ${t}`, created, last);
      if (next() < 0.5) read.run(t, userId(int(USERS) + 1), last);
    }
    const meeting = db.prepare(`INSERT INTO group_meetings (group_id, title, starts_at, duration_minutes, agenda, created_at) VALUES (?, ?, ?, 90, '', 1)`);
    for (let m = 1; m <= MEETINGS; m++) meeting.run(int(GROUPS) + 1, `Meeting ${m}`, now + (int(180) - 120) * DAY);
    const answer = db.prepare(`INSERT OR IGNORE INTO group_meeting_answers (meeting_id, user_id, answer, answered_at) VALUES (?, ?, ?, 1)`);
    for (let k = 0; k < 10_000; k++) answer.run(int(MEETINGS) + 1, userId(int(USERS) + 1), pick(['yes', 'no', 'maybe']));

    const request = db.prepare(`INSERT INTO help_requests (town_id, author_id, title, body, help_forms, topics, languages, urgency, status, published_at, created_at, updated_at)
      VALUES (?, ?, ?, 'We need advice on this.', '["advice"]', ?, '["ru"]', 'normal', ?, ?, ?, ?)`);
    const requestTopic = db.prepare('INSERT INTO help_request_topics (request_id, topic, published_at) VALUES (?, ?, ?)');
    const statuses = ['draft', 'open', 'open', 'open', 'open', 'in_progress', 'in_progress', 'resolved', 'resolved', 'withdrawn'];
    for (let r = 1; r <= REQUESTS; r++) {
      const townId = int(TOWNS) + 1;
      const status = pick(statuses);
      const at = now - int(3 * 365) * DAY;
      const chosen = some(topics, 1 + int(2));
      request.run(townId, userId(townId), `Request ${r}`, JSON.stringify(chosen), status, status === 'draft' ? null : at, at, at);
      for (const topic of chosen) requestTopic.run(r, topic, status === 'draft' ? null : at);
    }
    const response = db.prepare(`INSERT INTO help_responses (request_id, author_id, town_id, body, links, accepted_at, created_at, updated_at) VALUES (?, ?, ?, 'Answer', '[]', ?, ?, ?)`);
    for (let p = 1; p <= RESPONSES; p++) {
      const n = int(USERS) + 1;
      const at = now - int(3 * 365) * DAY;
      response.run(int(REQUESTS) + 1, userId(n), ((n - 1) % TOWNS) + 1, next() < 0.15 ? at : null, at, at);
    }
    const invitation = db.prepare(`INSERT OR IGNORE INTO help_request_invitations (request_id, user_id, invited_by, created_at) VALUES (?, ?, ?, ?)`);
    for (let k = 0; k < 20_000; k++) invitation.run(int(REQUESTS) + 1, userId(int(USERS) + 1), userId(1), now - int(90) * DAY);
    const memberCase = db.prepare(`INSERT INTO member_cases (town_id, created_by, updated_by, status, version, content, created_at, updated_at) VALUES (?, ?, ?, ?, 1, ?, 1, ?)`);
    for (let c = 1; c <= 2_000; c++) {
      const townId = int(TOWNS) + 1;
      memberCase.run(townId, userId(townId), userId(townId), pick(['draft', 'submitted', 'changes_requested', 'approved']), JSON.stringify({ languages: ['ru'], title: `Case ${c}` }), now - int(90) * DAY);
    }
    const notification = db.prepare(`INSERT INTO notifications (user_id, kind, params, link, created_at, read_at) VALUES (?, 'exchange.new_request', '{"title":"A request"}', '/ru/exchange/1/', ?, ?)`);
    for (let k = 0; k < NOTIFICATIONS; k++) {
      const at = now - int(365) * DAY;
      notification.run(userId(int(USERS) + 1), at, next() < 0.7 ? at + DAY : null);
    }
    for (let k = 0; k < 20_000; k++) notification.run(BUSIEST, now - k, null);
  })();
  db.exec('ANALYZE');
  db.close();
  console.log(`filled in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

/** The signed-in user for an account, as the middleware builds it. */
async function currentUser(db: Kysely<Schema>, id: string): Promise<CurrentUser> {
  const row = await db
    .selectFrom('users')
    .innerJoin('towns', 'towns.id', 'users.town_id')
    .select(['users.id', 'users.email', 'users.display_name', 'users.role', 'users.language', 'towns.id as town_id', 'towns.slug', 'towns.name_kk', 'towns.name_ru', 'towns.name_en'])
    .where('users.id', '=', id)
    .executeTakeFirstOrThrow();
  return { id: row.id, email: row.email, displayName: row.display_name, role: row.role, language: row.language, disabled: false, town: { id: row.town_id, slug: row.slug, name: { kk: row.name_kk, ru: row.name_ru, en: row.name_en } } };
}

/**
 * Times `run` (after 20 rounds of warm-up) and prints p50/p95 of wall time and, in
 * process on SQLite (whose driver works on this thread), of this process's CPU time: on a
 * machine shared with other work, wall time includes waiting for a core, CPU time does not.
 */
async function time(engine: Engine, label: string, run: (round: number) => Promise<unknown>, cpu = false, backends?: () => Promise<Map<number, number>>): Promise<void> {
  const wall: number[] = [];
  const busy: number[] = [];
  let backendStart = new Map<number, number>();
  for (let round = 0; round < ROUNDS + 20; round++) {
    if (round === 20 && backends) backendStart = await backends();
    const started = performance.now();
    const cpuStarted = process.cpuUsage();
    await run(round);
    const used = process.cpuUsage(cpuStarted);
    if (round >= 20) {
      wall.push(performance.now() - started);
      busy.push((used.user + used.system) / 1000);
    }
  }
  const quantile = (times: number[], q: number) => [...times].sort((a, b) => a - b)[Math.min(times.length - 1, Math.floor(q * times.length))]!;
  const figures = (times: number[]) => `p50 ${quantile(times, 0.5).toFixed(2).padStart(7)} ms  p95 ${quantile(times, 0.95).toFixed(2).padStart(7)} ms`;
  // PostgreSQL works in its own processes: their CPU time over the measured rounds, per call.
  // A backend that came or went in between is left out (its time cannot be split).
  const backendEnd = backends ? await backends() : new Map<number, number>();
  const backendUsed = [...backendEnd].reduce((sum, [pid, ms]) => sum + (backendStart.has(pid) ? ms - backendStart.get(pid)! : 0), 0);
  const backendMean = backends ? backendUsed / ROUNDS + busy.reduce((sum, ms) => sum + ms, 0) / ROUNDS : null;
  const over = quantile(cpu ? busy : wall, 0.95) > GOAL_MS ? '  (over the 30 ms goal)' : '';
  const line = `${engine.padEnd(10)} ${label.padEnd(56)} wall ${figures(wall)}${cpu ? `  |  CPU ${figures(busy)}` : ''}${backendMean !== null ? `  |  CPU (database + this process) mean ${backendMean.toFixed(2)} ms` : ''}${over}`;
  console.log(line);
  results.push(line);
}

/**
 * CPU milliseconds used so far by each PostgreSQL backend serving the bench database
 * (read from /proc, so only when the server runs on this machine; none otherwise).
 */
async function backendCpu(db: Kysely<Schema>): Promise<Map<number, number>> {
  const { rows } = await sql<{ pid: number }>`SELECT pid FROM pg_stat_activity WHERE datname = ${PG_DATABASE}`.execute(db);
  const { readFileSync } = await import('node:fs');
  const used = new Map<number, number>();
  for (const { pid } of rows) {
    try {
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      // utime and stime, in ticks of 10 ms (USER_HZ is 100 on Linux).
      used.set(Number(pid), (Number(fields[11]) + Number(fields[12])) * 10);
    } catch {
      // Not on this machine, or gone.
    }
  }
  return used;
}

async function measure(engine: Engine, db: Kysely<Schema>): Promise<void> {
  const timed = (label: string, run: (round: number) => Promise<unknown>) =>
    time(engine, label, run, engine === 'SQLite', engine === 'PostgreSQL' ? () => backendCpu(db) : undefined);
  const next = random(3);
  const members = await Promise.all(Array.from({ length: 100 }, () => currentUser(db, userId(TOWNS + 1 + Math.floor(next() * (USERS - TOWNS))))));
  const newTownAdmins = await Promise.all(Array.from({ length: 100 }, (_, index) => currentUser(db, userId((index + 1) * 10))));
  const busiest = await currentUser(db, BUSIEST);
  await timed('member home, a member (all sections)', (round) => loadMemberHome(db, members[round % members.length]!));
  await timed('member home + first steps, a new town\'s admin', async (round) => {
    const admin = newTownAdmins[round % newTownAdmins.length]!;
    await Promise.all([loadMemberHome(db, admin), loadFirstSteps(db, admin)]);
  });
  await timed('member home, the busiest member (40 groups, 20k unread)', () => loadMemberHome(db, busiest));
  await timed('people directory, page 1', (round) => listDirectory(db, members[round % members.length]!, { page: 1 }));
  await timed('people directory, topic + region, page 3', (round) =>
    listDirectory(db, members[round % members.length]!, { topic: TAXONOMIES.topics[round % 10]!.id, region: TAXONOMIES.regions[round % TAXONOMIES.regions.length]!.id, page: 3 }),
  );
  await timed('people directory, name search', (round) => listDirectory(db, members[round % members.length]!, { name: `ber ${round % 100}`, page: 1 }));
}

beforeAll(async () => {
  if (!kept || !existsSync(kept)) await fillSqlite();
  else {
    const db = createDatabase(path);
    await migrateToLatest(db);
    await db.destroy();
  }
}, 1_800_000);

afterAll(() => {
  console.log(`\n${results.join('\n')}\nload average ${loadavg().map((load) => load.toFixed(1)).join(' ')} on ${availableParallelism()} cores\n`);
  dir.remove();
});

describe('SQLite', () => {
  it('measures the member home in process', { timeout: 900_000 }, async () => {
    const db = createDatabase(path);
    try {
      await measure('SQLite', db);
    } finally {
      await db.destroy();
    }
  });

  it('measures the member home over HTTP', { timeout: 900_000 }, async () => {
    const server = await startServer({ databasePath: path, env: { DEMO_DATA: 'false' } });
    try {
      const cookie = await signIn(server.url, 'member1234@bench.example', DEMO_PASSWORD);
      await time('SQLite', 'HTTP GET /en/account/', async () => {
        const response = await fetch(`${server.url}/en/account/`, { headers: { Cookie: cookie }, redirect: 'manual' });
        await response.arrayBuffer();
        if (response.status !== 200) throw new Error(`/en/account/ answered ${response.status}`);
      });
      await time('SQLite', 'HTTP GET /en/members/?topic=…', async (round) => {
        const response = await fetch(`${server.url}/en/members/?topic=${TAXONOMIES.topics[round % 10]!.id}`, { headers: { Cookie: cookie }, redirect: 'manual' });
        await response.arrayBuffer();
        if (response.status !== 200) throw new Error(`/en/members/ answered ${response.status}`);
      });
    } finally {
      await server.stop();
    }
  });
});

describe.skipIf(skipPostgres !== null)('PostgreSQL', () => {
  beforeAll(async () => {
    if (keepPostgres && (await asPostgresAdmin((admin) => admin.query('select 1 from pg_database where datname = $1', [PG_DATABASE]))).rowCount) {
      console.log(`reusing the kept PostgreSQL database ${PG_DATABASE}`);
      return;
    }
    await asPostgresAdmin(async (admin) => {
      await admin.query(`drop database if exists ${PG_DATABASE} with (force)`);
      await admin.query(`create database ${PG_DATABASE}`);
    });
    const source = createDatabase(path);
    const target = createDatabase(postgresUrl);
    try {
      await migrateToLatest(target);
      const started = performance.now();
      await copyDatabase(source, target);
      await sql`VACUUM (ANALYZE)`.execute(target);
      console.log(`PostgreSQL filled with copyDatabase and analysed in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    } finally {
      await source.destroy();
      await target.destroy();
    }
  }, 3_600_000);
  afterAll(async () => {
    if (!keepPostgres) await asPostgresAdmin((admin) => admin.query(`drop database if exists ${PG_DATABASE} with (force)`));
  });

  it('measures the member home in process', { timeout: 900_000 }, async () => {
    const db = createDatabase(postgresUrl);
    try {
      await measure('PostgreSQL', db);
    } finally {
      await db.destroy();
    }
  });
});
