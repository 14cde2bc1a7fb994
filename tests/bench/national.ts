import Database from 'better-sqlite3';
import { sql, type Kysely } from 'kysely';
import { existsSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { INDICATORS } from '~/lib/indicators/catalogue.ts';
import { TAXONOMIES } from '~/schemas/taxonomy.ts';
import { hashPassword } from '~/server/auth/password.ts';
import { createDatabase } from '~/server/db/connection.ts';
import { copyDatabase } from '~/server/db/copy.ts';
import { redactPassword } from '~/server/db/location.ts';
import { migrateToLatest } from '~/server/db/migrate.ts';
import type { Database as Schema } from '~/server/db/schema.ts';
import { DEMO_PASSWORD } from '../helpers/server.ts';

// One national-scale data set for every benchmark that reads the database (the pages,
// the exchange, the member home), filled once into a SQLite file and, from it, a
// PostgreSQL database, both kept and reused by later runs while the data set's
// version below is the same. Filling is one transaction of prepared inserts (a few
// million rows in well under a minute); PostgreSQL is filled by copyDatabase (what
// `qala copy-database` does) and then vacuumed and analysed.
//
//   QALA_BENCH_DB=<file>   the SQLite file (default: national-v<version>.db in the temp folder).
//   QALA_BENCH_PG_URL=…    the PostgreSQL server (default QALA_TEST_DATABASE_URL, else local).
//   QALA_BENCH_PG_NAME=…   the PostgreSQL database (default qala_bench_national_v<version>), so
//                          engineers sharing one server can keep copies apart.
//   QALA_BENCH_PG=off      measures SQLite only (as does a server that does not answer).
//   QALA_BENCH_PG=fresh    refills the PostgreSQL database even if a complete one exists.

/** Raise when the data below changes, so kept copies are filled again. */
const DATA_VERSION = 1;

export const SCALE = {
  towns: 1_000,
  /** Every indicator of the catalogue (ten), ten years each, published. */
  years: 10,
  users: 20_000,
  groups: 2_000,
  groupsPerMember: 3,
  threads: 100_000,
  replies: 1_000_000,
  meetings: 3_000,
  cases: 5_000,
  notifications: 1_000_000,
  requests: 200_000,
  responses: 1_000_000,
} as const;

export const userId = (n: number) => `user-${String(n).padStart(8, '0')}`;
export const userEmail = (n: number) => `member${n}@bench.example`;
/** A town administrator of town 7, in groups 1–40 (lead of 1–5), with 20,000 unread notifications. */
export const BUSIEST = 7;
/** The association's editor (sees every group, every case). */
export const EDITOR_EMAIL = 'editor@bench.example';
/** Groups 1–10 are open and hold a tenth of all threads; threads 1–100 hold a thousand replies each. */
export const BUSY_GROUPS = 10;
export const BUSY_THREADS = 100;
export const WORDS = 'heating network tariff school budget youth college enterprise mine copper tourism water roads housing survey air quality monitoring small business incubator grant migration teachers clinic waste recycling transport bus street lighting park library sport'.split(' ');
export { DEMO_PASSWORD };

/** A repeatable pseudo-random sequence (mulberry32), so every run fills the same data. */
export function random(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

export const sqlitePath = process.env.QALA_BENCH_DB || join(tmpdir(), `qala-bench-national-v${DATA_VERSION}.db`);

const PG_SERVER = process.env.QALA_BENCH_PG_URL || process.env.QALA_TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
const PG_DATABASE = process.env.QALA_BENCH_PG_NAME || `qala_bench_national_v${DATA_VERSION}`;
export const postgresUrl = (() => {
  const url = new URL(PG_SERVER);
  url.pathname = `/${PG_DATABASE}`;
  return url.toString();
})();

/** Runs `work` on a connection to the PostgreSQL server's maintenance database. */
export async function asPostgresAdmin<T>(work: (admin: pg.Client) => Promise<T>): Promise<T> {
  const admin = new pg.Client({ connectionString: PG_SERVER, connectionTimeoutMillis: 5_000 });
  await admin.connect();
  try {
    return await work(admin);
  } finally {
    await admin.end();
  }
}

/** Why PostgreSQL is not measured, or null when it is. */
export async function postgresUnavailable(): Promise<string | null> {
  if (process.env.QALA_BENCH_PG === 'off') return 'QALA_BENCH_PG=off';
  try {
    await asPostgresAdmin((admin) => admin.query('select 1'));
    return null;
  } catch (error) {
    return `${redactPassword(PG_SERVER)} does not answer (${error instanceof Error ? error.message || error.name : String(error)})`;
  }
}

/**
 * The filled SQLite file: the kept one (migrated to the latest schema, since later
 * migrations may have come), or filled now into a temporary name and renamed when
 * complete, so an interrupted fill is never reused.
 */
export async function nationalSqlite(): Promise<string> {
  if (!existsSync(sqlitePath)) {
    const filling = `${sqlitePath}.filling`;
    for (const suffix of ['', '-wal', '-shm']) rmSync(filling + suffix, { force: true });
    await fillSqlite(filling);
    renameSync(filling, sqlitePath);
  }
  const db = createDatabase(sqlitePath);
  try {
    await migrateToLatest(db);
  } finally {
    await db.destroy();
  }
  return sqlitePath;
}

async function fillSqlite(path: string): Promise<void> {
  const kysely = createDatabase(path);
  await migrateToLatest(kysely);
  await kysely.destroy();
  const db = new Database(path);
  db.pragma('journal_mode = DELETE');
  db.pragma('synchronous = OFF');
  const next = random(42);
  const int = (below: number) => Math.floor(next() * below);
  const pick = <T>(items: readonly T[]) => items[int(items.length)]!;
  const some = <T>(items: readonly T[], count: number) => [...new Set(Array.from({ length: count }, () => pick(items)))];
  const topics = TAXONOMIES.topics.map((term) => term.id);
  const regions = TAXONOMIES.regions.map((term) => term.id);
  const industries = TAXONOMIES.industries.map((term) => term.id);
  const text = (words: number) => Array.from({ length: words }, () => pick(WORDS)).join(' ');
  const markdown = (words: number) => `**${text(3)}**: ${text(words)}\n\n- ${text(6)}\n- ${text(6)}\n\n[${text(2)}](https://example.org/${int(1000)})`;
  const now = Math.floor(Date.now() / 1000);
  const DAY = 86_400;
  const hash = await hashPassword(DEMO_PASSWORD);
  const { towns: TOWNS, users: USERS, groups: GROUPS } = SCALE;
  const started = performance.now();

  db.transaction(() => {
    const town = db.prepare(`INSERT INTO towns (slug, name_kk, name_ru, name_en, region, population, main_industry, description_ru, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    // Every tenth town joined this year: its administrator sees the first steps.
    for (let i = 1; i <= TOWNS; i++) {
      const joined = i % 10 === 0 ? now - 30 * DAY : now - 3 * 365 * DAY;
      town.run(`town-${i}`, `Қала ${i}`, `Город ${i}`, `Town ${i}`, pick(regions), i % 10 === 0 ? null : 5_000 + ((i * 7919) % 400_000), pick(industries), i % 10 === 0 ? null : 'Описание', joined, joined);
    }
    const figure = db.prepare(`INSERT INTO indicator_values (town_id, indicator, period, value, source_note, illustrative, published_at, created_at, updated_at) VALUES (?, ?, ?, ?, 'bench', 1, 1, 1, 1)`);
    const firstYear = new Date().getUTCFullYear() - SCALE.years;
    for (let i = 1; i <= TOWNS; i++) {
      INDICATORS.forEach((indicator, n) => {
        for (let y = 0; y < SCALE.years; y++) figure.run(i, indicator.id, firstYear + y, Number((indicator.min + (((i * 31 + n * 17 + y * 7) % 100) / 100) * (indicator.max - indicator.min)).toFixed(indicator.decimals)));
      });
    }
    // Users 1–1,000 administer towns 1–1,000; the others are members, spread over the towns.
    const user = db.prepare(`INSERT INTO users (id, email, password_hash, display_name, role, town_id, language, created_at, updated_at, languages_spoken, expertise_topics, contactable)
      VALUES (?, ?, ?, ?, ?, ?, 'ru', 1, 1, ?, ?, ?)`);
    for (let i = 1; i <= USERS; i++) {
      user.run(userId(i), userEmail(i), hash, `Member ${i}`, i <= TOWNS ? 'town_admin' : 'member', ((i - 1) % TOWNS) + 1, JSON.stringify(some(['kk', 'ru', 'en'], 2)), JSON.stringify(some(topics, 2)), next() < 0.5 ? 1 : 0);
    }
    user.run('editor', EDITOR_EMAIL, hash, 'Editor', 'editor', null, '["ru"]', '[]', 0);

    const group = db.prepare(`INSERT INTO groups (slug, name_kk, name_ru, name_en, purpose_kk, purpose_ru, purpose_en, topics, type, visibility, rhythm, description_public, created_at, updated_at)
      VALUES (?, ?, ?, ?, 'Мақсат', 'Цель', 'Purpose', ?, 'forum', ?, 'monthly', 1, 1, 1)`);
    for (let g = 1; g <= GROUPS; g++) group.run(`group-${g}`, `Топ ${g}`, `Группа ${g}`, `Group ${g}`, JSON.stringify(some(topics, 2)), g <= BUSY_GROUPS ? 'open' : pick(['open', 'open', 'approval', 'private']));
    const member = db.prepare(`INSERT OR IGNORE INTO group_members (group_id, user_id, role, joined_at) VALUES (?, ?, ?, ?)`);
    for (let g = 1; g <= GROUPS; g++) member.run(g, userId(int(USERS) + 1), 'lead', now - 400 * DAY);
    for (let i = 1; i <= USERS; i++) for (let k = 0; k < SCALE.groupsPerMember; k++) member.run(int(GROUPS) + 1, userId(i), 'member', now - int(365) * DAY);
    for (let g = 1; g <= 40; g++) member.run(g, userId(BUSIEST), g <= 5 ? 'lead' : 'member', now - 200 * DAY);
    const memberships = db.prepare('SELECT group_id, user_id FROM group_members').all() as { group_id: number; user_id: string }[];
    const visit = db.prepare('INSERT OR IGNORE INTO group_visits (user_id, group_id, visited_at) VALUES (?, ?, ?)');
    for (const row of memberships) if (next() < 0.6) visit.run(row.user_id, row.group_id, now - int(60) * DAY);
    const join = db.prepare(`INSERT OR IGNORE INTO group_join_requests (group_id, user_id, note, status, created_at) VALUES (?, ?, NULL, 'pending', ?)`);
    for (let k = 0; k < 3_000; k++) join.run(int(GROUPS) + 1, userId(int(USERS) + 1), now - int(30) * DAY);

    // A tenth of the threads are in the busy groups; the rest spread over all groups.
    const thread = db.prepare(`INSERT INTO group_threads (group_id, author_id, title, body, pinned, locked, created_at, last_activity_at) VALUES (?, ?, ?, ?, 0, 0, ?, ?)`);
    const read = db.prepare('INSERT OR IGNORE INTO group_thread_reads (thread_id, user_id, read_at) VALUES (?, ?, ?)');
    const threadGroup: number[] = [0];
    const threadCreated: number[] = [0];
    for (let t = 1; t <= SCALE.threads; t++) {
      const groupId = t <= BUSY_THREADS ? 1 + ((t - 1) % BUSY_GROUPS) : next() < 0.1 ? int(BUSY_GROUPS) + 1 : int(GROUPS) + 1;
      const created = now - int(730) * DAY;
      threadGroup.push(groupId);
      threadCreated.push(created);
      thread.run(groupId, userId(int(USERS) + 1), `Thread ${t}: ${text(5)}`, markdown(40), created, created);
      if (next() < 0.5) read.run(t, userId(int(USERS) + 1), created);
    }
    const reply = db.prepare(`INSERT INTO group_replies (thread_id, author_id, body, created_at) VALUES (?, ?, ?, ?)`);
    const lastActivity = new Map<number, number>();
    for (let r = 1; r <= SCALE.replies; r++) {
      const threadId = r <= BUSY_THREADS * 1_000 ? ((r - 1) % BUSY_THREADS) + 1 : int(SCALE.threads) + 1;
      const at = Math.min(now, threadCreated[threadId]! + int(60 * DAY));
      reply.run(threadId, userId(int(USERS) + 1), text(30), at);
      if (at > (lastActivity.get(threadId) ?? 0)) lastActivity.set(threadId, at);
    }
    const activity = db.prepare('UPDATE group_threads SET last_activity_at = ? WHERE id = ?');
    for (const [threadId, at] of lastActivity) activity.run(at, threadId);
    const meeting = db.prepare(`INSERT INTO group_meetings (group_id, title, starts_at, duration_minutes, agenda, created_at) VALUES (?, ?, ?, 90, '', 1)`);
    for (let m = 1; m <= SCALE.meetings; m++) meeting.run(int(GROUPS) + 1, `Meeting ${m}`, now + (int(180) - 120) * DAY);
    const answer = db.prepare(`INSERT OR IGNORE INTO group_meeting_answers (meeting_id, user_id, answer, answered_at) VALUES (?, ?, ?, 1)`);
    for (let k = 0; k < 10_000; k++) answer.run(int(SCALE.meetings) + 1, userId(int(USERS) + 1), pick(['yes', 'no', 'maybe']));

    const request = db.prepare(`INSERT INTO help_requests (town_id, author_id, title, body, help_forms, topics, languages, urgency, status, published_at, created_at, updated_at)
      VALUES (?, ?, ?, ?, '["advice"]', ?, ?, 'normal', ?, ?, ?, ?)`);
    const requestTopic = db.prepare('INSERT INTO help_request_topics (request_id, topic, published_at) VALUES (?, ?, ?)');
    const statuses = [...Array(10).fill('draft'), ...Array(40).fill('open'), ...Array(20).fill('in_progress'), ...Array(25).fill('resolved'), ...Array(5).fill('withdrawn')];
    for (let r = 1; r <= SCALE.requests; r++) {
      const townId = int(TOWNS) + 1;
      const author = userId(townId + TOWNS * int(USERS / TOWNS));
      const status = pick(statuses);
      const at = now - int(3 * 365 * DAY);
      const chosen = some(topics, 1 + int(3));
      request.run(townId, author, text(8), markdown(60), JSON.stringify(chosen), JSON.stringify(some(['kk', 'ru', 'en'], 2)), status, status === 'draft' ? null : at, at, at);
      for (const topic of chosen) requestTopic.run(r, topic, status === 'draft' ? null : at);
    }
    const response = db.prepare(`INSERT INTO help_responses (request_id, author_id, town_id, body, links, accepted_at, created_at, updated_at) VALUES (?, ?, ?, ?, '[]', ?, ?, ?)`);
    for (let p = 1; p <= SCALE.responses; p++) {
      const n = int(USERS) + 1;
      const at = now - int(3 * 365 * DAY);
      response.run(int(SCALE.requests) + 1, userId(n), ((n - 1) % TOWNS) + 1, text(40), next() < 0.2 ? at : null, at, at);
    }
    const invitation = db.prepare(`INSERT OR IGNORE INTO help_request_invitations (request_id, user_id, invited_by, created_at) VALUES (?, ?, ?, ?)`);
    for (let k = 0; k < 20_000; k++) invitation.run(int(SCALE.requests) + 1, userId(int(USERS) + 1), userId(1), now - int(90) * DAY);
    db.exec(`INSERT INTO help_match_index (topic, user_id, accepted, town_id, languages)
      SELECT t.topic, p.author_id, count(*), 0, 0 FROM help_responses p JOIN help_request_topics t ON t.request_id = p.request_id
      WHERE p.accepted_at IS NOT NULL GROUP BY t.topic, p.author_id
      ON CONFLICT (topic, user_id) DO UPDATE SET accepted = excluded.accepted`);

    const memberCase = db.prepare(`INSERT INTO member_cases (town_id, created_by, updated_by, status, version, content, created_at, updated_at) VALUES (?, ?, ?, ?, 1, ?, 1, ?)`);
    const caseEvent = db.prepare(`INSERT INTO member_case_events (case_id, actor_id, kind, from_status, to_status, version, body, at) VALUES (?, ?, 'comment', NULL, NULL, 1, ?, ?)`);
    for (let c = 1; c <= SCALE.cases; c++) {
      // Town 7 (the busiest member's) has twenty cases; the others spread over all towns.
      const townId = c <= 20 ? BUSIEST : int(TOWNS) + 1;
      const content = { languages: ['ru'], title: `Case ${c}: ${text(4)}`, topics: some(topics, 2), sections: { problem: text(80), actions: text(80), results: text(80) } };
      memberCase.run(townId, userId(townId), userId(townId), pick(['draft', 'submitted', 'changes_requested', 'approved']), JSON.stringify(content), now - int(90) * DAY);
      for (let e = 0; e < 3; e++) caseEvent.run(c, userId(townId), text(20), now - int(90) * DAY);
    }

    const notification = db.prepare(`INSERT INTO notifications (user_id, kind, params, link, created_at, read_at) VALUES (?, 'exchange.new_request', '{"title":"A request"}', '/ru/exchange/1/', ?, ?)`);
    for (let k = 0; k < SCALE.notifications - 20_000; k++) {
      const at = now - int(365) * DAY;
      notification.run(userId(int(USERS) + 1), at, next() < 0.7 ? at + DAY : null);
    }
    for (let k = 0; k < 20_000; k++) notification.run(userId(BUSIEST), now - k, null);
  })();
  db.exec('ANALYZE');
  db.close();
  console.log(`national data filled into ${path} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

/** Row counts that tell a complete kept PostgreSQL copy from a broken one. */
async function complete(db: Kysely<Schema>): Promise<boolean> {
  const count = async (table: 'group_replies' | 'notifications' | 'help_responses') =>
    Number((await db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
  return (await count('group_replies')) === SCALE.replies && (await count('notifications')) === SCALE.notifications && (await count('help_responses')) === SCALE.responses;
}

/**
 * The PostgreSQL copy of the SQLite data: the kept one when complete (migrated to the
 * latest schema), else created afresh and filled with copyDatabase, then VACUUM
 * (ANALYZE): a bulk load leaves no planner statistics, which autovacuum would make later.
 */
export async function nationalPostgres(): Promise<{ url: string; note?: string }> {
  if (process.env.QALA_BENCH_PG !== 'fresh') {
    const exists = await asPostgresAdmin((admin) => admin.query('select 1 from pg_database where datname = $1', [PG_DATABASE]));
    if (exists.rowCount) {
      const db = createDatabase(postgresUrl);
      try {
        await migrateToLatest(db);
        if (await complete(db)) return { url: postgresUrl };
      } finally {
        await db.destroy();
      }
    }
  }
  // The SQLite file is needed only to fill from (a kept copy is used without it).
  const source = await nationalSqlite();
  await asPostgresAdmin(async (admin) => {
    await admin.query(`drop database if exists ${PG_DATABASE} with (force)`);
    await admin.query(`create database ${PG_DATABASE}`);
  });
  const from = createDatabase(source);
  const to = createDatabase(postgresUrl);
  try {
    await migrateToLatest(to);
    const started = performance.now();
    const report = await copyDatabase(from, to);
    const copied = (performance.now() - started) / 1000;
    const rows = report.tables.reduce((sum, table) => sum + table.targetRows, 0);
    const vacuumed = performance.now();
    await sql`VACUUM (ANALYZE)`.execute(to);
    const note = `PostgreSQL filled with copyDatabase: ${rows.toLocaleString('en')} rows in ${copied.toFixed(1)} s, VACUUM (ANALYZE) ${((performance.now() - vacuumed) / 1000).toFixed(1)} s`;
    console.log(note);
    return { url: postgresUrl, note };
  } finally {
    await from.destroy();
    await to.destroy();
  }
}

export type Engine = 'SQLite' | 'PostgreSQL';
export interface Figures {
  p50: number;
  p95: number;
}

/**
 * CPU milliseconds a process has used so far (user + system, from /proc; Linux only, 0
 * elsewhere). On a machine shared with other work, wall time includes waiting for a
 * core; CPU time does not.
 */
export function processCpuMs(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    // utime and stime, in ticks of 10 ms (USER_HZ is 100 on Linux).
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return 0;
  }
}

/** Collects p50/p95 per measurement and engine and prints them side by side. */
export class Results {
  readonly #rows = new Map<string, Partial<Record<Engine, Figures>>>();
  readonly #cpu = new Map<string, Partial<Record<Engine, number>>>();
  readonly #server = new Map<string, Partial<Record<Engine, Figures>>>();
  readonly notes: string[] = [];
  constructor(readonly goalMs = 20) {}

  /**
   * Times `run` (after `warmUp` rounds), prints and keeps p50/p95 of wall time.
   * `measuring` is called once the warm-up is over, before the first measured round.
   */
  async time(
    engine: Engine,
    label: string,
    run: (round: number) => Promise<unknown>,
    { rounds = 200, warmUp = Number(process.env.QALA_BENCH_WARMUP) || 20, measuring }: { rounds?: number; warmUp?: number; measuring?: () => void } = {},
  ): Promise<Figures> {
    const times: number[] = [];
    for (let round = 0; round < rounds + warmUp; round++) {
      if (round === warmUp) measuring?.();
      const started = performance.now();
      await run(round);
      if (round >= warmUp) times.push(performance.now() - started);
    }
    times.sort((a, b) => a - b);
    const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))]!;
    const figures = { p50: at(0.5), p95: at(0.95) };
    this.#rows.set(label, { ...this.#rows.get(label), [engine]: figures });
    console.log(`${engine.padEnd(10)} ${label.padEnd(50)} p50 ${figures.p50.toFixed(2).padStart(7)} ms  p95 ${figures.p95.toFixed(2).padStart(7)} ms  (${times.length} runs)`);
    return figures;
  }

  /** Keeps the server's mean CPU time per request of a measurement (see `processCpuMs`). */
  cpu(engine: Engine, label: string, ms: number): void {
    this.#cpu.set(label, { ...this.#cpu.get(label), [engine]: ms });
    console.log(`${engine.padEnd(10)} ${label.padEnd(50)} server CPU ${ms.toFixed(2)} ms per request`);
  }

  /**
   * Keeps p50/p95 of the server's own time for a measurement (its log line's `ms` per
   * request, tests/bench/logged-times.ts), shown beside the client's wall time.
   */
  server(engine: Engine, label: string, sortedMs: number[]): void {
    if (sortedMs.length === 0) return;
    const at = (q: number) => sortedMs[Math.min(sortedMs.length - 1, Math.floor(q * sortedMs.length))]!;
    const figures = { p50: at(0.5), p95: at(0.95) };
    this.#server.set(label, { ...this.#server.get(label), [engine]: figures });
    console.log(`${engine.padEnd(10)} ${label.padEnd(50)} server p50 ${figures.p50.toFixed(2).padStart(7)} ms  p95 ${figures.p95.toFixed(2).padStart(7)} ms`);
  }

  /** Every measurement × engine, p50 and p95 in ms; a p95 over the goal is starred. */
  print(): void {
    const engines = (['SQLite', 'PostgreSQL'] as const).filter((engine) => [...this.#rows.values()].some((row) => row[engine]));
    if (engines.length === 0) return;
    const width = Math.max(12, ...[...this.#rows.keys()].map((label) => label.length + 2));
    const cell = (figures: Figures | undefined) =>
      figures ? `${figures.p50.toFixed(2).padStart(9)} ${(figures.p95.toFixed(2) + (figures.p95 > this.goalMs ? '*' : ' ')).padStart(10)}` : `${'–'.padStart(9)} ${'– '.padStart(10)}`;
    const lines = [
      `${''.padEnd(width)}${engines.map((engine) => `   ${engine.padEnd(46)}`).join('')}`,
      `${'measurement'.padEnd(width)}${engines.map(() => `   ${'p50 ms'.padStart(7)} ${'p95 ms'.padStart(9)}  ${'server p50'.padStart(10)} ${'p95'.padStart(8)} ${'CPU ms'.padStart(7)}`).join('')}`,
      ...[...this.#rows].map(
        ([label, row]) =>
          `${label.padEnd(width)}${engines.map((engine) => ` ${cell(row[engine])}  ${cell(this.#server.get(label)?.[engine]).padStart(20)} ${(this.#cpu.get(label)?.[engine]?.toFixed(2) ?? '–').padStart(7)}`).join('')}`,
      ),
      '"p50 ms", "p95 ms": wall time at the client (the measuring process: fetch, unzipping and its own garbage collection included)',
      '"server": the server’s own time per request, from its arrival to the last byte handed to the socket (the request’s log line, `ms`)',
      '"CPU ms": the server process’s CPU time per measured request (user + system, from /proc; the warm-up rounds not counted), which other work on the machine moves far less than wall time',
      `* p95 over the ${this.goalMs} ms goal`,
      ...this.notes,
      // Other work on the machine moves the figures; say how busy it was.
      `load average ${loadavg().map((load) => load.toFixed(1)).join(' ')} (1, 5, 15 min) on ${availableParallelism()} cores at the end of the run`,
    ];
    console.log(`\n${lines.join('\n')}\n`);
  }
}
