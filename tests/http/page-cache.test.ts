import { request as send } from 'node:http';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SIGNED_IN_HINT } from '~/lib/signed-in-hint.ts';
import { findUserByEmail } from '~/server/accounts/users.ts';
import type { CurrentUser } from '~/server/auth/lucia.ts';
import { unpublishCase } from '~/server/cases/review.ts';
import { createEditorialItem, createPageFromFiles, publishEditorialItem, saveEditorialText, withdrawEditorialItem } from '~/server/editorial/workflows.ts';
import type { Database } from '~/server/db/schema.ts';
import { saveTownProfile } from '~/server/towns/profile.ts';
import { findTownBySlug } from '~/server/towns/towns.ts';
import { renamedTownInput } from '../helpers/fixtures.ts';
import { signIn } from '../helpers/http.ts';
import { withServerDatabase } from '../helpers/server-database.ts';
import { DEMO_PASSWORD, startServer, type RunningServer } from '../helpers/server.ts';

/**
 * The anonymous page cache (src/node/page-cache.ts): a kept page is the same answer, byte
 * for byte and header for header; signed-in readers never get one; a change made through
 * another database handle (another instance or worker) shows at the next request.
 */
let server: RunningServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server?.stop());

interface RawAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** A GET as a browser sends it, the body left encoded. */
function get(path: string, headers: Record<string, string> = {}): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const outgoing = send(server.url + path, { headers: { 'Accept-Encoding': 'br, gzip', ...headers } }, (incoming) => {
      const chunks: Buffer[] = [];
      incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
      incoming.on('end', () => resolve({ status: incoming.statusCode ?? 0, headers: incoming.headers, body: Buffer.concat(chunks) }));
    });
    outgoing.on('error', reject);
    outgoing.end();
  });
}

/** The page's text, whatever its encoding. */
async function text(path: string, headers: Record<string, string> = {}): Promise<string> {
  const response = await fetch(server.url + path, { headers });
  expect(response.status).toBe(200);
  return response.text();
}

/** An account of the association's staff (no town) as the domain functions take it. */
async function staff(db: Kysely<Database>, email: string): Promise<CurrentUser> {
  const user = (await findUserByEmail(db, email))!;
  return { id: user.id, email: user.email, displayName: user.display_name, role: user.role, language: 'en', disabled: false, town: null };
}

/** The headers that differ per answer by nature. */
function comparable(headers: RawAnswer['headers']): RawAnswer['headers'] {
  const { date: _date, 'x-request-id': _id, ...rest } = headers;
  return rest;
}

describe('the anonymous page cache', () => {
  it('sends a kept page again with the same bytes and headers, security headers included, and its own request id', async () => {
    for (const encoding of ['br', 'gzip', 'identity']) {
      const first = await get('/en/towns/', { 'Accept-Encoding': encoding });
      const second = await get('/en/towns/', { 'Accept-Encoding': encoding });
      expect(first.status).toBe(200);
      expect(second.status).toBe(200);
      expect(second.body.equals(first.body)).toBe(true);
      expect(comparable(second.headers)).toEqual(comparable(first.headers));
      expect(second.headers['content-security-policy']).toBeTruthy();
      expect(second.headers['x-request-id']).not.toBe(first.headers['x-request-id']);
      expect(String(second.headers['content-encoding'] ?? 'identity')).toBe(encoding);
    }
  });

  it('keeps a page for anonymous readers, but a signed-in reader (or one with the signed-in hint) gets it rendered anew', async () => {
    // A public dialogue topic, retitled: the dialogue list reads its topics on every render
    // (the groups list would not do: its groups, member towns and town names are all kept in
    // process until their change counters move, which a change behind the portal's back skips).
    const topic = await withServerDatabase(server.databaseUrl, (db) =>
      db.selectFrom('dialogue_topics').select(['id', 'title']).where('public', '=', 1).where('approved_at', 'is not', null).orderBy('id').executeTakeFirstOrThrow(),
    );
    expect(await text('/en/dialogue/')).toContain(topic.title);
    // Retitled behind the portal's back: nothing tells a cache, so a kept page still shows the old title.
    await withServerDatabase(server.databaseUrl, (db) => db.updateTable('dialogue_topics').set({ title: 'Retitled behind the cache' }).where('id', '=', topic.id).execute());
    try {
      const anonymous = await text('/en/dialogue/');
      expect(anonymous).toContain(topic.title);
      expect(anonymous).not.toContain('Retitled behind the cache');
      const cookie = await signIn(server.url, 'temirtau@example.org', DEMO_PASSWORD);
      expect(await text('/en/dialogue/', { Cookie: cookie })).toContain('Retitled behind the cache');
      expect(await text('/en/dialogue/', { Cookie: `${SIGNED_IN_HINT}=1` })).toContain('Retitled behind the cache');
    } finally {
      await withServerDatabase(server.databaseUrl, (db) => db.updateTable('dialogue_topics').set({ title: topic.title }).where('id', '=', topic.id).execute());
    }
  });

  it('shows a town edited on another instance at the next request', async () => {
    expect(await text('/en/towns/')).toContain('Ridder');
    await withServerDatabase(server.databaseUrl, async (db) => {
      const town = (await findTownBySlug(db, 'ridder'))!;
      const saved = await saveTownProfile(db, {
        townId: town.id,
        editor: await staff(db, 'admin@example.org'),
        input: renamedTownInput(town, 'Ridder on the Ulba'),
      });
      expect(saved).toMatchObject({ ok: true });
    });
    expect(await text('/en/towns/')).toContain('Ridder on the Ulba');
  });

  it('drops a member case taken down on another instance from the cases list at the next request', async () => {
    const listed = await withServerDatabase(server.databaseUrl, (db) =>
      db
        .selectFrom('member_cases')
        .innerJoin('towns', 'towns.id', 'member_cases.town_id')
        .select(['member_cases.id', 'member_cases.slug', 'towns.slug as town'])
        .where('published_content', 'is not', null)
        .where('unpublished_at', 'is', null)
        .orderBy('member_cases.id')
        .executeTakeFirstOrThrow(),
    );
    // The town's cases only, so the case is on the first page whatever else is listed.
    const list = `/en/cases/?town=${listed.town}`;
    expect(await text(list)).toContain(`href="/en/cases/${listed.slug}/"`);
    expect(await text(list)).toContain(`href="/en/cases/${listed.slug}/"`);
    await withServerDatabase(server.databaseUrl, async (db) => {
      const result = await unpublishCase(db, await staff(db, 'editor@example.org'), { id: listed.id, reason: 'Out of date' });
      expect(result).toMatchObject({ ok: true });
    });
    expect(await text(list)).not.toContain(`href="/en/cases/${listed.slug}/"`);
  });

  it('shows a news item published on another instance in the news list and on the home page at the next request', async () => {
    const title = 'Portal news published behind the cache';
    expect(await text('/en/news/')).not.toContain(title);
    expect(await text('/en/')).not.toContain(title);
    await withServerDatabase(server.databaseUrl, async (db) => {
      const editor = await staff(db, 'editor@example.org');
      const data = { title, summary: 'A news item written in the portal, published while pages are kept.', date: '2099-01-01', topics: ['planning-governance'] };
      const created = await createEditorialItem(db, editor, { collection: 'news', slug: 'published-behind-the-cache', lang: 'en', data, body: 'The text.', fileSlugs: new Set() });
      if (!created.ok) throw new Error(`not created: ${created.problem}`);
      expect(await publishEditorialItem(db, editor, { id: created.id, version: 1 })).toMatchObject({ ok: true });
    });
    expect(await text('/en/news/')).toContain(title);
    expect(await text('/en/')).toContain(title);
  });

  it('keeps an item page, and shows a revision published, a related item published and a withdrawal on another instance at the next request', async () => {
    const path = '/en/news/item-page-behind-the-cache/';
    const data = { title: 'An item page kept for anonymous readers', summary: 'A news item written in the portal, its page kept while nothing changes.', date: '2099-02-01', topics: ['indicators-data'] };
    const { id, version } = await withServerDatabase(server.databaseUrl, async (db) => {
      const editor = await staff(db, 'editor@example.org');
      const created = await createEditorialItem(db, editor, { collection: 'news', slug: 'item-page-behind-the-cache', lang: 'en', data, body: 'The first text.', fileSlugs: new Set() });
      if (!created.ok) throw new Error(`not created: ${created.problem}`);
      const published = await publishEditorialItem(db, editor, { id: created.id, version: 1 });
      if (!published.ok) throw new Error(`not published: ${published.problem}`);
      return { id: created.id, version: published.version };
    });
    const first = await get(path);
    expect(first.status).toBe(200);
    const second = await get(path);
    expect(second.body.equals(first.body)).toBe(true);
    expect(comparable(second.headers)).toEqual(comparable(first.headers));
    // Changed behind the portal's back (no change counter moved): neither the kept page nor the kept published items read it again.
    await withServerDatabase(server.databaseUrl, (db) => db.updateTable('editorial_published').set({ body: 'Changed behind the cache.' }).where('item_id', '=', id).execute());
    expect(await text(path)).not.toContain('Changed behind the cache.');
    // A published revision.
    const revised = await withServerDatabase(server.databaseUrl, async (db) => {
      const editor = await staff(db, 'editor@example.org');
      const saved = await saveEditorialText(db, editor, { id, version, lang: 'en', data, body: 'The revised text.' });
      if (!saved.ok) throw new Error(`not saved: ${saved.problem}`);
      const published = await publishEditorialItem(db, editor, { id, version: saved.version });
      if (!published.ok) throw new Error(`not published: ${published.problem}`);
      return published.version;
    });
    const afterRevision = await text(path);
    expect(afterRevision).toContain('The revised text.');
    expect(afterRevision).not.toContain('Related item published behind the cache');
    // Another item on the same topic appears among the related items.
    await withServerDatabase(server.databaseUrl, async (db) => {
      const editor = await staff(db, 'editor@example.org');
      const related = { title: 'Related item published behind the cache', summary: 'Another news item on the same topic, published while the page was kept.', date: '2099-02-02', topics: ['indicators-data'] };
      const created = await createEditorialItem(db, editor, { collection: 'news', slug: 'related-behind-the-cache', lang: 'en', data: related, body: 'Text.', fileSlugs: new Set() });
      if (!created.ok) throw new Error(`not created: ${created.problem}`);
      expect(await publishEditorialItem(db, editor, { id: created.id, version: 1 })).toMatchObject({ ok: true });
    });
    expect(await text(path)).toContain('Related item published behind the cache');
    // Withdrawn: gone (410) at the next request.
    await withServerDatabase(server.databaseUrl, async (db) => {
      expect(await withdrawEditorialItem(db, await staff(db, 'editor@example.org'), { id, version: revised, reason: 'Out of date' })).toMatchObject({ ok: true });
    });
    expect((await get(path)).status).toBe(410);
  });

  it('keeps a member case page, and a case taken down on another instance answers 410 at the next request', async () => {
    const listed = await withServerDatabase(server.databaseUrl, (db) =>
      db.selectFrom('member_cases').select(['id', 'slug']).where('published_content', 'is not', null).where('unpublished_at', 'is', null).orderBy('id', 'desc').executeTakeFirstOrThrow(),
    );
    const path = `/en/cases/${listed.slug}/`;
    const first = await get(path);
    expect(first.status).toBe(200);
    expect((await get(path)).body.equals(first.body)).toBe(true);
    await withServerDatabase(server.databaseUrl, async (db) => {
      expect(await unpublishCase(db, await staff(db, 'editor@example.org'), { id: listed.id, reason: 'Out of date' })).toMatchObject({ ok: true });
    });
    expect((await get(path)).status).toBe(410);
  });

  it("keeps the association's pages, and shows one published in the portal on another instance at the next request", async () => {
    const first = await get('/en/accessibility/');
    expect(first.status).toBe(200);
    expect(comparable((await get('/en/accessibility/')).headers)).toEqual(comparable(first.headers));
    const sentence = 'Corrected in the portal while the page was kept.';
    expect(await text('/en/accessibility/')).not.toContain(sentence);
    await withServerDatabase(server.databaseUrl, async (db) => {
      const editor = await staff(db, 'editor@example.org');
      const files = [{ lang: 'en' as const, data: { title: 'Accessibility', description: 'How the portal is made for everyone.', updated: '2026-12-07' }, body: `## Accessibility\n\n${sentence}` }];
      const created = await createPageFromFiles(db, editor, { slug: 'accessibility', sourceLang: 'en', files });
      if (!created.ok) throw new Error(`not created: ${created.problem}`);
      expect(await publishEditorialItem(db, editor, { id: created.id, version: 1 })).toMatchObject({ ok: true });
    });
    expect(await text('/en/accessibility/')).toContain(sentence);
  });
});
