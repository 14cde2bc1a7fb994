import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { temporaryDirectory } from '../helpers/database.ts';
import { postForm } from '../helpers/http.ts';
import { readRows } from '../helpers/server-database.ts';
import { DEMO_PASSWORD, startServer } from '../helpers/server.ts';
import { DEPLOY, render, toolAvailable } from './support.ts';

const UNITS = join(DEPLOY, 'systemd');
const SYSTEMD_ANALYZE = '/usr/bin/systemd-analyze';
const verifiable = toolAvailable(SYSTEMD_ANALYZE, 'systemd-analyze verify of deploy/systemd/', false);

const folders: ReturnType<typeof temporaryDirectory>[] = [];
function folder(prefix: string): string {
  const made = temporaryDirectory(prefix);
  folders.push(made);
  return made.path;
}
afterAll(() => folders.forEach((made) => made.remove()));

/** The values of `key` in the [Service] section of a unit file's `text` (the units use no line continuations). */
function serviceValues(text: string, key: string): string[] {
  const start = text.indexOf('[Service]');
  const end = text.indexOf('\n[', start + 1);
  return text
    .slice(start, end === -1 ? undefined : end)
    .split('\n')
    .filter((line) => line.startsWith(`${key}=`))
    .map((line) => line.slice(key.length + 1));
}

/** A command line of a unit, split into words the way systemd splits them (quotes group words; `%%` and `$$` stand for `%` and `$`). */
function commandOf(line: string): string[] {
  const text = line.replaceAll('%%', '%').replaceAll('$$', '$');
  const words: string[] = [];
  for (const match of text.matchAll(/'([^']*)'|"([^"]*)"|(\S+)/g)) words.push(match[1] ?? match[2] ?? match[3]!);
  return words;
}

describe.skipIf(!verifiable)('the systemd units (deploy/systemd/)', () => {
  it('pass systemd-analyze verify', () => {
    const dir = folder('qala-units-');
    for (const unit of readdirSync(UNITS)) {
      let text = readFileSync(join(UNITS, unit), 'utf8');
      // The units name Debian's /usr/bin/node; a machine with Node elsewhere checks its own.
      if (!existsSync('/usr/bin/node')) text = text.replaceAll('/usr/bin/node', process.execPath);
      writeFileSync(join(dir, unit), text);
    }
    const checked = spawnSync(SYSTEMD_ANALYZE, ['verify', join(dir, 'qala@1.service'), join(dir, 'qala@2.service'), join(dir, 'qala-backup.service'), join(dir, 'qala-backup.timer')], { encoding: 'utf8' });
    // A setting systemd cannot parse is only a warning ("…, ignoring"): any word about our units fails.
    const complaints = `${checked.stdout}\n${checked.stderr}`.split('\n').filter((line) => line.includes('qala'));
    expect(complaints).toEqual([]);
    expect(checked.status).toBe(0);
  });
});

describe('the nightly backup, and restoring it', () => {
  it('qala-backup.service copies the running database and keeps 14 days; the README’s restore brings it back', async () => {
    const dir = folder('qala-backup-');
    const backups = join(dir, 'backups');
    mkdirSync(backups);
    const databasePath = join(dir, 'qala.db');
    const server = await startServer({ databasePath });
    const marker = (email: string) => postForm(server.url, '/en/sign-in/?_action=auth.signIn', { email, password: 'not-the-password' });
    const markers = () => readRows<{ target_id: string }>(`file:${databasePath}`, sql`select target_id from audit_log where action = 'sign_in.failed' and target_id like 'backup-%' order by id`);
    let restored: Awaited<ReturnType<typeof startServer>> | undefined;
    try {
      expect((await marker('backup-before@example.org')).status).toBe(401);

      // The service's own command lines, with this machine's paths.
      const unit = render(readFileSync(join(UNITS, 'qala-backup.service'), 'utf8'), [['/var/backups/qala', backups], ['/usr/bin/node', process.execPath]]);
      const environment = { PATH: process.env.PATH ?? '', DATABASE_URL: `file:${databasePath}` };
      const [start] = serviceValues(unit, 'ExecStart');
      const [prune] = serviceValues(unit, 'ExecStartPost');
      const old = join(backups, 'qala-20200101T023000Z.db');
      writeFileSync(old, 'a backup from long ago');
      utimesSync(old, new Date('2020-01-01'), new Date('2020-01-01'));
      const recent = join(backups, 'qala-recent-by-hand.db');
      writeFileSync(recent, 'kept');
      for (const line of [start!, prune!]) {
        const [command, ...args] = commandOf(line);
        const ran = spawnSync(command!, args, { cwd: process.cwd(), env: environment, encoding: 'utf8' });
        expect(ran.status, `${line}\n${ran.stderr}`).toBe(0);
      }
      const made = readdirSync(backups).filter((name) => /^qala-\d{8}T\d{6}Z\.db$/.test(name));
      expect(made).toHaveLength(1);
      expect(existsSync(old)).toBe(false);
      expect(existsSync(recent)).toBe(true);

      // Written after the backup: gone once it is restored.
      expect((await marker('backup-after@example.org')).status).toBe(401);
      expect((await markers()).map((row) => row.target_id)).toEqual(['backup-before@example.org', 'backup-after@example.org']);

      // The README's restore: stop Qala, set the database and its -wal and -shm aside, put the copy in place, start.
      await server.stop();
      for (const suffix of ['', '-wal', '-shm']) {
        if (existsSync(databasePath + suffix)) renameSync(databasePath + suffix, join(dir, `before-restore-qala.db${suffix}`));
      }
      copyFileSync(join(backups, made[0]!), databasePath);
      restored = await startServer({ databasePath });
      expect((await markers()).map((row) => row.target_id)).toEqual(['backup-before@example.org']);
      const health = await fetch(`${restored.url}/healthz`);
      expect(await health.json()).toEqual({ status: 'ok', database: 'ok' });
      const signIn = await postForm(restored.url, '/en/sign-in/?_action=auth.signIn', { email: 'ridder@example.org', password: DEMO_PASSWORD });
      expect(signIn.status).toBe(303);
    } finally {
      await server.stop();
      await restored?.stop();
    }
  });
});
