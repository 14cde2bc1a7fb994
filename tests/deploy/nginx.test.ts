import { sql } from 'kysely';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { temporaryDirectory } from '../helpers/database.ts';
import { readRows } from '../helpers/server-database.ts';
import { startServer, type RunningServer } from '../helpers/server.ts';
import { DEPLOY, freePort, https, NGINX, render, selfSignedCertificate, startNginx, toolAvailable, type RunningNginx } from './support.ts';

/**
 * The shipped nginx site (deploy/nginx/qala.conf), rendered for the test (ports, paths,
 * a self-signed certificate), run by Debian's nginx in front of two built Qala
 * instances on one SQLite file, set up as deploy/qala.env sets them up (production,
 * TRUST_PROXY=1). Without /usr/sbin/nginx the file is skipped with a notice, except
 * with CI=true, where .ci/run installs it.
 */
const available = toolAvailable(NGINX, 'the nginx deployment test', true);

const HOST = 'qala.example.org';
const ORIGIN = `https://${HOST}`;
const SIGN_IN = '/en/sign-in/?_action=auth.signIn';

let folder: ReturnType<typeof temporaryDirectory>;
let a: RunningServer | undefined;
let b: RunningServer | undefined;
let nginx: RunningNginx | undefined;
let target: { port: number; host: string; ca: string };
let plainPort: number;

beforeAll(async () => {
  if (!available) return;
  folder = temporaryDirectory('qala-nginx-');
  const env = { NODE_ENV: 'production', ORIGIN, TRUST_PROXY: '1', DEMO_DATA: 'false' };
  const databasePath = join(folder.path, 'qala.db');
  // One after the other, as the units' migration lock makes them on a server.
  a = await startServer({ databasePath, env });
  b = await startServer({ databasePath, env });

  const certificate = selfSignedCertificate(folder.path, HOST);
  const acme = join(folder.path, 'acme');
  mkdirSync(join(acme, '.well-known', 'acme-challenge'), { recursive: true });
  writeFileSync(join(acme, '.well-known', 'acme-challenge', 'token-1'), 'challenge answer');
  const [tlsPort, httpPort] = [await freePort(), await freePort()];
  plainPort = httpPort;
  const site = render(readFileSync(join(DEPLOY, 'nginx', 'qala.conf'), 'utf8'), [
    ['server 127.0.0.1:4321 ', `server 127.0.0.1:${a.port} `],
    ['server 127.0.0.1:4322 ', `server 127.0.0.1:${b.port} `],
    ['listen 80;', `listen 127.0.0.1:${httpPort};`],
    ['listen [::]:80;', ''],
    ['listen 443 ssl http2;', `listen 127.0.0.1:${tlsPort} ssl http2;`],
    ['listen [::]:443 ssl http2;', ''],
    ['/etc/letsencrypt/live/qala.example.org/fullchain.pem', certificate.cert],
    ['/etc/letsencrypt/live/qala.example.org/privkey.pem', certificate.key],
    ['/var/cache/nginx-qala', join(folder.path, 'cache')],
    ['/var/www/html', acme],
  ]);
  nginx = await startNginx(join(folder.path, 'nginx'), site, [tlsPort, httpPort]);
  target = { port: tlsPort, host: HOST, ca: certificate.pem };
});

afterAll(async () => {
  await nginx?.stop();
  await Promise.all([a?.stop(), b?.stop()]);
  folder?.remove();
});

/** A failed sign-in through nginx from the client at `localAddress`, claiming to be `spoofed`. */
function failedSignIn(email: string, localAddress: string, spoofed: string) {
  return https(target, SIGN_IN, {
    method: 'POST',
    localAddress,
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: ORIGIN, 'X-Forwarded-For': spoofed },
    body: new URLSearchParams({ email, password: 'not-the-password' }).toString(),
  });
}

/**
 * Which of the two instances answered the requests with these ids (X-Request-Id, in each
 * one's log). A log line is written as the answer leaves, and read from the instance's
 * output a moment later: a few looks (not a timer) wait for every id to show up.
 */
async function answeredBy(ids: string[]): Promise<{ a: number; b: number }> {
  let counts = { a: 0, b: 0 };
  for (let look = 0; look < 40; look++) {
    counts = { a: ids.filter((id) => a!.stdout().includes(id)).length, b: ids.filter((id) => b!.stdout().includes(id)).length };
    if (counts.a + counts.b === ids.length) break;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return counts;
}

describe.skipIf(!available)('nginx in front of two Qala instances (deploy/nginx/qala.conf)', () => {
  it('serves rendered pages and static files over TLS, with Qala’s headers', async () => {
    const page = await https(target, '/en/sign-in/');
    expect(page.status).toBe(200);
    expect(page.body).toContain('<html lang="en"');
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(page.headers['strict-transport-security']).toBeDefined();
    expect(page.headers.server).toBe('nginx');

    const prerendered = await https(target, '/en/indicators/');
    expect(prerendered.status).toBe(200);
    expect(prerendered.body).toContain('<html lang="en"');
  });

  it('keeps the build’s hashed files for a long time, in browsers and in its own cache', async () => {
    const page = await https(target, '/en/sign-in/');
    const asset = page.body.match(/(?:href|src)="(\/_astro\/[^"]+)"/)?.[1];
    expect(asset).toBeDefined();
    const first = await https(target, asset!);
    expect(first.status).toBe(200);
    expect(first.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    const second = await https(target, asset!);
    expect(second.status).toBe(200);
    expect(second.headers['x-cache-status']).toBe('HIT');
    expect(second.body).toBe(first.body);
  });

  it('redirects plain http to https and answers certificate challenges there', async () => {
    const plain = { port: plainPort, host: HOST };
    const redirect = await https(plain, '/en/?x=1');
    expect(redirect.status).toBe(301);
    expect(redirect.headers.location).toBe(`https://${HOST}/en/?x=1`);
    const challenge = await https(plain, '/.well-known/acme-challenge/token-1');
    expect(challenge.status).toBe(200);
    expect(challenge.body).toBe('challenge answer');
  });

  it('hides /metrics and refuses bodies over the size limit', async () => {
    expect((await https(target, '/metrics')).status).toBe(404);
    const large = await https(target, SIGN_IN, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: ORIGIN },
      body: Buffer.alloc(11 * 1024 * 1024, 'a'),
    });
    expect(large.status).toBe(413);
  });

  it('spreads requests over both instances', async () => {
    const ids: string[] = [];
    for (let count = 0; count < 6; count++) {
      const answer = await https(target, '/en/sign-in/');
      expect(answer.status).toBe(200);
      ids.push(String(answer.headers['x-request-id']));
    }
    const served = await answeredBy(ids);
    expect(served.a + served.b).toBe(6);
    expect(served.a).toBeGreaterThan(0);
    expect(served.b).toBeGreaterThan(0);
  });

  it('Qala sees and throttles the real client address, not one the client wrote in X-Forwarded-For', async () => {
    const email = 'guessed-account@example.org';
    // Five failures from one client, each claiming another address: they count together.
    for (let attempt = 1; attempt <= 5; attempt++) {
      const answer = await failedSignIn(email, '127.0.0.2', `203.0.113.${attempt}`);
      expect(answer.status, `attempt ${attempt}`).toBe(401);
    }
    expect((await failedSignIn(email, '127.0.0.2', '203.0.113.99')).status).toBe(429);
    // Another client is not held back by the first one's failures.
    expect((await failedSignIn(email, '127.0.0.3', '127.0.0.2')).status).toBe(401);

    const rows = await readRows<{ action: string; client_address: string }>(
      `file:${a!.databasePath}`,
      sql`select action, client_address from audit_log where target_id = ${email} order by id`,
    );
    expect(rows.map((row) => `${row.action} ${row.client_address}`)).toEqual([
      ...Array.from({ length: 5 }, () => 'sign_in.failed 127.0.0.2'),
      'sign_in.throttled 127.0.0.2',
      'sign_in.failed 127.0.0.3',
    ]);
  });

  it('with one instance stopped, the other answers every request', async () => {
    await a!.stop();
    const ids: string[] = [];
    for (let count = 0; count < 6; count++) {
      const answer = await https(target, count % 2 === 0 ? '/en/sign-in/' : '/en/about/');
      expect(answer.status, `request ${count}`).toBe(200);
      ids.push(String(answer.headers['x-request-id']));
    }
    expect(await answeredBy(ids)).toEqual({ a: 0, b: 6 });
    const signIn = await failedSignIn('after-failover@example.org', '127.0.0.4', '198.51.100.1');
    expect(signIn.status).toBe(401);
    expect(nginx!.errorLog()).toMatch(/connect\(\) failed \(111: Connection refused\)/);
  });
});
