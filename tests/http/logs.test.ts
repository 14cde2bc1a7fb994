import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { postForm } from '../helpers/http.ts';
import { useServer } from '../helpers/server.ts';
import { withServerDatabase } from '../helpers/server-database.ts';
import { request } from './support.ts';

/**
 * What the server writes: standard output carries JSON log lines only (a log collector
 * reads it as is), one line per request at LOG_LEVEL=info (the helper's setting), and
 * an error's line has its stack and the request's id, which the response also carries.
 */
// A new empty database, which the server seeds itself: the demo accounts banner is printed then.
const server = useServer({ emptyDatabase: true });
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

type LogLine = Record<string, unknown>;

/** The JSON lines among everything the server printed (standard error also has Astro's own words). */
function jsonLines(text: string): LogLine[] {
  return text.split('\n').filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as LogLine);
}

/** The log line with `msg` about the request `requestId`, once the server has written it. */
async function lineFor(requestId: string, msg: string): Promise<LogLine> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const line = jsonLines(server.output()).find((entry) => entry.requestId === requestId && entry.msg === msg);
    if (line) return line;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`no "${msg}" line for request ${requestId} in:\n${server.output()}`);
}

describe('the server log', () => {
  it('has only JSON lines on standard output; the demo accounts banner goes to standard error', async () => {
    await request(server.url, '/healthz');
    // Astro prints a warning of its own for this one (through console.info).
    await request(server.url, '/_actions/feedback.submit');
    const stdout = server.stdout().split('\n').filter((line) => line !== '');
    expect(stdout.length).toBeGreaterThan(0);
    for (const line of stdout) expect(() => JSON.parse(line), line).not.toThrow();
    expect(server.stdout()).toContain('"msg":"listening"');
    expect(server.stdout()).not.toContain('Demo accounts');
    expect(server.output()).toContain('Demo accounts');
  });

  it('has one line per request with its method, path, status, duration and id, and no query value', async () => {
    const response = await request(server.url, '/en/password/reset/?token=kept-out-of-the-log&lang=en');
    const requestId = response.headers.get('x-request-id') ?? '';
    expect(requestId).toMatch(UUID);
    const line = await lineFor(requestId, 'request');
    expect(line).toMatchObject({ level: 'info', method: 'GET', path: '/en/password/reset/', query: ['token', 'lang'], status: response.status });
    expect(typeof line.ms).toBe('number');
    expect(server.output()).not.toContain('kept-out-of-the-log');
  });

  it('gives every request its own id, static files and /healthz too', async () => {
    const answers = await Promise.all(['/healthz', '/favicon.svg', '/en/about/', '/en/no-such-page/'].map((path) => request(server.url, path)));
    const ids = answers.map((answer) => answer.headers.get('x-request-id'));
    for (const id of ids) expect(id).toMatch(UUID);
    expect(new Set(ids).size).toBe(ids.length);
    const lines = await Promise.all(ids.map((id) => lineFor(id!, 'request')));
    expect(lines.map((line) => [line.path, line.status])).toEqual([['/healthz', 200], ['/favicon.svg', 200], ['/en/about/', 200], ['/en/no-such-page/', 404]]);
  });

  it('logs a page that fails with the error, its stack and the request id, which the page shows', async () => {
    // A real failure, no test hook: the table the cases list reads is gone for a moment.
    await withServerDatabase(server.databaseUrl, (db) => sql`alter table member_cases rename to member_cases_away`.execute(db));
    let response: Response;
    let body: string;
    try {
      response = await request(server.url, '/en/cases/');
      body = await response.text();
    } finally {
      await withServerDatabase(server.databaseUrl, (db) => sql`alter table member_cases_away rename to member_cases`.execute(db));
    }
    expect(response.status).toBe(500);
    const requestId = response.headers.get('x-request-id') ?? '';
    expect(requestId).toMatch(UUID);
    expect(body).toContain(requestId);
    const line = await lineFor(requestId, 'page failed');
    expect(line).toMatchObject({ level: 'error', path: '/en/cases/' });
    expect(String(line.error)).toMatch(/member_cases/);
    expect(String(line.stack)).toMatch(/\n\s+at /);
    expect(await lineFor(requestId, 'request')).toMatchObject({ status: 500 });
  });
  it('logs an action that fails with the error, its stack and the request id', async () => {
    await withServerDatabase(server.databaseUrl, (db) => sql`alter table page_feedback rename to page_feedback_away`.execute(db));
    let response: Response;
    try {
      response = await postForm(server.url, '/en/feedback/?_action=feedback.submit', { page: '/en/about/', helpful: 'yes' });
      await response.text();
    } finally {
      await withServerDatabase(server.databaseUrl, (db) => sql`alter table page_feedback_away rename to page_feedback`.execute(db));
    }
    expect(response.status).toBe(500);
    const requestId = response.headers.get('x-request-id') ?? '';
    expect(requestId).toMatch(UUID);
    const line = await lineFor(requestId, 'action failed');
    expect(line).toMatchObject({ level: 'error' });
    expect(String(line.error)).toMatch(/page_feedback/);
    expect(String(line.stack)).toMatch(/\n\s+at /);
  });
});
