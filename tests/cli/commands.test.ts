import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { verifyPassword } from '~/server/auth/password.ts';
import { temporaryDirectory } from '../helpers/database.ts';

const dir = temporaryDirectory('qala-cli-');
afterAll(() => dir.remove());

/** Runs the built CLI the way an operator would, with a password piped in. */
function qala(args: string[], options: { env?: Record<string, string>; input?: string } = {}) {
  const result = spawnSync(process.execPath, [join(process.cwd(), 'dist', 'qala.mjs'), ...args], {
    input: options.input ?? '',
    env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'warn', ...options.env },
    encoding: 'utf8',
  });
  return { code: result.status, out: result.stdout, err: result.stderr };
}

const productionEnv = (file: string) => ({ NODE_ENV: 'production', DATABASE_URL: `file:${join(dir.path, file)}`, ORIGIN: 'https://qala.example.org' });

describe('the command line', () => {
  it('migrate builds the schema on an empty database and reports it is up to date', () => {
    const env = productionEnv('migrate.db');
    const result = qala(['migrate'], { env });
    expect(result).toMatchObject({ code: 0 });
    expect(result.out).toContain('Database is up to date.');
    const sqlite = new Database(join(dir.path, 'migrate.db'), { readonly: true });
    const tables = sqlite.prepare("select name from sqlite_master where type = 'table'").all() as Array<{ name: string }>;
    sqlite.close();
    expect(tables.map((table) => table.name)).toEqual(expect.arrayContaining(['towns', 'users', 'sessions', 'rate_limits']));
  });

  it('create-admin creates the first administrator in production, with a hashed password', async () => {
    const env = productionEnv('admin.db');
    const result = qala(['create-admin', '--email', 'Chair@Association.kz', '--name', 'Saule Omarova'], { env, input: 'a long passphrase for 2026\n' });
    expect(result.err).toBe('');
    expect(result).toMatchObject({ code: 0 });
    const sqlite = new Database(join(dir.path, 'admin.db'), { readonly: true });
    const users = sqlite.prepare('select email, role, display_name, password_hash from users').all() as Array<Record<string, string>>;
    sqlite.close();
    expect(users).toHaveLength(1);
    expect(users[0]).toMatchObject({ email: 'chair@association.kz', role: 'admin', display_name: 'Saule Omarova' });
    expect(await verifyPassword(users[0]!.password_hash!, 'a long passphrase for 2026')).toBe(true);
  });

  it('create-admin refuses a weak password, a taken email and missing arguments, explaining why', () => {
    const env = productionEnv('refusals.db');
    const weak = qala(['create-admin', '--email', 'a@example.org', '--name', 'A'], { env, input: 'password123\n' });
    expect(weak.code).toBe(2);
    expect(weak.err).toContain('commonly used');
    const short = qala(['create-admin', '--email', 'a@example.org', '--name', 'A'], { env, input: 'short\n' });
    expect(short.err).toContain('at least 8 characters');
    expect(qala(['create-admin', '--email', 'a@example.org', '--name', 'A'], { env, input: 'a fine long password\n' }).code).toBe(0);
    const taken = qala(['create-admin', '--email', 'A@example.org', '--name', 'A'], { env, input: 'another fine password\n' });
    expect(taken.code).toBe(2);
    expect(taken.err).toContain('already exists');
    const missing = qala(['create-admin'], { env });
    expect(missing.code).toBe(2);
    expect(missing.err).toContain('--email');
  });

  it('stops with a message naming the variable when configuration is bad', () => {
    const result = qala(['migrate'], { env: { PORT: 'eighty' } });
    expect(result.code).toBe(2);
    expect(result.err).toContain('PORT');
    expect(result.err).not.toMatch(/\n\s+at /);
  });

  it('explains its commands and refuses an unknown one', () => {
    const result = qala(['frobnicate']);
    expect(result.code).toBe(2);
    expect(result.out).toContain('create-admin');
  });
});

describe('backup', () => {
  it('copies the database consistently to a new file, and refuses to overwrite one', () => {
    const env = productionEnv('live.db');
    qala(['create-admin', '--email', 'keep@example.org', '--name', 'Keep'], { env, input: 'a fine long password\n' });
    const target = join(dir.path, 'backup.db');
    expect(qala(['backup', '--to', target], { env }).code).toBe(0);
    const copy = new Database(target, { readonly: true });
    expect(copy.prepare('select email from users').all()).toEqual([{ email: 'keep@example.org' }]);
    copy.close();
    const again = qala(['backup', '--to', target], { env });
    expect(again.code).toBe(2);
    expect(again.err).toContain('already exists');
  });

  it('refuses to back up a database file that does not exist, and creates none', () => {
    const env = productionEnv('missing.db');
    const result = qala(['backup', '--to', join(dir.path, 'missing-backup.db')], { env });
    expect(result.code).toBe(2);
    expect(result.err).toContain('no database');
    expect(existsSync(join(dir.path, 'missing.db'))).toBe(false);
  });
});
