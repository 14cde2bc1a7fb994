import type { Kysely } from 'kysely';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Language } from '~/i18n/index.ts';
import type { EditorialCollection, Frontmatter } from '~/lib/editorial/frontmatter.ts';
import { insertUser } from '~/server/accounts/users.ts';
import type { CurrentUser } from '~/server/auth/lucia.ts';
import type { Database } from '~/server/db/schema.ts';
import { exportPortalItems } from '~/server/editorial/export.ts';
import { publishedPortalItems } from '~/server/editorial/published.ts';
import { findEditorialItem } from '~/server/editorial/store.ts';
import { addEditorialFile, createEditorialItem, publishEditorialItem } from '~/server/editorial/workflows.ts';
import { prepareUpload } from '~/server/files/inspect.ts';
import { contentBuild, type ContentBuild } from '../helpers/content-build.ts';
import { createTestDatabase } from '../helpers/database.ts';

/**
 * The export's round trip through a real `astro build`: published portal items (a
 * resource, an event and a programme, between them every kind of frontmatter field:
 * text, dates and date-times, numbers, booleans, a literal, lists, nested objects) are
 * exported into a copy of content/, the project's own content collections build them,
 * and the built pages hold each item's title, body and the very data the portal
 * published. The export itself is tested on both engines in tests/data/editorial.test.ts.
 */

const NOW = 1_790_000_000;
const PDF = new TextEncoder().encode('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');

const ITEMS: Array<{ collection: EditorialCollection; slug: string; lang: Language; data: Frontmatter; body: string; heading: string }> = [
  {
    collection: 'resources',
    slug: 'round-trip-heat-meters',
    lang: 'en',
    data: {
      title: 'Heat meters: a "buyer\'s" checklist',
      summary: 'A checklist for buying building heat meters, from the first estimate to acceptance.',
      date: '2026-10-01',
      topics: ['utilities-housing', 'municipal-finance'],
      featured: true,
      related: ['programmes/ebrd-green-cities'],
      type: 'toolkit',
      programmes: ['ebrd-green-cities'],
      regions: ['west-kazakhstan'],
      towns: ['aksai'],
      authors: ['Secretariat', 'Utilities working group'],
      file: { url: '/en/files/1/', label: 'The checklist', format: 'PDF', size: '1 MB' },
    },
    body: '## Steps to take\n\n1. Count the buildings.\n2. Ask *three* suppliers.',
    heading: 'Steps to take',
  },
  {
    collection: 'events',
    slug: 'round-trip-budget-clinic',
    lang: 'ru',
    data: {
      title: 'Бюджетная клиника: заявки 2027 года',
      summary: 'Короткая онлайн-клиника для финансистов городов-членов о заявках на коммунальные проекты.',
      date: '2026-11-16',
      topics: ['municipal-finance'],
      format: 'online',
      start: '2026-12-03T11:00:00+05:00',
      end: '2026-12-03T12:30:00+05:00',
      online: true,
      registration: 'Бесплатно для сотрудников городов-членов.',
    },
    body: '## Программа\n\n- **11:00** — вопросы комиссий.',
    heading: 'Программа',
  },
  {
    collection: 'programmes',
    slug: 'round-trip-small-grants',
    lang: 'kk',
    data: {
      title: 'Шағын гранттар бағдарламасы',
      summary: 'Қалалардың шағын жобаларына арналған гранттар: кім өтінім бере алады және қалай.',
      date: '2026-09-01',
      topics: ['sme-support'],
      funder: 'Қауымдастық',
      eligibility: 'Қауымдастыққа мүше барлық қалалар.',
      amount: { min: 1000000, max: 5000000, currency: 'KZT' },
      deadline: '2027-02-01',
      link: 'https://www.gov.kz/memleket/entities/economy',
    },
    body: '## Өтінім беру\n\nӨтінім порталда қабылданады.',
    heading: 'Өтінім беру',
  },
];

let db: Kysely<Database>;
let cleanup: () => Promise<void>;
let site: ContentBuild;
let editor: CurrentUser;
let exported: { written: string[]; files: string[] };
let buildSeconds = 0;

beforeAll(async () => {
  ({ db, cleanup } = await createTestDatabase());
  const id = await insertUser(db, { email: 'editor@example.org', passwordHash: 'not-a-real-hash', displayName: 'Editor', role: 'editor', townId: null, language: 'en' }, 1);
  editor = { id, email: 'editor@example.org', displayName: 'Editor', role: 'editor', language: 'en', disabled: false, town: null };
  for (const item of ITEMS) {
    const created = await createEditorialItem(db, editor, { ...item, fileSlugs: new Set() }, NOW);
    if (!created.ok) throw new Error(`${item.slug} not created: ${created.problem} ${JSON.stringify(created.issues)}`);
    if (item.collection === 'resources') {
      const prepared = await prepareUpload('Checklist.pdf', PDF);
      if (!prepared.ok) throw new Error(prepared.problem);
      const added = await addEditorialFile(db, editor, { id: created.id, file: prepared.file }, NOW);
      if (!added.ok) throw new Error(added.problem);
    }
    const published = await publishEditorialItem(db, editor, { id: created.id, version: (await findEditorialItem(db, created.id))!.version }, NOW);
    if (!published.ok) throw new Error(`${item.slug} not published: ${published.problem}`);
  }
  site = contentBuild();
  exported = await exportPortalItems(db, site.contentDir);
  const started = performance.now();
  await site.build(ITEMS.map((item) => `${item.collection}/${item.slug}`));
  buildSeconds = (performance.now() - started) / 1000;
}, 300_000);

afterAll(async () => {
  await cleanup?.();
  site?.remove();
});

describe('content export round trip through astro build', () => {
  it('builds a page of each exported item with its title, its body and the data the portal published', async () => {
    console.log(`round-trip astro build: ${buildSeconds.toFixed(1)} s`);
    expect(exported.written.map((path) => path.slice(site.contentDir.length + 1)).sort()).toEqual(ITEMS.map((item) => `${item.collection}/${item.lang}/${item.slug}.md`).sort());
    for (const item of ITEMS) {
      const page = site.pagePath(item.collection, item.lang, item.slug);
      expect(existsSync(page), `${page} was built`).toBe(true);
      const html = readFileSync(page, 'utf8');
      const title = html.match(/<h1>([\s\S]*?)<\/h1>/)![1]!;
      expect(title.replace(/&#34;|&quot;/g, '"').replace(/&#39;/g, "'")).toBe(item.data.title);
      expect(html).toMatch(new RegExp(`<h2 id="[^"]*">${item.heading}</h2>`));
      // The collection parsed the file to exactly what the portal published (dates as dates, defaults filled).
      const built = JSON.parse(html.match(/<pre id="data">([\s\S]*?)<\/pre>/)![1]!.replace(/&#34;|&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&'));
      const published = (await publishedPortalItems(db, item.collection)).find((candidate) => candidate.slug === item.slug)!.texts[item.lang]!;
      expect(built).toEqual(JSON.parse(JSON.stringify(published.data)));
    }
  });

  it('writes the published files to download beside the markdown, outside what the build reads, and names them in it', () => {
    const folder = join(site.contentDir, 'resources', 'files', 'round-trip-heat-meters');
    expect(exported.files).toEqual([join(folder, 'Checklist.pdf')]);
    expect(new Uint8Array(readFileSync(join(folder, 'Checklist.pdf')))).toEqual(PDF);
    const markdown = readFileSync(join(site.contentDir, 'resources', 'en', 'round-trip-heat-meters.md'), 'utf8');
    expect(markdown.split('\n').slice(0, 3)).toEqual(['---', expect.stringMatching(/^# exported from the Qala portal, item \d+$/), '# file to download: ../files/round-trip-heat-meters/Checklist.pdf']);
  });
});
