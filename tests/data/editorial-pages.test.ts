import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { describe, expect, it } from 'vitest';
import type { Language } from '~/i18n/index.ts';
import { EDITORIAL_SCHEMAS, validateFrontmatter } from '~/lib/editorial/frontmatter.ts';
import { exportPortalItems } from '~/server/editorial/export.ts';
import { publishedPortalPage } from '~/server/editorial/published.ts';
import { findEditorialItem, isOutOfDate } from '~/server/editorial/store.ts';
import {
  createEditorialItem,
  createPageFromFiles,
  publishDueItems,
  publishEditorialItem,
  scheduleEditorialItem,
  saveEditorialText,
  submitEditorialItem,
  withdrawEditorialItem,
  type EditorialOutcome,
  type PageFileText,
} from '~/server/editorial/workflows.ts';
import { contentDocuments, pageContentEntry } from '~/server/search/sources/content.ts';
import { syncReleaseDocuments } from '~/server/search/sources/release.ts';
import { contentFiles } from '../helpers/content.ts';
import { EDITORIAL_NOW as NOW, useEditorialDatabase } from '../helpers/editorial.ts';

/**
 * The association's pages edited in the portal, on both engines: a page item started from
 * the page's files, published (the page reads it, search finds it instead of the file),
 * withdrawn (the file again, in the page and in search), and who may do what.
 */

type Who = 'public' | 'member' | 'author' | 'editor';
const editorial = useEditorialDatabase();
const { users } = editorial;

/** A page's files as the build reads them, straight from content/pages/ (not through the app's loaders). */
function pageFiles(slug: string): PageFileText[] {
  return contentFiles()
    .filter((file) => file.collection === 'pages' && file.slug === slug)
    .map((file) => ({ lang: file.folder as Language, data: { title: file.data.title, description: file.data.description, updated: String(file.data.updated) }, body: file.body.trim() }));
}

/** The release's search documents of every page file, as the build writes them. */
function pageDocuments() {
  return contentDocuments(
    contentFiles()
      .filter((file) => file.collection === 'pages')
      .map((file) => pageContentEntry({ slug: file.slug, lang: file.folder as Language, data: { title: file.data.title, description: file.data.description, updated: new Date(String(file.data.updated)) }, body: file.body })),
  );
}

async function searchRows(path: string) {
  return editorial.db.selectFrom('search_documents').select(['key', 'source', 'section', 'lang', 'path', 'title', 'audience', 'body']).where('path', '=', path).orderBy('key').execute();
}

function ok<T>(outcome: EditorialOutcome<T>): T {
  if (!outcome.ok) throw new Error(`refused: ${outcome.problem}`);
  return outcome as T;
}

describe('a page started from its files', () => {
  it('holds every language of the file as a draft, the chosen language as source, the others up to date; the file stays public', async () => {
    const files = pageFiles('privacy');
    expect(files.map((file) => file.lang).sort()).toEqual(['en', 'kk', 'ru']);
    const { id } = ok(await createPageFromFiles(editorial.db, users.editor, { slug: 'privacy', sourceLang: 'ru', files }, NOW));
    const item = (await findEditorialItem(editorial.db, id))!;
    expect(item).toMatchObject({ collection: 'pages', slug: 'privacy', sourceLang: 'ru', state: 'draft', isPublic: false });
    for (const file of files) {
      expect(item.texts[file.lang]).toMatchObject({ data: file.data, body: file.body, revision: 1 });
      expect(isOutOfDate(item, file.lang)).toBe(false);
    }
    expect(await publishedPortalPage(editorial.db, 'privacy')).toBeUndefined();
    // Asked again, it is the same item, not a second one.
    expect(ok(await createPageFromFiles(editorial.db, users.author, { slug: 'privacy', sourceLang: 'kk', files }, NOW)).id).toBe(id);
    expect(await editorial.db.selectFrom('editorial_items').select('id').where('collection', '=', 'pages').execute()).toHaveLength(1);
  });

  it('refuses no files (404), a page written new, and a slug another portal item has', async () => {
    expect(await createPageFromFiles(editorial.db, users.editor, { slug: 'no-such-page', sourceLang: 'en', files: [] }, NOW)).toEqual({ ok: false, problem: 'notFound' });
    const fresh = await createEditorialItem(editorial.db, users.editor, { collection: 'pages', slug: 'new-page', lang: 'en', data: { title: 'New page', description: 'A page that has no file.', updated: '2026-12-01' }, body: 'Text.', fileSlugs: new Set() }, NOW);
    expect(fresh).toEqual({ ok: false, problem: 'pageFromFile' });
    ok(await createEditorialItem(editorial.db, users.editor, { collection: 'news', slug: 'about', lang: 'en', data: { title: 'About us news', summary: 'A news item that took the address before the page did.', date: '2026-11-20', topics: ['planning-governance'] }, body: 'Text.', fileSlugs: new Set() }, NOW));
    expect(await createPageFromFiles(editorial.db, users.editor, { slug: 'about', sourceLang: 'en', files: pageFiles('about') }, NOW)).toEqual({ ok: false, problem: 'slugTaken' });
  });

  it('is validated by the pages schema of the build, with its messages', async () => {
    const { id } = ok(await createPageFromFiles(editorial.db, users.editor, { slug: 'about', sourceLang: 'en', files: pageFiles('about') }, NOW));
    const bad = { title: 'About', description: 'Too short', updated: 'not a date' };
    const saved = await saveEditorialText(editorial.db, users.editor, { id, version: 1, lang: 'en', data: bad, body: 'Text.' }, NOW);
    const build = validateFrontmatter('pages', bad);
    expect(build.ok).toBe(false);
    expect(saved).toMatchObject({ ok: false, problem: 'invalid', lang: 'en' });
    if (!saved.ok && !build.ok) expect(saved.issues).toEqual(build.issues);
    expect((saved as { issues: Array<{ path: string }> }).issues.map((issue) => issue.path).sort()).toEqual(['description', 'updated']);
  });
});

describe('publishing and withdrawing a page', () => {
  it('shows the portal version and finds it in search instead of the file; withdrawn, the file again', async () => {
    await syncReleaseDocuments(editorial.db, pageDocuments(), NOW);
    const fileRows = await searchRows('/privacy/');
    expect(fileRows.map((row) => row.key)).toEqual(['content:pages/privacy:en', 'content:pages/privacy:kk', 'content:pages/privacy:ru']);

    const files = pageFiles('privacy');
    const { id } = ok(await createPageFromFiles(editorial.db, users.editor, { slug: 'privacy', sourceLang: 'en', files }, NOW));
    const kk = files.find((file) => file.lang === 'kk')!;
    const corrected = `${kk.body}\n\nТүзетілген сөйлем: жеке деректер қорғалады.`;
    const saved = ok(await saveEditorialText(editorial.db, users.editor, { id, version: 1, lang: 'kk', data: kk.data, body: corrected }, NOW + 10));
    ok(await publishEditorialItem(editorial.db, users.editor, { id, version: saved.version }, NOW + 20));

    const page = (await publishedPortalPage(editorial.db, 'privacy'))!;
    expect(page.languages).toEqual(['kk', 'ru', 'en']);
    expect(page.texts.kk!.body).toContain('Түзетілген сөйлем');
    expect(page.texts.kk!.data.updated).toBeInstanceOf(Date);

    const published = await searchRows('/privacy/');
    expect(published.map((row) => row.key)).toEqual([`portal:${id}:en`, `portal:${id}:kk`, `portal:${id}:ru`]);
    expect(published.every((row) => row.source === 'portal' && row.section === 'pages' && row.audience === 'public')).toBe(true);
    expect(published.find((row) => row.lang === 'kk')!.body).toContain('Түзетілген сөйлем');

    // A new release's sync leaves the file's documents out while the portal version is public.
    const next = pageDocuments().map((document) => ({ ...document, title: `${document.title} ` }));
    await syncReleaseDocuments(editorial.db, next, NOW + 30);
    expect((await searchRows('/privacy/')).map((row) => row.source)).toEqual(['portal', 'portal', 'portal']);
    expect((await searchRows('/about/')).map((row) => row.source)).toEqual(['content', 'content', 'content']);

    const current = (await findEditorialItem(editorial.db, id))!;
    ok(await withdrawEditorialItem(editorial.db, users.editor, { id, version: current.version, reason: 'Back to the file', fileDocuments: pageDocuments() }, NOW + 40));
    expect(await publishedPortalPage(editorial.db, 'privacy')).toBeUndefined();
    expect((await searchRows('/privacy/')).map((row) => row.key)).toEqual(['content:pages/privacy:en', 'content:pages/privacy:kk', 'content:pages/privacy:ru']);
    // Published again later, the portal version is back.
    const again = (await findEditorialItem(editorial.db, id))!;
    ok(await publishEditorialItem(editorial.db, users.editor, { id, version: again.version }, NOW + 50));
    expect((await publishedPortalPage(editorial.db, 'privacy'))!.texts.kk!.body).toContain('Түзетілген сөйлем');
  });

  it('a scheduled page is published by the job when its time comes, and replaces the file in search then', async () => {
    await syncReleaseDocuments(editorial.db, pageDocuments(), NOW);
    const { id } = ok(await createPageFromFiles(editorial.db, users.editor, { slug: 'accessibility', sourceLang: 'en', files: pageFiles('accessibility') }, NOW));
    ok(await scheduleEditorialItem(editorial.db, users.editor, { id, version: 1, at: NOW + 3600 }, NOW));
    expect(await publishDueItems(editorial.db, NOW + 3599)).toBe(0);
    expect(await publishedPortalPage(editorial.db, 'accessibility')).toBeUndefined();
    expect(await publishDueItems(editorial.db, NOW + 3600)).toBe(1);
    expect((await publishedPortalPage(editorial.db, 'accessibility'))!.languages).toEqual(['kk', 'ru', 'en']);
    expect((await searchRows('/accessibility/')).map((row) => row.source)).toEqual(['portal', 'portal', 'portal']);
  });

  it('is exported over its own file, in the files\' format, as the build reads it', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'qala-pages-export-'));
    try {
      mkdirSync(join(folder, 'pages', 'en'), { recursive: true });
      writeFileSync(join(folder, 'pages', 'en', 'contact.md'), '---\ntitle: Contact\n---\n\nThe file as it was.\n');
      const files = pageFiles('contact');
      const { id } = ok(await createPageFromFiles(editorial.db, users.editor, { slug: 'contact', sourceLang: 'en', files }, NOW));
      const en = files.find((file) => file.lang === 'en')!;
      const saved = ok(await saveEditorialText(editorial.db, users.editor, { id, version: 1, lang: 'en', data: en.data, body: 'The portal\'s contact text.' }, NOW));
      ok(await publishEditorialItem(editorial.db, users.editor, { id, version: saved.version }, NOW));
      const { written } = await exportPortalItems(editorial.db, folder);
      expect(written.sort()).toEqual(['en', 'kk', 'ru'].map((lang) => join(folder, 'pages', lang, 'contact.md')));
      const [, frontmatter, body] = readFileSync(join(folder, 'pages', 'en', 'contact.md'), 'utf8').match(/^---\n([\s\S]*?)\n---\n\n([\s\S]*)$/)!;
      expect(EDITORIAL_SCHEMAS.pages.parse(parseYaml(frontmatter!))).toEqual((await publishedPortalPage(editorial.db, 'contact'))!.texts.en!.data);
      expect(body!.trim()).toBe("The portal's contact text.");
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it('keeps the published version while a revision is drafted', async () => {
    const files = pageFiles('rules');
    const { id } = ok(await createPageFromFiles(editorial.db, users.editor, { slug: 'rules', sourceLang: 'en', files }, NOW));
    ok(await publishEditorialItem(editorial.db, users.editor, { id, version: 1 }, NOW));
    const en = files.find((file) => file.lang === 'en')!;
    ok(await saveEditorialText(editorial.db, users.author, { id, version: 2, lang: 'en', data: en.data, body: `${en.body}\n\nA draft sentence.` }, NOW + 1));
    expect((await findEditorialItem(editorial.db, id))!.state).toBe('draft');
    expect((await publishedPortalPage(editorial.db, 'rules'))!.texts.en!.body).not.toContain('A draft sentence');
    expect(isOutOfDate((await findEditorialItem(editorial.db, id))!, 'kk')).toBe(true);
  });

  it('tells the later of two concurrent saves (409) and keeps the first', async () => {
    const files = pageFiles('contact');
    const { id } = ok(await createPageFromFiles(editorial.db, users.editor, { slug: 'contact', sourceLang: 'en', files }, NOW));
    const en = files.find((file) => file.lang === 'en')!;
    ok(await saveEditorialText(editorial.db, users.editor, { id, version: 1, lang: 'en', data: en.data, body: 'First editor.' }, NOW));
    expect(await saveEditorialText(editorial.db, users.author, { id, version: 1, lang: 'en', data: en.data, body: 'Second editor.' }, NOW)).toEqual({ ok: false, problem: 'stale' });
    expect((await findEditorialItem(editorial.db, id))!.texts.en!.body).toBe('First editor.');
  });
});

describe('who may do what to a page', () => {
  const steps = ['create', 'edit', 'translate', 'submit', 'publish', 'schedule', 'withdraw'] as const;
  const allowed: Record<Who, readonly (typeof steps)[number][]> = {
    public: [],
    member: [],
    author: ['create', 'edit', 'translate', 'submit'],
    editor: ['create', 'edit', 'translate', 'submit', 'publish', 'schedule', 'withdraw'],
  };
  for (const who of ['public', 'member', 'author', 'editor'] as const) {
    for (const step of steps) {
      it(`${who} ${allowed[who].includes(step) ? 'may' : 'may not'} ${step}`, async () => {
        const actor = users[who];
        const files = pageFiles('accessibility');
        const start = async () => ok(await createPageFromFiles(editorial.db, users.editor, { slug: 'accessibility', sourceLang: 'en', files }, NOW)).id;
        const en = files.find((file) => file.lang === 'en')!;
        let outcome: EditorialOutcome;
        switch (step) {
          case 'create':
            outcome = await createPageFromFiles(editorial.db, actor, { slug: 'accessibility', sourceLang: 'en', files }, NOW);
            break;
          case 'edit':
            outcome = await saveEditorialText(editorial.db, actor, { id: await start(), version: 1, lang: 'en', data: en.data, body: 'Edited.' }, NOW);
            break;
          case 'translate': {
            const id = await start();
            // The kk text is a translation of the English source.
            outcome = await saveEditorialText(editorial.db, actor, { id, version: 1, lang: 'kk', data: files.find((file) => file.lang === 'kk')!.data, body: 'Аударма.' }, NOW);
            break;
          }
          case 'submit':
            outcome = await submitEditorialItem(editorial.db, actor, { id: await start(), version: 1 }, NOW);
            break;
          case 'publish':
            outcome = await publishEditorialItem(editorial.db, actor, { id: await start(), version: 1 }, NOW);
            break;
          case 'schedule':
            outcome = await scheduleEditorialItem(editorial.db, actor, { id: await start(), version: 1, at: NOW + 3600 }, NOW);
            break;
          case 'withdraw': {
            const id = await start();
            ok(await publishEditorialItem(editorial.db, users.editor, { id, version: 1 }, NOW));
            outcome = await withdrawEditorialItem(editorial.db, actor, { id, version: 2, reason: 'Back to the file', fileDocuments: [] }, NOW);
            break;
          }
        }
        if (allowed[who].includes(step)) expect(outcome).toMatchObject({ ok: true });
        else expect(outcome).toEqual({ ok: false, problem: 'forbidden' });
        const page = await publishedPortalPage(editorial.db, 'accessibility');
        if (step === 'publish') expect(page !== undefined).toBe(allowed[who].includes('publish'));
        if (step === 'withdraw') expect(page === undefined).toBe(allowed[who].includes('withdraw'));
      });
    }
  }
});
