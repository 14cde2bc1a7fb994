import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { createServerDatabase } from './database.ts';
import { seededServerDatabase } from './seeded-database.ts';

/** A running, built Qala server on a random port. */
export interface RunningServer {
  url: string;
  port: number;
  pid: number;
  /** The SQLite file; empty when the server runs on PostgreSQL (see `databaseUrl`). */
  databasePath: string;
  /** The server's DATABASE_URL (`file:…` or `postgres://…`): read it with tests/helpers/server-database.ts. */
  databaseUrl: string;
  /** Everything the server printed so far (standard output and error, interleaved). */
  output: () => string;
  /** What the server printed on standard output alone (its JSON log lines). */
  stdout: () => string;
  /** The process's exit code once it has exited, else null. */
  exitCode: () => number | null;
  stop: () => Promise<void>;
}

const ENTRY = join(process.cwd(), 'dist', 'qala.mjs');

/**
 * Starts `node dist/qala.mjs serve` (the production entry) on a random port with its
 * own demo database: the SQLite file `databasePath`, the database at `databaseUrl`
 * (e.g. one a test shares between two starts), or else a new one on the engine under
 * test (a temp SQLite file, or a PostgreSQL database under `http:postgres`) which `stop`
 * removes: with the demo data (DEMO_DATA, the default here), a copy of the run's seeded
 * database (tests/helpers/seeded-database.ts), else, or with `emptyDatabase`, an empty
 * one the server migrates (and seeds) itself.
 * `entry` and `cwd` start another copy of the built entry (e.g. dist/ copied elsewhere, as
 * deployed) from another working folder.
 * `npm test` builds first; run `npm run build` before a bare vitest.
 */
export async function startServer(
  options: { env?: Record<string, string>; databasePath?: string; databaseUrl?: string; entry?: string; nodeArgs?: string[]; cwd?: string; emptyDatabase?: boolean } = {},
): Promise<RunningServer> {
  // `entry`: another build's dist/qala.mjs (benchmarks compare an earlier build in the same run;
  // a test runs a copy of dist/ alone, from `cwd`); `nodeArgs`: e.g. --cpu-prof, which NODE_OPTIONS does not take.
  const entry = options.entry ?? ENTRY;
  if (!existsSync(entry)) throw new Error(`${entry} is missing: run \`npm run build\` first (npm test does it).`);
  const own = options.databasePath || options.databaseUrl ? null : await ownDatabase(options);
  const databaseUrl = options.databaseUrl ?? (options.databasePath ? `file:${options.databasePath}` : own!.url);
  const databasePath = databaseUrl.startsWith('file:') ? databaseUrl.slice('file:'.length) : '';
  const child: ChildProcess = spawn(process.execPath, [...(options.nodeArgs ?? []), entry, 'serve'], {
    cwd: options.cwd,
    env: {
      PATH: process.env.PATH ?? '',
      HOST: '127.0.0.1',
      PORT: '0',
      DATABASE_URL: databaseUrl,
      DEMO_DATA: 'true',
      LOG_LEVEL: 'info',
      CI: 'true',
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  let stdout = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    output += chunk.toString();
    stdout += chunk.toString();
  });
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));

  const listening = new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${output}`)), 30_000);
    const onData = () => {
      const match = output.match(/"msg":"listening","port":(\d+)/);
      if (match) {
        clearTimeout(timer);
        // Searching the whole output on every later line would cost more the longer it runs.
        child.stdout!.off('data', onData);
        resolve(Number(match[1]));
      }
    };
    child.stdout!.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}:\n${output}`));
    });
  });
  let port: number;
  try {
    port = await listening;
  } catch (error) {
    // A server that never listened leaves no database behind either.
    if (child.exitCode === null) child.kill('SIGKILL');
    await own?.remove();
    throw error;
  }

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    pid: child.pid!,
    databasePath,
    databaseUrl,
    output: () => output,
    stdout: () => stdout,
    exitCode: () => child.exitCode,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        await new Promise<void>((resolve) => {
          child.once('exit', () => resolve());
          child.kill('SIGTERM');
        });
      }
      await own?.remove();
    },
  };
}

/**
 * A new database for a server started without one: a copy of the run's seeded one when
 * the server would seed an empty one with the demo data anyway, and this build seeded it.
 */
async function ownDatabase(options: Parameters<typeof startServer>[0] & {}) {
  const seeds = (options.env?.DEMO_DATA ?? 'true') === 'true' && !options.emptyDatabase && (options.entry ?? ENTRY) === ENTRY;
  const seeded = seeds ? await seededServerDatabase((databaseUrl) => startServer({ databaseUrl }).then((server) => server.stop())) : undefined;
  return seeded ?? createServerDatabase();
}

/** Demo accounts' shared password (see db/seed/accounts.ts). */
export const DEMO_PASSWORD = 'demo-qala-2026';

/**
 * Starts the built server before a file's (or describe block's) tests and stops it
 * after them. The returned object reads through to the running server, so use its
 * fields inside tests, not at import time.
 */
export function useServer(options: Parameters<typeof startServer>[0] = {}): RunningServer {
  let started: RunningServer | undefined;
  beforeAll(async () => {
    started = await startServer(options);
  });
  afterAll(async () => {
    await started?.stop();
  });
  const current = () => {
    if (!started) throw new Error('The server starts in beforeAll: use it inside tests.');
    return started;
  };
  return {
    get url() { return current().url; },
    get port() { return current().port; },
    get pid() { return current().pid; },
    get databasePath() { return current().databasePath; },
    get databaseUrl() { return current().databaseUrl; },
    output: () => current().output(),
    stdout: () => current().stdout(),
    exitCode: () => current().exitCode(),
    stop: () => current().stop(),
  };
}
