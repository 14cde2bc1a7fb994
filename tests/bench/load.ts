import { spawn, type ChildProcess } from 'node:child_process';
import { availableParallelism, loadavg } from 'node:os';
import autocannon from 'autocannon';

/** What one autocannon run gave. */
export interface LoadRun {
  rps: number;
  p99: number;
  failed: number;
}

/** Load at `connections` for `seconds` (autocannon in this process). */
export async function load(url: string, headers: Record<string, string>, seconds: number, connections = 50): Promise<LoadRun> {
  const result = await autocannon({ url, connections, duration: seconds, headers });
  return { rps: result.requests.total / result.duration, p99: result.latency.p99, failed: result.non2xx + result.errors };
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
export function startChild(command: string, args: string[], env: Record<string, string>): Promise<{ port: number; child: ChildProcess; stop: () => Promise<void> }> {
  const child = spawn(command, args, { env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /\{"port":(\d+)\}/.exec(output);
      if (match) {
        resolve({
          port: Number(match[1]),
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
