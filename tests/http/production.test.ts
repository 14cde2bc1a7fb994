import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServerDatabase, temporaryDirectory, type ServerDatabase } from '../helpers/database.ts';
import { cookieFrom, postForm } from '../helpers/http.ts';
import { DEMO_PASSWORD, startServer, type RunningServer } from '../helpers/server.ts';
import { cookieAttributes, request, setCookieLine, setsSession, SIGN_IN } from './support.ts';

const ORIGIN = 'https://qala.example.org';
const ENTRY = join(process.cwd(), 'dist', 'qala.mjs');
const COOKIE = '__Host-qala_session';
const ADMIN = { email: 'boss@example.org', password: 'a-long-admin-password-2026' };

const dir = temporaryDirectory('qala-production-');

let database: ServerDatabase | undefined;
let server: RunningServer;

/**
 * A deployment as production has it: dist/ copied to a folder of its own, with the packages
 * but no .astro/ and no Astro cache (node_modules/.astro/): the server must read its content
 * store from dist/ (src/build/data-store-read-at-run-time.ts).
 */
function deployedCopy(): { root: string; entry: string } {
  if (!existsSync(ENTRY)) throw new Error('dist/qala.mjs is missing: run `npm run build` first (npm test does it).');
  const root = join(dir.path, 'deployed');
  cpSync(join(process.cwd(), 'dist'), join(root, 'dist'), { recursive: true });
  mkdirSync(join(root, 'node_modules'));
  for (const name of readdirSync(join(process.cwd(), 'node_modules'))) {
    if (['.astro', '.vite', '.cache'].includes(name)) continue;
    symlinkSync(join(process.cwd(), 'node_modules', name), join(root, 'node_modules', name));
  }
  return { root, entry: join(root, 'dist', 'qala.mjs') };
}
let deployed: { root: string; entry: string };

/** Runs the CLI with a clean environment; resolves with its exit code and output. */
function runCli(
  args: string[],
  env: Record<string, string>,
  input?: string,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      [ENTRY, ...args],
      { env: { PATH: process.env.PATH ?? '', CI: 'true', ...env }, timeout: 20_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : null) : 0;
        resolve({ code, stdout, stderr });
      },
    );
    child.stdin?.end(input ?? '');
  });
}

beforeAll(async () => {
  deployed = deployedCopy();
  database = await createServerDatabase();
  const created = await runCli(
    ['create-admin', '--email', ADMIN.email, '--name', 'Boss'],
    { NODE_ENV: 'production', DATABASE_URL: database.url, ORIGIN },
    ADMIN.password,
  );
  if (created.code !== 0) throw new Error(`create-admin failed (${created.code}):\n${created.stdout}${created.stderr}`);
  server = await startServer({
    entry: deployed.entry,
    cwd: deployed.root,
    databaseUrl: database.url,
    env: { NODE_ENV: 'production', DEMO_DATA: 'false', ORIGIN },
  });
});

afterAll(async () => {
  await server?.stop();
  await database?.remove();
  dir.remove();
});

describe('in production', () => {
  it('runs from a copy of dist/ alone: a page rendered on demand reads the content store built into dist/', async () => {
    expect(existsSync(join(deployed.root, '.astro'))).toBe(false);
    expect(existsSync(join(deployed.root, 'node_modules', '.astro'))).toBe(false);
    // Case pages are rendered on demand (astro.config.mjs), from the content collections.
    const response = await request(server.url, '/en/cases/ridder-heat-network/');
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('Ridder: renewing a worn-out district-heating network in phases');
  });

  it('responses carry Strict-Transport-Security', async () => {
    for (const path of ['/en/', '/en/sign-in/', '/healthz', '/']) {
      const response = await request(server.url, path);
      expect(response.headers.get('strict-transport-security'), path).toMatch(/max-age=\d+/);
    }
  });

  it('there are no demo accounts and no demo data is announced', async () => {
    const response = await postForm(
      server.url,
      SIGN_IN,
      { email: 'temirtau@example.org', password: DEMO_PASSWORD },
      { origin: ORIGIN },
    );
    expect(response.status).toBe(401);
    expect(setsSession(response, COOKIE)).toBe(false);
    expect(server.output()).not.toContain('demo data created');
    expect(server.output()).not.toContain(DEMO_PASSWORD);
  });

  it('an administrator created with the CLI signs in and gets a __Host- cookie that is Secure, HttpOnly, SameSite=Lax, Path=/', async () => {
    const response = await postForm(server.url, SIGN_IN, ADMIN, { origin: ORIGIN });
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/en/account/');
    expect(setCookieLine(response, 'qala_session')).toBeUndefined();
    const line = setCookieLine(response, COOKIE);
    expect(line).toBeDefined();
    const attributes = cookieAttributes(line!);
    expect(attributes).toHaveProperty('secure');
    expect(attributes).toHaveProperty('httponly');
    expect(attributes.samesite?.toLowerCase()).toBe('lax');
    expect(attributes.path).toBe('/');
    expect(attributes).not.toHaveProperty('domain');

    const account = await request(server.url, '/en/account/', { cookie: cookieFrom(response, COOKIE)! });
    expect(account.status).toBe(200);
    expect(await account.text()).toContain('Boss');
  });

  it('only the declared ORIGIN may post forms: the raw server address is refused', async () => {
    const response = await postForm(server.url, SIGN_IN, ADMIN, { origin: server.url });
    expect(response.status).toBe(403);
    expect(setsSession(response, COOKIE)).toBe(false);
  });

  it('forged X-Forwarded-Host and X-Forwarded-Proto do not make another origin acceptable', async () => {
    // Astro alone would build the request's origin from these headers and accept the post.
    const response = await postForm(server.url, SIGN_IN, ADMIN, {
      origin: 'http://evil.example',
      headers: { 'X-Forwarded-Host': 'evil.example', 'X-Forwarded-Proto': 'http' },
    });
    expect(response.status).toBe(403);
    expect(setsSession(response, COOKIE)).toBe(false);
  });
});

describe.concurrent('production refuses to start when misconfigured', () => {
  it('without DATABASE_URL it exits with code 2 naming DATABASE_URL', async () => {
    const result = await runCli(['serve'], { NODE_ENV: 'production', ORIGIN, HOST: '127.0.0.1', PORT: '0' });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('DATABASE_URL');
  });

  it('with DEMO_DATA=true it exits with code 2 naming DEMO_DATA', async () => {
    const result = await runCli(['serve'], {
      NODE_ENV: 'production',
      ORIGIN,
      DATABASE_URL: `file:${join(dir.path, 'unused.db')}`,
      DEMO_DATA: 'true',
      HOST: '127.0.0.1',
      PORT: '0',
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('DEMO_DATA');
  });

  it('without ORIGIN it exits with code 2 naming ORIGIN', async () => {
    const result = await runCli(['serve'], {
      NODE_ENV: 'production',
      DATABASE_URL: `file:${join(dir.path, 'unused.db')}`,
      HOST: '127.0.0.1',
      PORT: '0',
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('ORIGIN');
  });
});
