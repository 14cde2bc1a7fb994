import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { testEngine } from '../helpers/database.ts';
import { postForm } from '../helpers/http.ts';
import { message } from '../helpers/knowledge.ts';
import { useServer } from '../helpers/server.ts';
import { htmlLang, request } from './support.ts';

/**
 * Another process (a backup tool, a migration, a second writer) holding SQLite's write
 * lock on the server's file. better-sqlite3 waits synchronously, so a long wait for
 * the lock used to stop the whole server; now a write waits without blocking anything
 * else, and one that cannot get the lock in time answers 503 "try again", never 500.
 * SQLite only: PostgreSQL's driver is asynchronous and has no file lock to take.
 */
const FIXTURE = join(process.cwd(), 'tests', 'fixtures', 'lock-holder.mjs');
const FEEDBACK = '/ru/feedback/?_action=feedback.submit';

/** Starts a process holding the write lock for `ms`; resolves once it holds it. */
async function holdLock(databasePath: string, ms: number) {
  const child = spawn(process.execPath, [FIXTURE, databasePath, String(ms)], { stdio: ['ignore', 'pipe', 'inherit'] });
  let said = '';
  const released = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      said += chunk.toString();
      if (said.includes('locked')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`the lock holder exited with ${code} before locking`)));
  });
  return { isReleased: () => said.includes('released'), released };
}

describe.skipIf(testEngine() === 'postgres')('a write lock held by another process', () => {
  const server = useServer();
  const sendFeedback = async () => {
    const response = await postForm(server.url, FEEDBACK, { page: '/ru/about/', helpful: 'yes' });
    return { status: response.status, retryAfter: response.headers.get('retry-after'), body: await response.text() };
  };

  it('does not hold up /healthz, static files or pages while a write waits, and the write then goes through', async () => {
    const lock = await holdLock(server.databasePath, 3000);
    const write = sendFeedback();
    let writeAnswered = false;
    void write.then(() => (writeAnswered = true));

    const health = await request(server.url, '/healthz');
    const page = await request(server.url, '/en/about/');
    const icon = await request(server.url, '/favicon.svg');
    const signInPage = await request(server.url, '/en/sign-in/');
    // All four answered while the other process still held the lock and the write waited.
    expect(lock.isReleased()).toBe(false);
    expect(writeAnswered).toBe(false);
    expect([health.status, page.status, icon.status, signInPage.status]).toEqual([200, 200, 200, 200]);
    expect(await health.json()).toEqual({ status: 'ok', database: 'ok' });

    const answer = await write;
    expect(lock.isReleased()).toBe(true);
    expect(answer.status).not.toBe(500);
    if (answer.status === 503) expect(answer.body).toContain(message('ru', 'error.busy'));
    else expect(answer.body).toContain(message('ru', 'feedback.thanks'));
    await lock.released;
  });

  it('answers a write that cannot get the lock in time with 503 and "try again" in the reader\'s language', async () => {
    const lock = await holdLock(server.databasePath, 7000);
    const answer = await sendFeedback();
    expect(lock.isReleased()).toBe(false);
    expect(answer.status).toBe(503);
    expect(answer.retryAfter).toBe('5');
    expect(htmlLang(answer.body)).toBe('ru');
    expect(answer.body).toContain(message('ru', 'error.busy'));
    // The server is as good as ever once the lock is gone.
    await lock.released;
    expect((await sendFeedback()).status).toBe(200);
  });
});
