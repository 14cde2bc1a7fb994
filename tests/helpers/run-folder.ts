import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { inject } from 'vitest';

/**
 * This run's shared place (tests/helpers/run-setup.ts): a folder every worker process
 * sees, and the name of the run's seeded PostgreSQL database. Undefined outside a run that
 * provides it (benchmarks, a file run through another configuration).
 */
export function runPlace(): { folder: string; postgresName: string } | undefined {
  try {
    return inject('qalaRun');
  } catch {
    // Not inside a vitest worker.
    return undefined;
  }
}

/**
 * Runs `make` once for `name` across every worker process of the run: the first to take
 * the lock (a folder made atomically) makes it, the others wait for its mark.
 */
export async function once(folder: string, name: string, make: () => Promise<void>): Promise<void> {
  const ready = join(folder, `${name}.ready`);
  const failed = join(folder, `${name}.failed`);
  if (existsSync(ready)) return;
  let mine = true;
  try {
    mkdirSync(join(folder, `${name}.lock`));
  } catch {
    mine = false;
  }
  if (mine) {
    try {
      await make();
      writeFileSync(ready, '');
      return;
    } catch (error) {
      writeFileSync(failed, error instanceof Error ? (error.stack ?? error.message) : String(error));
      throw error;
    }
  }
  const deadline = Date.now() + 120_000;
  while (!existsSync(ready)) {
    if (existsSync(failed)) throw new Error(`${name} could not be made for this run:\n${readFileSync(failed, 'utf8')}`);
    if (Date.now() > deadline) throw new Error(`${name} was not made for this run within two minutes (${folder})`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
