import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '~/server/config.ts';
import { createDatabase } from '~/server/db/connection.ts';
import { bearerMatches } from '~/server/metrics/endpoint.ts';
import { recordJobRun, recordRequest, recordSignIn, setMailQueueSource } from '~/server/metrics/index.ts';
import { qalaMetrics } from '~/server/metrics/registry.ts';
import { routeOf, UNMATCHED, type RoutePattern } from '~/server/metrics/routes.ts';

/** The value of one series (`name` with exactly `labels`), or undefined when it is not exported. */
async function sample(name: string, labels: Record<string, string>, metricName = name): Promise<number | undefined> {
  const base = name.replace(/_(count|sum|bucket)$/, '');
  const metric = qalaMetrics().registry.getSingleMetric(base);
  if (!metric) throw new Error(`no metric ${base}`);
  // Histograms name each value (`…_bucket`, `…_count`, `…_sum`); other metrics do not.
  const values = (await metric.get()).values as { labels: Record<string, string | number>; value: number; metricName?: string }[];
  const found = values.find(
    (value) => (value.metricName ?? base) === metricName && Object.keys(labels).length === Object.keys(value.labels).filter((key) => key !== 'le').length && Object.entries(labels).every(([key, want]) => String(value.labels[key]) === want),
  );
  return found?.value;
}

const count = (name: string, labels: Record<string, string>) => sample(`${name}_count`, labels, `${name}_count`).then((value) => value ?? 0);

// Routes in Astro's priority order, with the expressions Astro writes for them.
const ROUTES: RoutePattern[] = [
  { route: '/[lang]/exchange/new', pattern: /^\/([^/]+?)\/exchange\/new\/?$/ },
  { route: '/[lang]/exchange/[id]', pattern: /^\/([^/]+?)\/exchange\/([^/]+?)\/?$/ },
  { route: '/[lang]/cases/rss.xml', pattern: /^\/([^/]+?)\/cases\/rss\.xml\/?$/ },
  { route: '/_actions/[...path]', pattern: /^\/_actions(?:\/(.*?))?\/?$/ },
  { route: '/', pattern: /^\/$/ },
];

describe('route patterns', () => {
  it('labels a request by the first route that matches, as the site writes addresses', () => {
    expect(routeOf(ROUTES, '/en/exchange/42/')).toBe('/[lang]/exchange/[id]/');
    expect(routeOf(ROUTES, '/kk/exchange/7')).toBe('/[lang]/exchange/[id]/');
    expect(routeOf(ROUTES, '/ru/exchange/new/')).toBe('/[lang]/exchange/new/');
    expect(routeOf(ROUTES, '/en/cases/rss.xml')).toBe('/[lang]/cases/rss.xml');
    expect(routeOf(ROUTES, '/_actions/auth.signIn')).toBe('/_actions/[...path]/');
    expect(routeOf(ROUTES, '/')).toBe('/');
  });

  it('never turns a raw address into a label', () => {
    expect(routeOf(ROUTES, '/en/nothing/here/')).toBe(UNMATCHED);
    expect(routeOf(ROUTES, '/en/exchange/%E0%A4%A/')).toBe(UNMATCHED);
    expect(routeOf([], '/en/exchange/1/')).toBe(UNMATCHED);
  });
});

describe('the bearer token', () => {
  const token = 'a-long-enough-metrics-token';

  it('is accepted only when presented whole, as a bearer token', () => {
    expect(bearerMatches(`Bearer ${token}`, token)).toBe(true);
    expect(bearerMatches(`bearer ${token}`, token)).toBe(true);
    expect(bearerMatches(`Bearer ${token}x`, token)).toBe(false);
    expect(bearerMatches(`Bearer ${token.slice(0, -1)}`, token)).toBe(false);
    expect(bearerMatches(`Basic ${token}`, token)).toBe(false);
    expect(bearerMatches(token, token)).toBe(false);
    expect(bearerMatches('Bearer ', token)).toBe(false);
    expect(bearerMatches(undefined, token)).toBe(false);
  });

  it('is read from METRICS_TOKEN, which must be long and printable', () => {
    expect(loadConfig({}).metricsToken).toBeUndefined();
    expect(loadConfig({ METRICS_TOKEN: token }).metricsToken).toBe(token);
    expect(() => loadConfig({ METRICS_TOKEN: 'short' })).toThrow(ConfigError);
    expect(() => loadConfig({ METRICS_TOKEN: 'short' })).toThrow(/METRICS_TOKEN: must be at least 16 characters/);
    expect(() => loadConfig({ METRICS_TOKEN: 'has a space in it, sadly' })).toThrow(/METRICS_TOKEN: must be printable ASCII/);
  });
});

describe('recording', () => {
  afterEach(() => setMailQueueSource(undefined));

  it('counts requests by route, method and status class', async () => {
    const labels = { route: '/[lang]/exchange/[id]/', method: 'GET', status_class: '4xx' };
    const before = await count('qala_http_request_duration_seconds', labels);
    recordRequest('/[lang]/exchange/[id]/', 'GET', 404, 0.012);
    recordRequest('/[lang]/exchange/[id]/', 'GET', 403, 0.02);
    expect(await count('qala_http_request_duration_seconds', labels)).toBe(before + 2);
    recordRequest('static', 'PROPFIND', 200, 0.001);
    expect(await count('qala_http_request_duration_seconds', { route: 'static', method: 'other', status_class: '2xx' })).toBeGreaterThanOrEqual(1);
  });

  it('times every database statement through kysely, by operation and outcome', async () => {
    const db = createDatabase(':memory:');
    try {
      const before = {
        select: await count('qala_db_query_duration_seconds', { operation: 'select', outcome: 'ok' }),
        insert: await count('qala_db_query_duration_seconds', { operation: 'insert', outcome: 'ok' }),
        failed: await count('qala_db_query_duration_seconds', { operation: 'select', outcome: 'error' }),
      };
      await sql`create table t (id integer primary key)`.execute(db);
      await db.insertInto('t' as never).values({ id: 1 } as never).execute();
      await db.selectFrom('t' as never).selectAll().execute();
      await sql`select 1`.execute(db);
      await expect(sql`select * from missing_table`.execute(db)).rejects.toThrow();
      expect(await count('qala_db_query_duration_seconds', { operation: 'insert', outcome: 'ok' })).toBe(before.insert + 1);
      expect(await count('qala_db_query_duration_seconds', { operation: 'select', outcome: 'ok' })).toBe(before.select + 2);
      expect(await count('qala_db_query_duration_seconds', { operation: 'select', outcome: 'error' })).toBe(before.failed + 1);
    } finally {
      await db.destroy();
    }
  });

  it('counts sign-ins by outcome', async () => {
    const before = (await sample('qala_sign_ins_total', { outcome: 'throttled' })) ?? 0;
    recordSignIn('throttled');
    recordSignIn('failed');
    expect(await sample('qala_sign_ins_total', { outcome: 'throttled' })).toBe(before + 1);
    expect(await sample('qala_sign_ins_total', { outcome: 'failed' })).toBeGreaterThanOrEqual(1);
  });

  it('records job runs: outcome, duration and the time of the last success', async () => {
    const startedAt = Date.now() / 1000;
    recordJobRun('unit-test-job', 'succeeded', 0.25);
    recordJobRun('unit-test-job', 'failed', 2);
    recordJobRun('unit-test-job', 'skipped', 0);
    expect(await sample('qala_job_runs_total', { job: 'unit-test-job', outcome: 'succeeded' })).toBe(1);
    expect(await sample('qala_job_runs_total', { job: 'unit-test-job', outcome: 'failed' })).toBe(1);
    expect(await sample('qala_job_runs_total', { job: 'unit-test-job', outcome: 'skipped' })).toBe(1);
    // A skipped run did no work: it is not timed.
    expect(await count('qala_job_duration_seconds', { job: 'unit-test-job' })).toBe(2);
    expect(await sample('qala_job_duration_seconds_sum', { job: 'unit-test-job' }, 'qala_job_duration_seconds_sum')).toBeCloseTo(2.25);
    expect(await sample('qala_job_last_success_timestamp_seconds', { job: 'unit-test-job' })).toBeGreaterThanOrEqual(Math.floor(startedAt));
    const text = await qalaMetrics().registry.metrics();
    expect(text).toContain('qala_job_runs_total{job="unit-test-job",outcome="failed"} 1');
  });

  it('reads the mail queue depth from the source set last, at every scrape', async () => {
    expect(await qalaMetrics().registry.metrics()).not.toMatch(/^qala_mail_queue\{/m);
    let queued = 3;
    setMailQueueSource(async () => ({ queued, sent: 10, failed: 1 }));
    expect(await qalaMetrics().registry.metrics()).toContain('qala_mail_queue{state="queued"} 3');
    queued = 0;
    const text = await qalaMetrics().registry.metrics();
    expect(text).toContain('qala_mail_queue{state="queued"} 0');
    expect(text).toContain('qala_mail_queue{state="failed"} 1');

    // A state the new source no longer reports disappears rather than keeping an old figure.
    setMailQueueSource(() => ({ sent: 11 }));
    const replaced = await qalaMetrics().registry.metrics();
    expect(replaced).toContain('qala_mail_queue{state="sent"} 11');
    expect(replaced).not.toContain('qala_mail_queue{state="queued"}');
  });

  it('still answers when the mail queue cannot be counted, without a stale figure', async () => {
    setMailQueueSource(() => ({ queued: 5 }));
    await qalaMetrics().registry.metrics();
    setMailQueueSource(async () => {
      throw new Error('database unavailable');
    });
    const text = await qalaMetrics().registry.metrics();
    expect(text).toContain('qala_sign_ins_total');
    expect(text).not.toMatch(/^qala_mail_queue\{/m);
  });
});
