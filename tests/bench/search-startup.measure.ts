import Database from 'better-sqlite3';
import { existsSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, it } from 'vitest';
import { temporaryDirectory } from '../helpers/database.ts';
import { startServer, type RunningServer } from '../helpers/server.ts';
import { processCpuMs, sqlitePath } from './national.ts';

// Start-up on the national-scale data set (tests/bench/national.ts: 1,000 towns, 20,000
// members, 100,000 threads with 1,000,000 replies, 200,000 requests with 1,000,000
// responses: some 2.3 million documents), made before search, so every database source
// needs its full pass: how long the built server takes from spawn to listening (the pass
// is not waited for), how fast the background pass then writes documents while the server
// serves, and how long a search request takes meanwhile. On a copy of the kept SQLite
// file (never on the file itself: other benchmarks keep it at their own schema). Build
// first; run: npx vitest run --config vitest.bench.config.ts tests/bench/search-startup.measure.ts
// The kept file is made by the other national benchmarks (its first fill takes minutes);
// without it this prints a notice and measures nothing.

/** How long the background pass is watched (it would take tens of minutes to finish here). */
const WATCH_SECONDS = 90;
const dir = temporaryDirectory('qala-bench-startup-');
let server: RunningServer | undefined;
afterAll(async () => {
  await server?.stop();
  dir.remove();
});

const load = () => loadavg().map((value) => value.toFixed(1)).join(' ');

function count(path: string, query: string): number {
  const sqlite = new Database(path, { readonly: true, fileMustExist: true });
  try {
    return Number((sqlite.prepare(query).get() as { n: number }).n);
  } finally {
    sqlite.close();
  }
}

describe('start-up on a national database never indexed', () => {
  it('on SQLite', async () => {
    if (!existsSync(sqlitePath)) {
      console.log(`No national data set at ${sqlitePath}: run a national benchmark first (e.g. tests/bench/pages.measure.ts); nothing measured.`);
      return;
    }
    const copy = join(dir.path, 'national.db');
    let started = performance.now();
    const source = new Database(sqlitePath, { readonly: true, fileMustExist: true });
    await source.backup(copy);
    source.close();
    console.log(`copied the national data set in ${((performance.now() - started) / 1000).toFixed(0)} s`);
    // As a database from before search, or after DATABASE_SOURCES_VERSION changed: no pass recorded.
    const writable = new Database(copy);
    for (const table of ['search_syncs', 'search_resync_progress']) {
      if (writable.prepare("select 1 from sqlite_master where name = ?").get(table)) writable.prepare(`delete from ${table}`).run();
    }
    writable.close();

    started = performance.now();
    server = await startServer({ databasePath: copy, env: { DEMO_DATA: 'false' } });
    const listening = (performance.now() - started) / 1000;
    console.log(`SQLite, national: spawn to listening ${listening.toFixed(1)} s, the pass not waited for (load average ${load()})`);

    const documents = () => count(copy, 'select count(*) as n from search_documents');
    const watchFrom = performance.now();
    const firstCount = documents();
    const cpuFrom = processCpuMs(server.pid);
    const latencies: number[] = [];
    while (performance.now() - watchFrom < WATCH_SECONDS * 1000) {
      const asked = performance.now();
      const response = await fetch(new URL('/en/search/?q=heating', server.url));
      const page = await response.text();
      latencies.push(performance.now() - asked);
      if (!page.includes('Search is still indexing')) console.log('the pass ended while watched');
      await new Promise((resolve) => setTimeout(resolve, 2_000));
    }
    const seconds = (performance.now() - watchFrom) / 1000;
    const written = documents() - firstCount;
    const cpuSeconds = (processCpuMs(server.pid) - cpuFrom) / 1000;
    const sorted = [...latencies].sort((a, b) => a - b);
    const percentile = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!.toFixed(0);
    console.log(
      `SQLite, national: the background pass wrote ${written} documents in ${seconds.toFixed(0)} s while serving: ${Math.round(written / seconds)} docs/s wall, ` +
        `${cpuSeconds > 0 ? Math.round(written / cpuSeconds) : '?'} docs/s of the server's CPU; a search meanwhile p50 ${percentile(50)} ms, p95 ${percentile(95)} ms ` +
        `(${latencies.length} requests; load average ${load()})`,
    );
  }, 900_000);
});
