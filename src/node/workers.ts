import cluster, { type Worker } from 'node:cluster';
import { AggregatorRegistry, type Registry } from 'prom-client';
import { errorFields, log } from '~/server/log.ts';
import { qalaMetrics } from '~/server/metrics/registry.ts';
import { DRAIN_LIMIT_MS } from './graceful-shutdown.ts';

/** One process's metrics as prom-client's JSON. */
type MetricsJson = Awaited<ReturnType<Registry['getMetricsAsJSON']>>;

/**
 * Messages between the primary and its workers (node:cluster's IPC channel). Workers
 * serve HTTP; the primary migrates, runs the scheduled jobs and answers these.
 */
type Message =
  | { qala: 'mail-queued' }
  | { qala: 'metrics'; id: number }
  | { qala: 'metrics-answer'; id: number; text?: string; json?: MetricsJson; error?: string }
  | { qala: 'metrics-json'; id: number };

function isMessage(value: unknown): value is Message {
  return typeof value === 'object' && value !== null && typeof (value as { qala?: unknown }).qala === 'string';
}

/** A worker that dies sooner than this after starting is not restarted at once (a crash loop). */
const RESTART_PAUSE_MS = 1_000;

/**
 * The primary process of `QALA_WORKERS=N`: forks N workers that share the listening
 * socket, restarts one that dies, wakes the mail job when a worker queues mail, and
 * gathers the workers' metrics for /metrics. On SIGTERM or SIGINT it passes SIGTERM on,
 * waits for every worker to finish its requests in flight and exit, then calls `release`.
 */
export function superviseWorkers(options: {
  count: number;
  onListening: (port: number) => void;
  onMailQueued: () => void;
  release: () => Promise<void>;
}): void {
  let stopping = false;
  let announced = false;
  const listening = new Set<number>();

  const fork = () => {
    const worker = cluster.fork();
    const started = Date.now();
    worker.on('message', (message: unknown) => void answer(worker, message));
    worker.on('exit', (code, signal) => {
      listening.delete(worker.id);
      if (stopping) return;
      log.error('worker stopped; starting another', { worker: worker.id, code, signal });
      setTimeout(fork, Date.now() - started < RESTART_PAUSE_MS ? RESTART_PAUSE_MS : 0);
    });
  };

  cluster.on('listening', (worker, address) => {
    listening.add(worker.id);
    // One "listening" line, once every worker can take requests.
    if (!announced && listening.size >= options.count) {
      announced = true;
      options.onListening(address.port);
    }
  });

  const answer = async (worker: Worker, message: unknown) => {
    if (!isMessage(message)) return;
    if (message.qala === 'mail-queued') options.onMailQueued();
    else if (message.qala === 'metrics') {
      try {
        worker.send({ qala: 'metrics-answer', id: message.id, text: await gatherMetrics() } satisfies Message);
      } catch (error) {
        log.error('metrics: gathering from workers failed', errorFields(error));
        worker.send({ qala: 'metrics-answer', id: message.id, error: String(error) } satisfies Message);
      }
    }
  };

  let nextRequest = 0;
  const pending = new Map<number, (json: MetricsJson) => void>();
  const askWorker = (worker: Worker) =>
    new Promise<MetricsJson>((resolve) => {
      const id = ++nextRequest;
      const timer = setTimeout(() => {
        pending.delete(id);
        resolve([]);
      }, 2_000);
      pending.set(id, (json) => {
        clearTimeout(timer);
        resolve(json);
      });
      worker.send({ qala: 'metrics-json', id } satisfies Message);
    });
  cluster.on('message', (_worker, message: unknown) => {
    if (isMessage(message) && message.qala === 'metrics-answer' && message.json) {
      pending.get(message.id)?.(message.json);
      pending.delete(message.id);
    }
  });
  // The primary's own figures (job runs, the mail queue) and every worker's, summed.
  const gatherMetrics = async () => {
    const workers = Object.values(cluster.workers ?? {}).filter((worker): worker is Worker => worker !== undefined && worker.isConnected());
    const figures = await Promise.all([qalaMetrics().registry.getMetricsAsJSON(), ...workers.map(askWorker)]);
    return AggregatorRegistry.aggregate(figures.filter((list) => list.length > 0)).metrics();
  };

  const stop = () => {
    if (stopping) return;
    stopping = true;
    log.info('stopping: asking the workers to finish', { workers: Object.keys(cluster.workers ?? {}).length });
    for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill('SIGTERM');
    const allExited = new Promise<void>((resolve) => {
      const check = () => {
        if (Object.values(cluster.workers ?? {}).every((worker) => !worker || worker.isDead())) resolve();
        else setTimeout(check, 50);
      };
      check();
    });
    const limit = new Promise<void>((resolve) => setTimeout(resolve, DRAIN_LIMIT_MS + 5_000).unref());
    void Promise.race([allExited, limit])
      .then(options.release)
      .then(
        () => process.exit(0),
        (error: unknown) => {
          log.error('stopping failed', errorFields(error));
          process.exit(1);
        },
      );
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);

  for (let i = 0; i < options.count; i++) fork();
}

/**
 * A worker's side of the channel: mail this worker queues wakes the primary's mail job,
 * and /metrics is answered with every process's figures, gathered by the primary.
 */
export const workerChannel = {
  mailQueued(): void {
    process.send?.({ qala: 'mail-queued' } satisfies Message);
  },

  /** Answers the primary's requests for this worker's metrics. */
  answerMetrics(): void {
    process.on('message', (message: unknown) => {
      if (!isMessage(message) || message.qala !== 'metrics-json') return;
      void qalaMetrics()
        .registry.getMetricsAsJSON()
        .then((json) => process.send?.({ qala: 'metrics-answer', id: message.id, json } satisfies Message));
    });
  },

  /** Every process's metrics as Prometheus text, from the primary. */
  allMetrics(): Promise<string> {
    const id = Math.floor(Math.random() * 2 ** 31);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        process.off('message', onMessage);
        reject(new Error('the primary did not answer with metrics'));
      }, 5_000);
      const onMessage = (message: unknown) => {
        if (!isMessage(message) || message.qala !== 'metrics-answer' || message.id !== id || message.json) return;
        clearTimeout(timer);
        process.off('message', onMessage);
        if (message.text !== undefined) resolve(message.text);
        else reject(new Error(message.error ?? 'no metrics'));
      };
      process.on('message', onMessage);
      process.send?.({ qala: 'metrics', id } satisfies Message);
    });
  },
};
