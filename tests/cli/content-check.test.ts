import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createDatabase } from '~/server/db/connection.ts';
import { migrateToLatest } from '~/server/db/migrate.ts';
import { temporaryDirectory } from '../helpers/database.ts';
import { insertPortalItemRow } from '../helpers/portal-items.ts';

/**
 * `qala content check`, the step of `npm run build` (scripts/build-entry.mjs) that fails
 * the build when a portal item has a content file's slug: exit 1 with a message naming
 * both; a fresh clone (no database) and a clean database pass.
 */

const dir = temporaryDirectory('qala-content-check-');
afterAll(() => dir.remove());

function check(options: { cwd?: string; databaseUrl?: string } = {}) {
  const result = spawnSync(process.execPath, [join(process.cwd(), 'dist', 'qala.mjs'), 'content', 'check'], {
    cwd: options.cwd ?? process.cwd(),
    env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'warn', ...(options.databaseUrl ? { DATABASE_URL: options.databaseUrl } : {}) },
    encoding: 'utf8',
  });
  return { code: result.status, out: result.stdout, err: result.stderr };
}

async function databaseWithItem(file: string, slug: string): Promise<number> {
  const db = createDatabase(join(dir.path, file));
  try {
    await migrateToLatest(db);
    return await insertPortalItemRow(db, { collection: 'news', slug, state: 'scheduled' });
  } finally {
    await db.destroy();
  }
}

describe('content check', () => {
  it('passes a fresh clone (no db/qala.db yet) with a one-line note', () => {
    const clone = join(dir.path, 'clone');
    mkdirSync(join(clone, 'content'), { recursive: true });
    const result = check({ cwd: clone });
    expect(result).toMatchObject({ code: 0, err: '' });
    expect(result.out.trim().split('\n')).toEqual([expect.stringMatching(/^content check: no database at .*db\/qala\.db yet/)]);
  });

  it('fails naming the content file and the portal item (its editor page) when their slugs are one', async () => {
    const itemId = await databaseWithItem('clash.db', 'portal-launch');
    const result = check({ databaseUrl: `file:${join(dir.path, 'clash.db')}` });
    expect(result.code).toBe(1);
    expect(result.err).toContain('content/news/ru/portal-launch.md');
    expect(result.err).toContain(`portal item ${itemId} (scheduled, /kk/editor/content/${itemId}/)`);
  });

  it('passes a database whose portal items have slugs of their own', async () => {
    await databaseWithItem('clean.db', 'a-slug-of-its-own');
    const result = check({ databaseUrl: `file:${join(dir.path, 'clean.db')}` });
    expect(result).toMatchObject({ code: 0, err: '' });
    expect(result.out).toContain('no portal item');
  });
});
