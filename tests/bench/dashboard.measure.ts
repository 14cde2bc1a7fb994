import { sql, type Kysely } from 'kysely';
import { availableParallelism, loadavg } from 'node:os';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { TAXONOMIES } from '~/schemas/taxonomy.ts';
import type { CurrentUser } from '~/server/auth/lucia.ts';
import { loadFirstSteps } from '~/server/dashboard/first-steps.ts';
import { loadMemberHome } from '~/server/dashboard/home.ts';
import { createDatabase } from '~/server/db/connection.ts';
import type { Database as Schema } from '~/server/db/schema.ts';
import { listDirectory } from '~/server/members/directory.ts';
import { signIn } from '../helpers/http.ts';
import { startServer } from '../helpers/server.ts';
import { BUSIEST as BUSIEST_NUMBER, DEMO_PASSWORD, nationalPostgres, nationalSqlite, postgresUnavailable, random, SCALE, userId } from './national.ts';

// The member home at national scale, on the data set every database bench shares
// (tests/bench/national.ts: 1,000 towns, 20,000 members, 2,000 working groups, 100,000
// threads, 200,000 requests, 3,000 meetings, 1,000,000 notifications). Prints p50/p95
// server time of the whole home (every section, as the page loads it) for ordinary
// members, for the busiest member (in 40 groups, with 20,000 unread notifications) and for
// new towns' administrators (with the first steps), in process on SQLite and PostgreSQL
// (a copy of the same data), then the page over HTTP on SQLite. The goal is p95 ≤ 30 ms.
// Run: npm run build && npx vitest run --config vitest.bench.config.ts tests/bench/dashboard.measure.ts
const TOWNS = SCALE.towns;
const USERS = SCALE.users;
const BUSIEST = userId(BUSIEST_NUMBER);
const ROUNDS = 200;
const GOAL_MS = 30;
let path = '';
let postgresUrl = '';
/** The PostgreSQL database's name, to find its backends. */
const PG_DATABASE = () => new URL(postgresUrl).pathname.slice(1);

type Engine = 'SQLite' | 'PostgreSQL';
const results: string[] = [];
const skipPostgres = await postgresUnavailable();
if (skipPostgres) console.log(`NOTICE: PostgreSQL is not measured, SQLite only: ${skipPostgres}`);

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
  const { rows } = await sql<{ pid: number }>`SELECT pid FROM pg_stat_activity WHERE datname = ${PG_DATABASE()}`.execute(db);
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
  path = await nationalSqlite();
}, 1_800_000);

afterAll(() => {
  console.log(`\n${results.join('\n')}\nload average ${loadavg().map((load) => load.toFixed(1)).join(' ')} on ${availableParallelism()} cores\n`);
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
    postgresUrl = (await nationalPostgres()).url;
  }, 3_600_000);

  it('measures the member home in process', { timeout: 900_000 }, async () => {
    const db = createDatabase(postgresUrl);
    try {
      await measure('PostgreSQL', db);
    } finally {
      await db.destroy();
    }
  });
});
