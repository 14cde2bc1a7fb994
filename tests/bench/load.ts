import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import autocannon from 'autocannon';

/** What one autocannon run gave. */
export interface LoadRun {
  rps: number;
  p99: number;
  failed: number;
  /** CPU time the server's processes spent per request, in microseconds. */
  cpuMicros: number;
}

/**
 * CPU time (user + system, ms) of a process and all its descendants (the workers), from
 * /proc. On a busy machine req/s says how much CPU a server was given; CPU per request
 * says what a request costs, whatever the neighbours do.
 */
export function processTreeCpuMs(pid: number): number {
  let total = 0;
  const visit = (id: number) => {
    try {
      const fields = readFileSync(`/proc/${id}/stat`, 'utf8').split(') ')[1]!.split(' ');
      total += ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
      for (const child of readFileSync(`/proc/${id}/task/${id}/children`, 'utf8').trim().split(/\s+/).filter(Boolean)) visit(Number(child));
    } catch {
      // Gone meanwhile.
    }
  };
  visit(pid);
  return total;
}
const CLOCK_TICKS = 100;

/** Load at `connections` for `seconds` (autocannon in this process) on the server `pid`. */
export async function load(url: string, headers: Record<string, string>, seconds: number, connections = 50, pid?: number): Promise<LoadRun> {
  const before = pid ? processTreeCpuMs(pid) : 0;
  const result = await autocannon({ url, connections, duration: seconds, headers });
  const cpuMs = pid ? processTreeCpuMs(pid) - before : 0;
  return {
    rps: result.requests.total / result.duration,
    p99: result.latency.p99,
    failed: result.non2xx + result.errors,
    cpuMicros: result.requests.total > 0 ? (cpuMs * 1000) / result.requests.total : 0,
  };
}

/** What one run at a fixed offered rate gave: latency without a queue of the client's making. */
export interface RateRun {
  rps: number;
  p50: number;
  p99: number;
  failed: number;
}

/**
 * Load at `connections` but at most `rate` requests a second in all (autocannon's
 * overallRate): below the server's capacity no request waits behind the others, so
 * p50/p99 show a request's own time, not the queue of an open-ended run.
 */
export async function loadAtRate(url: string, headers: Record<string, string>, seconds: number, connections: number, rate: number): Promise<RateRun> {
  const result = await autocannon({ url, connections, duration: seconds, headers, overallRate: rate });
  return { rps: result.requests.total / result.duration, p50: result.latency.p50, p99: result.latency.p99, failed: result.non2xx + result.errors };
}

/** min–max of numbers, formatted. */
export function range(values: number[], digits = 0): string {
  const low = Math.min(...values);
  const high = Math.max(...values);
  const format = (value: number) => value.toLocaleString('en', { maximumFractionDigits: digits, minimumFractionDigits: digits });
  return low === high ? format(low) : `${format(low)}–${format(high)}`;
}

/** Says how busy the machine was, since the numbers depend on it. */
export function machineNote(): string {
  const [one, five] = loadavg();
  return `${availableParallelism()} cores, load average ${one!.toFixed(2)} (1 min), ${five!.toFixed(2)} (5 min)`;
}

/** Starts a child process that prints `{"port":N}` on its first line of standard output. */
export function startChild(command: string, args: string[], env: Record<string, string>): Promise<{ port: number; pid: number; child: ChildProcess; stop: () => Promise<void> }> {
  const child = spawn(command, args, { env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /\{"port":(\d+)\}/.exec(output);
      if (match) {
        resolve({
          port: Number(match[1]),
          pid: child.pid!,
          child,
          stop: () =>
            new Promise<void>((done) => {
              if (child.exitCode !== null) return done();
              child.once('exit', () => done());
              child.kill('SIGTERM');
            }),
        });
      }
    });
    child.once('exit', (code) => reject(new Error(`${command} exited with ${code}: ${output}`)));
  });
}

/**
 * Starts the built server (`node dist/qala.mjs serve`) for a benchmark: like
 * tests/helpers/server.ts, but its log goes to a file, as it would go to the journal,
 * so this process (which also runs autocannon) spends nothing reading it.
 */
export async function startBenchServer(options: { databaseUrl: string; env?: Record<string, string> }): Promise<{ url: string; pid: number; stop: () => Promise<void> }> {
  const { openSync, readFileSync, mkdtempSync } = await import('node:fs');
  const { join } = await import('node:path');
  const { tmpdir } = await import('node:os');
  const logFile = join(mkdtempSync(join(tmpdir(), 'qala-bench-log-')), 'server.log');
  const fd = openSync(logFile, 'a');
  const child = spawn(process.execPath, [join(process.cwd(), 'dist', 'qala.mjs'), 'serve'], {
    env: { PATH: process.env.PATH ?? '', HOST: '127.0.0.1', PORT: '0', DATABASE_URL: options.databaseUrl, DEMO_DATA: 'true', LOG_LEVEL: 'info', CI: 'true', ...options.env },
    stdio: ['ignore', fd, fd],
  });
  const started = Date.now();
  for (;;) {
    const match = /"msg":"listening","port":(\d+)/.exec(readFileSync(logFile, 'utf8'));
    if (match) {
      return {
        url: `http://127.0.0.1:${match[1]}`,
        pid: child.pid!,
        stop: () =>
          new Promise<void>((done) => {
            if (child.exitCode !== null) return done();
            child.once('exit', () => done());
            child.kill('SIGTERM');
          }),
      };
    }
    if (child.exitCode !== null || Date.now() - started > 60_000) throw new Error(`server did not start:\n${readFileSync(logFile, 'utf8')}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
