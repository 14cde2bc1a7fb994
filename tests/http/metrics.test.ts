import { describe, expect, it } from 'vitest';
import { postForm } from '../helpers/http.ts';
import { useServer } from '../helpers/server.ts';
import { request, SIGN_IN } from './support.ts';

const TOKEN = 'test-metrics-token-0123456789abcdef';
const withMetrics = useServer({ env: { METRICS_TOKEN: TOKEN } });
const withoutMetrics = useServer();

function scrape(headers: Record<string, string> = { Authorization: `Bearer ${TOKEN}` }): Promise<Response> {
  return request(withMetrics.url, '/metrics', { headers });
}

/**
 * A scrape that shows what `ready` waits for. A request is counted when its response
 * has been handed to the socket, which the client may see a moment before: a few
 * scrapes (not a timer) close that gap.
 */
async function scrapeShowing(ready: (text: string) => boolean): Promise<string> {
  let text = '';
  for (let attempt = 0; attempt < 20; attempt++) {
    text = await (await scrape()).text();
    if (ready(text)) break;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return text;
}

/** The value of the series written exactly as `series` (name and labels) in a scrape, or undefined. */
function valueOf(text: string, series: string): number | undefined {
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('GET /metrics', () => {
  it('does not exist without METRICS_TOKEN', async () => {
    const response = await request(withoutMetrics.url, '/metrics', { headers: { Authorization: `Bearer ${TOKEN}` } });
    expect(response.status).toBe(404);
    expect(await response.text()).not.toContain('qala_');
  });

  it('asks for the bearer token, and refuses a wrong one', async () => {
    const refused: Record<string, string>[] = [{}, { Authorization: 'Bearer wrong-token-wrong-token-wrong' }, { Authorization: `Basic ${TOKEN}` }, { Authorization: `Bearer ${TOKEN}0` }];
    for (const headers of refused) {
      const response = await scrape(headers);
      expect(response.status, JSON.stringify(headers)).toBe(401);
      expect(response.headers.get('www-authenticate')).toBe('Bearer realm="metrics"');
      expect(await response.text()).not.toContain('qala_');
    }
  });

  it('answers in the Prometheus text format, with Node’s heap, memory and event-loop lag', async () => {
    const response = await scrape();
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(response.headers.get('cache-control')).toBe('no-store');
    const text = await response.text();
    expect(text).toContain('# TYPE qala_http_request_duration_seconds histogram');
    for (const name of ['process_resident_memory_bytes', 'nodejs_heap_size_used_bytes']) expect(valueOf(text, name), name).toBeGreaterThan(0);
    // An idle process may measure no lag at all.
    for (const name of ['nodejs_eventloop_lag_seconds', 'nodejs_eventloop_lag_p99_seconds']) expect(valueOf(text, name), name).toBeGreaterThanOrEqual(0);
  });

  it('counts requests by route pattern, never by address, with static files as one route', async () => {
    expect((await request(withMetrics.url, '/en/exchange/12345/')).status).toBeLessThan(500);
    expect((await request(withMetrics.url, '/kk/exchange/777/')).status).toBeLessThan(500);
    expect((await request(withMetrics.url, '/en/indicators/')).status).toBe(200);
    expect((await request(withMetrics.url, '/en/no-such-page-here/')).status).toBe(404);
    expect((await request(withMetrics.url, '/healthz')).status).toBe(200);

    const text = await scrapeShowing((scraped) => scraped.includes('route="/healthz"'));
    const exchange = text.split('\n').filter((line) => line.startsWith('qala_http_request_duration_seconds_count{route="/[lang]/exchange/[id]/",method="GET"'));
    expect(exchange.reduce((sum, line) => sum + Number(line.split(' ').pop()), 0)).toBe(2);
    expect(valueOf(text, 'qala_http_request_duration_seconds_count{route="static",method="GET",status_class="2xx"}')).toBeGreaterThanOrEqual(1);
    expect(valueOf(text, 'qala_http_request_duration_seconds_count{route="unmatched",method="GET",status_class="4xx"}')).toBe(1);
    expect(valueOf(text, 'qala_http_request_duration_seconds_count{route="/healthz",method="GET",status_class="2xx"}')).toBe(1);
    expect(text).not.toContain('12345');
    expect(text).not.toContain('no-such-page-here');
  });

  it('times database statements and counts failed sign-ins', async () => {
    const before = valueOf(await (await scrape()).text(), 'qala_sign_ins_total{outcome="failed"}') ?? 0;
    const response = await postForm(withMetrics.url, SIGN_IN, { email: 'nobody@example.org', password: 'not-the-password' });
    expect(response.status).toBe(401);

    const text = await scrapeShowing((scraped) => scraped.includes('route="/[lang]/sign-in/",method="POST"'));
    expect(valueOf(text, 'qala_sign_ins_total{outcome="failed"}')).toBe(before + 1);
    expect(valueOf(text, 'qala_http_request_duration_seconds_count{route="/[lang]/sign-in/",method="POST",status_class="4xx"}')).toBe(1);
    expect(valueOf(text, 'qala_db_query_duration_seconds_count{operation="select",outcome="ok"}')).toBeGreaterThan(0);
    expect(valueOf(text, 'qala_db_query_duration_seconds_count{operation="insert",outcome="ok"}')).toBeGreaterThan(0);
  });
});
