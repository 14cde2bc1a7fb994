import type { JobRun } from './types.ts';

type Listener = (run: JobRun) => void;

const LISTENERS = Symbol.for('qala.jobRunListeners');
const holder = globalThis as { [LISTENERS]?: Set<Listener> };

/**
 * Calls `listener` after every job run of this process (name, outcome, duration, what it
 * did), e.g. to count runs and failures in the metrics. Returns the function that stops
 * listening. A listener that throws is ignored: observing never fails a job.
 */
export function onJobRun(listener: Listener): () => void {
  const listeners = (holder[LISTENERS] ??= new Set());
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Tells every listener of a finished run. */
export function reportJobRun(run: JobRun): void {
  for (const listener of holder[LISTENERS] ?? []) {
    try {
      listener(run);
    } catch {
      // An observer's failure is its own; the job's outcome is already recorded.
    }
  }
}
