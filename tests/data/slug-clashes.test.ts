import type { Kysely } from 'kysely';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Database, EditorialState } from '~/server/db/schema.ts';
import { databaseLocation } from '~/server/db/location.ts';
import { checkSlugClashes, clashMessage, contentFolderIndex, portalSlugClashes, releaseDocumentIndex } from '~/server/editorial/slug-clashes.ts';
import type { SearchDocument } from '~/server/search/documents.ts';
import { insertPortalItemRow } from '../helpers/portal-items.ts';
import { createEmptyTestDatabase, createTestDatabase, temporaryDirectory, testEngine } from '../helpers/database.ts';

/**
 * A content file and a portal item with one slug in one collection: found on both
 * engines from a content folder (the build's view) and from the build's search documents
 * (a running release's view), named both ways; withdrawn items and other collections do
 * not clash; a database that is missing, silent or not migrated is noted, not checked.
 */

let db: Kysely<Database>;
let path: string;
let cleanup: () => Promise<void>;
let folder: { path: string; remove: () => void };
let content: string;

function portalItem(collection: 'news' | 'resources' | 'pages', slug: string, state: EditorialState): Promise<number> {
  return insertPortalItemRow(db, { collection, slug, state });
}

function contentFile(collection: string, lang: string, slug: string): void {
  mkdirSync(join(content, collection, lang), { recursive: true });
  writeFileSync(join(content, collection, lang, `${slug}.md`), '---\ntitle: x\n---\n');
}

beforeEach(async () => {
  folder = temporaryDirectory('qala-clash-');
  content = join(folder.path, 'content');
  ({ db, path, cleanup } = await createTestDatabase());
  contentFile('news', 'ru', 'budget-day');
  contentFile('news', 'kk', 'budget-day');
  contentFile('resources', 'en', 'heat-meters');
});

afterEach(async () => {
  await cleanup();
  folder.remove();
});

describe('slug clashes between content files and portal items', () => {
  it("leaves out the association's pages: a page item replaces its file on purpose", async () => {
    contentFile('pages', 'en', 'about');
    await portalItem('pages', 'about', 'published');
    expect(await portalSlugClashes(db, contentFolderIndex(content, 'content'))).toEqual([]);
    const releaseDocument: SearchDocument = { key: 'content:pages/en/about:en', source: 'content', section: 'pages', lang: 'en', path: '/about/', title: 'About', audience: 'public' };
    expect(await portalSlugClashes(db, releaseDocumentIndex([releaseDocument]))).toEqual([]);
  });

  it('finds every portal item not withdrawn whose collection has a file of its slug, naming both', async () => {
    const draft = await portalItem('news', 'budget-day', 'draft');
    await portalItem('news', 'heat-meters', 'published'); // the slug of a resource file: another collection, another address
    await portalItem('resources', 'other', 'scheduled');
    contentFile('news', 'en', 'old-call');
    const withdrawn = await portalItem('news', 'old-call', 'withdrawn');
    const clashes = await portalSlugClashes(db, contentFolderIndex(content, 'content'));
    expect(clashes).toEqual([{ collection: 'news', slug: 'budget-day', files: ['content/news/kk/budget-day.md', 'content/news/ru/budget-day.md'], itemId: draft, state: 'draft' }]);
    expect(clashMessage(clashes[0]!)).toBe(
      `content/news/kk/budget-day.md, content/news/ru/budget-day.md and portal item ${draft} (draft, /kk/editor/content/${draft}/) have the same slug "budget-day" in news: rename the file or the item`,
    );
    // A withdrawn item's page is gone (410): the file may take its slug back.
    expect(clashes.some((clash) => clash.itemId === withdrawn)).toBe(false);
  });

  it('reads a release\'s files from the search documents the build wrote', async () => {
    const published = await portalItem('resources', 'heat-meters', 'published');
    const documents = [
      { key: 'content:resources/heat-meters:en', source: 'content', section: 'resources', lang: 'en' as const, path: '/resources/heat-meters/', title: 't', summary: '', body: '', topics: [], audience: 'public' as const, publishedAt: null },
      { key: 'content:pages/about:en', source: 'content', section: 'pages', lang: 'en' as const, path: '/about/', title: 't', summary: '', body: '', topics: [], audience: 'public' as const, publishedAt: null },
    ];
    const clashes = await portalSlugClashes(db, releaseDocumentIndex(documents));
    expect(clashes.map((clash) => [clash.itemId, clash.files])).toEqual([[published, ['content/resources/en/heat-meters.md']]]);
  });

  it('the build\'s check: clashes on a reachable database; a note when there is none to check', async () => {
    const draft = await portalItem('news', 'budget-day', 'submitted');
    const url = testEngine() === 'postgres' ? path : `file:${path}`;
    const result = await checkSlugClashes(databaseLocation(url, folder.path), content);
    expect(result.checked && result.clashes.map((clash) => clash.itemId)).toEqual([draft]);

    const missing = await checkSlugClashes(databaseLocation('file:db/none.db', folder.path), content);
    expect(missing).toEqual({ checked: false, note: expect.stringMatching(/^no database at .*none\.db yet/) });
    const silent = await checkSlugClashes(databaseLocation('postgres://postgres@127.0.0.1:1/qala', folder.path), content);
    expect(silent).toEqual({ checked: false, note: expect.stringContaining('does not answer') });
  });

  it('a database not migrated to the editorial tables is noted, not checked', async () => {
    const empty = await createEmptyTestDatabase();
    try {
      const url = testEngine() === 'postgres' ? empty.path : `file:${empty.path}`;
      const result = await checkSlugClashes(databaseLocation(url, folder.path), content);
      expect(result).toEqual({ checked: false, note: expect.stringContaining('not migrated') });
    } finally {
      await empty.cleanup();
    }
  });
});
