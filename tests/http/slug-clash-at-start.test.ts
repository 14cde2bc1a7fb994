import { afterAll, describe, expect, it } from 'vitest';
import { migrateToLatest } from '~/server/db/migrate.ts';
import { createServerDatabase, type ServerDatabase } from '../helpers/database.ts';
import { insertPortalItemRow } from '../helpers/portal-items.ts';
import { withServerDatabase } from '../helpers/server-database.ts';
import { startServer, type RunningServer } from '../helpers/server.ts';

/**
 * A content file that arrived in a release after a portal item took its slug: the server
 * starts (it does not crash), logs the clash as an error naming both, and serves the
 * file's page at the address.
 */

let database: ServerDatabase | undefined;
let server: RunningServer | undefined;

afterAll(async () => {
  await server?.stop();
  await database?.remove();
});

describe('a slug clash at start', () => {
  it('is logged as an error naming the file and the portal item, and the server serves the file', async () => {
    database = await createServerDatabase();
    const itemId = await withServerDatabase(database.url, async (db) => {
      await migrateToLatest(db);
      // content/news/<lang>/portal-launch.md is a file of the release.
      return insertPortalItemRow(db, { collection: 'news', slug: 'portal-launch', state: 'published' });
    });
    server = await startServer({ databaseUrl: database.url });
    // Errors go to standard error (src/server/log.ts).
    const errors = server
      .output()
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as { level: string; msg: string; detail?: string; portalItem?: number; file?: string })
      .filter((entry) => entry.level === 'error' && entry.msg.includes('same slug'));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ portalItem: itemId, file: expect.stringMatching(/^content\/news\/(kk|ru|en)\/portal-launch\.md$/) });
    expect(errors[0]!.detail).toContain(`portal item ${itemId} (published, /kk/editor/content/${itemId}/)`);
    const page = await fetch(`${server.url}/ru/news/portal-launch/`);
    expect(page.status).toBe(200);
  });
});
