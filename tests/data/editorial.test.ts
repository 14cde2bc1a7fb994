import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { setClock } from '~/lib/clock.ts';
import { EDITORIAL_SCHEMAS, frontmatterFromForm, validateFrontmatter } from '~/lib/editorial/frontmatter.ts';
import type { CurrentUser } from '~/server/auth/lucia.ts';
import type { Role } from '~/server/db/schema.ts';
import { exportPortalItems, ExportConflictError } from '~/server/editorial/export.ts';
import { publishedPortalItems } from '~/server/editorial/published.ts';
import { EDITORIAL_ACTIONS, mayEditorial, type EditorialAction } from '~/server/editorial/rules.ts';
import { editorialHistory, editorialRevisions, findEditorialItem, isOutOfDate, translationQueue } from '~/server/editorial/store.ts';
import {
  addEditorialFile,
  createEditorialItem,
  publishDueItems,
  publishEditorialItem,
  saveEditorialText,
  scheduleEditorialItem,
  submitEditorialItem,
  withdrawEditorialItem,
  type EditorialOutcome,
} from '~/server/editorial/workflows.ts';
import { JOBS } from '~/server/jobs/catalogue.ts';
import { EDITORIAL_NOW as NOW, useEditorialDatabase } from '../helpers/editorial.ts';
import { prepareUpload } from '~/server/files/inspect.ts';

/**
 * The editorial workspace on real databases (SQLite and PostgreSQL): the role table over
 * every step, validation through the build's own schemas, scheduling with a clock the test
 * sets, concurrent saves, search rows and the public cache after publishing and
 * withdrawing, translations going out of date, and the export round trip.
 */

type Who = 'public' | 'member' | 'author' | 'editor' | 'admin';
const WHO: Who[] = ['public', 'member', 'author', 'editor', 'admin'];
const editorial = useEditorialDatabase({ memberInTown: true });
const users: Record<Who, CurrentUser | null> = editorial.users;

const NEWS = { title: 'Новости ассоциации', summary: 'Краткое описание новости длиной больше двадцати знаков.', date: '2026-11-20', topics: ['planning-governance'] };
const BODY = 'Текст новости.\n\n## Раздел\n\nЕщё текст.';

async function newsItem(slug = 'portal-news', by: CurrentUser | null = users.author): Promise<number> {
  const created = await createEditorialItem(editorial.db, by, { collection: 'news', slug, lang: 'ru', data: NEWS, body: BODY, fileSlugs: new Set(['association-founded']) }, NOW);
  if (!created.ok) throw new Error(`not created: ${created.problem}`);
  return created.id;
}

async function version(id: number): Promise<number> {
  return (await findEditorialItem(editorial.db, id))!.version;
}

describe('the role table', () => {
  const ALLOWED: Record<EditorialAction, Who[]> = {
    create: ['author', 'editor', 'admin'],
    edit: ['author', 'editor', 'admin'],
    translate: ['author', 'editor', 'admin'],
    submit: ['author', 'editor', 'admin'],
    publish: ['editor', 'admin'],
    schedule: ['editor', 'admin'],
    withdraw: ['editor', 'admin'],
  };

  /** Each step on a fresh draft (or published item, to withdraw), through the workflow on the database. */
  const STEP: Record<EditorialAction, (actor: CurrentUser | null) => Promise<EditorialOutcome>> = {
    create: (actor) => createEditorialItem(editorial.db, actor, { collection: 'news', slug: `new-${actor?.role ?? 'public'}`, lang: 'ru', data: NEWS, body: BODY, fileSlugs: new Set() }, NOW),
    edit: async (actor) => {
      const id = await newsItem(`edit-${actor?.role ?? 'public'}`);
      return saveEditorialText(editorial.db, actor, { id, version: 1, lang: 'ru', data: { ...NEWS, title: 'Новости ассоциации, исправлено' }, body: BODY }, NOW);
    },
    translate: async (actor) => {
      const id = await newsItem(`translate-${actor?.role ?? 'public'}`);
      return saveEditorialText(editorial.db, actor, { id, version: 1, lang: 'kk', data: { ...NEWS, title: 'Қауымдастық жаңалықтары' }, body: 'Жаңалық мәтіні.' }, NOW);
    },
    submit: async (actor) => submitEditorialItem(editorial.db, actor, { id: await newsItem(`submit-${actor?.role ?? 'public'}`), version: 1 }, NOW),
    publish: async (actor) => publishEditorialItem(editorial.db, actor, { id: await newsItem(`publish-${actor?.role ?? 'public'}`), version: 1 }, NOW),
    schedule: async (actor) => scheduleEditorialItem(editorial.db, actor, { id: await newsItem(`schedule-${actor?.role ?? 'public'}`), version: 1, at: NOW + 3600 }, NOW),
    withdraw: async (actor) => {
      const id = await newsItem(`withdraw-${actor?.role ?? 'public'}`);
      await publishEditorialItem(editorial.db, users.editor, { id, version: 1 }, NOW);
      return withdrawEditorialItem(editorial.db, actor, { id, version: 2, reason: 'Устарело' }, NOW);
    },
  };

  for (const action of EDITORIAL_ACTIONS) {
    it(`${action}: only ${ALLOWED[action].join(', ')}`, async () => {
      for (const who of WHO) {
        const outcome = await STEP[action](users[who]);
        expect({ who, ok: outcome.ok }).toEqual({ who, ok: ALLOWED[action].includes(who) });
        if (!outcome.ok) expect(outcome.problem).toBe('forbidden');
        // The pure rule says the same for a draft (withdrawing: a published item).
        const facts = action === 'create' ? undefined : { state: action === 'withdraw' ? ('published' as const) : ('draft' as const) };
        expect(mayEditorial(users[who], action, facts)).toBe(ALLOWED[action].includes(who));
      }
    });
  }

  it('an author cannot touch an item waiting for review, scheduled or withdrawn; an editor can', async () => {
    const id = await newsItem();
    expect((await submitEditorialItem(editorial.db, users.author, { id, version: 1 }, NOW)).ok).toBe(true);
    const refused = await saveEditorialText(editorial.db, users.author, { id, version: 2, lang: 'ru', data: NEWS, body: 'Правка автора' }, NOW);
    expect(refused).toMatchObject({ ok: false, problem: 'wrongState' });
    expect((await saveEditorialText(editorial.db, users.editor, { id, version: 2, lang: 'ru', data: NEWS, body: 'Правка редактора' }, NOW)).ok).toBe(true);
    expect(mayEditorial(users.author, 'edit', { state: 'scheduled' })).toBe(false);
    expect(mayEditorial(users.author, 'edit', { state: 'withdrawn' })).toBe(false);
  });

  it('the author role is stored (migration 0018 widened the users.role check)', async () => {
    const row = await editorial.db.selectFrom('users').select('role').where('id', '=', users.author!.id).executeTakeFirstOrThrow();
    expect(row.role).toBe('author');
    await expect(editorial.db.updateTable('users').set({ role: 'nobody' as Role }).where('id', '=', users.author!.id).execute()).rejects.toThrow();
  });
});

describe('validation through the build schema', () => {
  const BAD_FRONTMATTER = { title: 'No', summary: 'too short', date: 'not a date', topics: [], related: ['nowhere'] };

  it('the same bad frontmatter is refused by the build schema and by the form, with the same issues', async () => {
    const build = EDITORIAL_SCHEMAS.news.safeParse(BAD_FRONTMATTER);
    expect(build.success).toBe(false);
    const buildIssues = build.success ? [] : build.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message }));
    const form = frontmatterFromForm('news', { title: 'No', summary: 'too short', date: 'not a date', related: 'nowhere' });
    const checked = validateFrontmatter('news', form);
    expect(checked.ok).toBe(false);
    expect(checked.ok ? [] : checked.issues.map(({ path, message }) => ({ path, message }))).toEqual(buildIssues);
    expect(buildIssues.map((issue) => issue.path)).toEqual(expect.arrayContaining(['title', 'summary', 'date', 'topics', 'related.0']));
    const refused = await createEditorialItem(editorial.db, users.author, { collection: 'news', slug: 'bad', lang: 'ru', data: form, body: BODY, fileSlugs: new Set() }, NOW);
    expect(refused).toMatchObject({ ok: false, problem: 'invalid' });
    expect(!refused.ok && refused.issues?.map(({ path, message }) => ({ path, message }))).toEqual(buildIssues);
  });

  it('an event keeps the schema cross-field rules (place or link, end after start), times read in the association zone', () => {
    const form = frontmatterFromForm('events', { ...NEWS, topics: ['planning-governance'], start: '2026-12-01T10:00', end: '2026-12-01T09:00', registration: 'Через портал' });
    expect(form.start).toBe('2026-12-01T10:00:00+05:00');
    const checked = validateFrontmatter('events', form);
    expect(checked.ok ? [] : checked.issues.map((issue) => issue.message)).toEqual(['give a place, an online link, or both', 'the end is before the start']);
  });

  it('refuses a slug a content file uses, and a slug another portal item took', async () => {
    const file = await createEditorialItem(editorial.db, users.author, { collection: 'news', slug: 'association-founded', lang: 'ru', data: NEWS, body: BODY, fileSlugs: new Set(['association-founded']) }, NOW);
    expect(file).toMatchObject({ ok: false, problem: 'slugTaken' });
    await newsItem('taken');
    expect(await createEditorialItem(editorial.db, users.author, { collection: 'news', slug: 'taken', lang: 'ru', data: NEWS, body: BODY, fileSlugs: new Set() }, NOW)).toMatchObject({ ok: false, problem: 'slugTaken' });
    expect(await createEditorialItem(editorial.db, users.author, { collection: 'news', slug: 'Bad Slug', lang: 'ru', data: NEWS, body: BODY, fileSlugs: new Set() }, NOW)).toMatchObject({ ok: false, problem: 'badSlug' });
  });
});

describe('the workflow', () => {
  it('publishes: search rows (public, section, source portal) and the public copy at once; withdrawing removes both', async () => {
    const id = await newsItem();
    expect(await publishedPortalItems(editorial.db, 'news')).toEqual([]);
    expect((await publishEditorialItem(editorial.db, users.editor, { id, version: 1 }, NOW)).ok).toBe(true);
    const rows = await editorial.db.selectFrom('search_documents').selectAll().where('source', '=', 'portal').execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ key: `portal:${id}:ru`, section: 'news', lang: 'ru', path: '/news/portal-news/', audience: 'public', title: NEWS.title });
    const published = await publishedPortalItems(editorial.db, 'news');
    expect(published.map((item) => item.slug)).toEqual(['portal-news']);
    expect(published[0]!.texts.ru!.data.date).toEqual(new Date('2026-11-20'));

    // A revision is drafted while the published copy stays.
    expect((await saveEditorialText(editorial.db, users.author, { id, version: 2, lang: 'ru', data: { ...NEWS, title: 'Новости ассоциации: редакция' }, body: BODY }, NOW + 10)).ok).toBe(true);
    const revising = await findEditorialItem(editorial.db, id);
    expect(revising).toMatchObject({ state: 'draft', isPublic: true });
    expect((await publishedPortalItems(editorial.db, 'news'))[0]!.texts.ru!.data.title).toBe(NEWS.title);

    expect((await withdrawEditorialItem(editorial.db, users.editor, { id, version: 3, reason: 'Ошибка в дате' }, NOW + 20)).ok).toBe(true);
    expect(await editorial.db.selectFrom('search_documents').selectAll().where('source', '=', 'portal').execute()).toEqual([]);
    expect(await publishedPortalItems(editorial.db, 'news')).toEqual([]);
    const history = (await editorialHistory(editorial.db, id)).map((event) => event.action);
    expect(history).toEqual(['created', 'published', 'saved', 'withdrawn']);
    expect((await editorialRevisions(editorial.db, id, 'ru')).map((revision) => revision.revision)).toEqual([1, 2]);
  });

  it('schedules: nothing is public before the time; the job publishes it when the clock reaches it', async () => {
    const id = await newsItem();
    expect(await scheduleEditorialItem(editorial.db, users.editor, { id, version: 1, at: NOW - 1 }, NOW)).toMatchObject({ ok: false, problem: 'pastTime' });
    expect((await scheduleEditorialItem(editorial.db, users.editor, { id, version: 1, at: NOW + 3600 }, NOW)).ok).toBe(true);
    setClock(NOW + 3599);
    expect(await publishDueItems(editorial.db)).toBe(0);
    expect(await publishedPortalItems(editorial.db, 'news')).toEqual([]);
    setClock(NOW + 3600);
    const job = JOBS.find((candidate) => candidate.name === 'publish-scheduled')!;
    const result = await job.run({ db: editorial.db, now: () => NOW + 3600 } as never);
    expect(result).toEqual({ published: 1 });
    expect(await findEditorialItem(editorial.db, id)).toMatchObject({ state: 'published', isPublic: true, publishedAt: NOW + 3600 });
    expect((await publishedPortalItems(editorial.db, 'news')).map((item) => item.slug)).toEqual(['portal-news']);
    expect(await publishDueItems(editorial.db)).toBe(0);
  });

  it('two editors saving the same version: the later is told (stale) and nothing of theirs overwrites the first', async () => {
    const id = await newsItem();
    const first = await saveEditorialText(editorial.db, users.editor, { id, version: 1, lang: 'ru', data: { ...NEWS, title: 'Первая правка заголовка' }, body: BODY }, NOW);
    const second = await saveEditorialText(editorial.db, users.admin, { id, version: 1, lang: 'ru', data: { ...NEWS, title: 'Вторая правка заголовка' }, body: BODY }, NOW);
    expect(first.ok).toBe(true);
    expect(second).toMatchObject({ ok: false, problem: 'stale' });
    expect((await findEditorialItem(editorial.db, id))!.texts.ru!.data.title).toBe('Первая правка заголовка');
  });

  it('a translation goes out of date when its source is saved again, and the queue says so', async () => {
    const id = await newsItem();
    expect((await translationQueue(editorial.db, 'kk')).map((need) => need.need)).toEqual(['missing']);
    await saveEditorialText(editorial.db, users.author, { id, version: 1, lang: 'kk', data: { ...NEWS, title: 'Қауымдастық жаңалықтары' }, body: 'Мәтін.' }, NOW);
    expect(await translationQueue(editorial.db, 'kk')).toEqual([]);
    expect(isOutOfDate((await findEditorialItem(editorial.db, id))!, 'kk')).toBe(false);
    await saveEditorialText(editorial.db, users.author, { id, version: 2, lang: 'ru', data: NEWS, body: `${BODY}\n\nДобавлено.` }, NOW);
    expect(isOutOfDate((await findEditorialItem(editorial.db, id))!, 'kk')).toBe(true);
    expect((await translationQueue(editorial.db, 'kk')).map((need) => need.need)).toEqual(['outdated']);
  });
});

describe('export', () => {
  let folder: string;
  beforeEach(() => {
    folder = mkdtempSync(join(tmpdir(), 'qala-export-'));
  });
  afterEach(() => rmSync(folder, { recursive: true, force: true }));

  it('writes published items as content files the build schema reads back to the same item', async () => {
    const created = await createEditorialItem(
      editorial.db,
      users.editor,
      { collection: 'resources', slug: 'heat-meters', lang: 'en', data: { title: 'Heat meters: "quotes", colons: and more', summary: 'A checklist for buying building heat meters, start to finish.', date: '2026-10-01', topics: ['utilities-housing'], type: 'toolkit', authors: ['Secretariat'], towns: ['ridder'] }, body: '# Steps\n\n1. One\n2. Two', fileSlugs: new Set() },
      NOW,
    );
    if (!created.ok) throw new Error(created.problem);
    await publishEditorialItem(editorial.db, users.editor, { id: created.id, version: 1 }, NOW);
    await newsItem('draft-only');
    const { written } = await exportPortalItems(editorial.db, folder);
    expect(written).toEqual([join(folder, 'resources', 'en', 'heat-meters.md')]);
    const file = readFileSync(written[0]!, 'utf8');
    const [, frontmatter, body] = file.match(/^---\n([\s\S]*?)\n---\n\n([\s\S]*)$/)!;
    const parsed = EDITORIAL_SCHEMAS.resources.parse(parseYaml(frontmatter!));
    const published = (await publishedPortalItems(editorial.db, 'resources'))[0]!.texts.en!;
    expect(parsed).toEqual(published.data);
    expect(body!.trim()).toBe(published.body.trim());
    // Exporting again replaces its own files; a file of the same slug written by hand stops it.
    expect((await exportPortalItems(editorial.db, folder)).written).toHaveLength(1);
    mkdirSync(join(folder, 'resources', 'ru'), { recursive: true });
    writeFileSync(join(folder, 'resources', 'ru', 'heat-meters.md'), '---\ntitle: x\n---\n');
    await expect(exportPortalItems(editorial.db, folder)).rejects.toThrow(ExportConflictError);
    await expect(exportPortalItems(editorial.db, folder)).rejects.toThrow(/resources\/ru\/heat-meters\.md and portal item \d+ \(resources\/heat-meters\)/);
  });

  it('writes the files of the published version beside the markdown, not those of a revision in progress', async () => {
    const created = await createEditorialItem(
      editorial.db,
      users.editor,
      { collection: 'news', slug: 'budget-forms', lang: 'ru', data: { title: 'Формы заявок на бюджет', summary: 'Новые формы заявок на бюджет 2027 года для городов-членов.', date: '2026-10-01', topics: ['municipal-finance'] }, body: 'Формы ниже.', fileSlugs: new Set() },
      NOW,
    );
    if (!created.ok) throw new Error(created.problem);
    const form = async (name: string) => {
      const prepared = await prepareUpload(name, new TextEncoder().encode('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n'));
      if (!prepared.ok) throw new Error(prepared.problem);
      const added = await addEditorialFile(editorial.db, users.editor, { id: created.id, file: prepared.file }, NOW);
      if (!added.ok) throw new Error(added.problem);
    };
    await form('Form.pdf');
    await form('Form.pdf');
    await publishEditorialItem(editorial.db, users.editor, { id: created.id, version: (await findEditorialItem(editorial.db, created.id))!.version }, NOW);
    await form('Later.pdf');
    const { written, files } = await exportPortalItems(editorial.db, folder);
    const names = files.map((path) => path.slice(join(folder, 'news', 'files', 'budget-forms').length + 1));
    // Two files of one name both kept; the file of the unpublished revision left out.
    expect(names).toEqual(['Form.pdf', expect.stringMatching(/^\d+-Form\.pdf$/)]);
    const header = readFileSync(written[0]!, 'utf8').split('\n').slice(1, 4);
    expect(header).toEqual([expect.stringMatching(/^# exported from the Qala portal, item \d+$/), '# file to download: ../files/budget-forms/Form.pdf', `# file to download: ../files/budget-forms/${names[1]}`]);
    // The comments are YAML comments: the frontmatter still parses to the published data.
    const frontmatter = readFileSync(written[0]!, 'utf8').match(/^---\n([\s\S]*?)\n---\n/)![1]!;
    expect(EDITORIAL_SCHEMAS.news.parse(parseYaml(frontmatter))).toEqual((await publishedPortalItems(editorial.db, 'news'))[0]!.texts.ru!.data);
  });
});
