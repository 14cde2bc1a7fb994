import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { eventSchema, programmeSchema, resourceSchema } from '~/schemas/items.ts';
import { CONTENT_DIR, itemsOf } from '../helpers/content.ts';

/**
 * What the association publishes links to real places: its own pages and files, a
 * mailto:, or a real site. A link to qala.example.org or meet.qala.example.org is a
 * placeholder a reader cannot follow, wherever it sits (frontmatter, markdown, JSON).
 */
function* files(dir: string): Generator<string> {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* files(path);
    else if (/\.(md|json)$/.test(name)) yield path;
  }
}

const PLACEHOLDER_LINK = /https?:\/\/([a-z0-9-]+\.)*(example\.(org|com|net)|localhost)\b[^\s)"'\]]*/gi;

describe('links in content', () => {
  const all = [...files(CONTENT_DIR)];

  it('reads every content file', () => {
    expect(all.length).toBeGreaterThan(50);
  });

  it('never link to an example domain', () => {
    const found = all.flatMap((path) =>
      readFileSync(path, 'utf8')
        .split('\n')
        .flatMap((line, index) => [...line.matchAll(PLACEHOLDER_LINK)].map((match) => `${relative(CONTENT_DIR, path)}:${index + 1} ${match[0]}`)),
    );
    expect(found).toEqual([]);
  });

  it('link the portal’s own pages in the language of the file they are in', () => {
    const wrong = all.flatMap((path) => {
      const folder = relative(CONTENT_DIR, path).split('/')[1];
      if (!folder || !['kk', 'ru', 'en'].includes(folder)) return [];
      const own = [...readFileSync(path, 'utf8').matchAll(/(?:^[a-zA-Z]+: |\]\()\/(kk|ru|en)\//gm)].map((match) => match[1]);
      return own.filter((lang) => lang !== folder).map((lang) => `${relative(CONTENT_DIR, path)} links /${lang}/`);
    });
    expect(wrong).toEqual([]);
  });

  it('are refused by the schemas when they point to a placeholder', () => {
    const event = {
      title: 'Utilities forum 2027',
      summary: 'Two days on renewing heating, water and sewer networks in member towns.',
      date: '2026-10-01',
      topics: ['utilities-housing'],
      start: '2027-04-14T09:30:00+05:00',
      registration: 'Register by 1 April',
    };
    expect(eventSchema.safeParse({ ...event, online: true }).success).toBe(true);
    expect(eventSchema.safeParse({ ...event, online: 'https://meet.qala.example.org/forum' }).success).toBe(false);
    expect(eventSchema.safeParse({ ...event, online: true, registrationUrl: 'https://qala.example.org/events/forum/register' }).success).toBe(false);
    expect(eventSchema.safeParse({ ...event, online: true, registrationUrl: 'mailto:events@association.kz?subject=Forum' }).success).toBe(true);

    const programme = {
      title: 'Indicator pilot grants',
      summary: 'Small grants for towns that collect the association’s indicators for two years.',
      date: '2026-09-01',
      topics: ['indicators-data'],
      funder: 'The association',
      eligibility: 'Member towns with a named data owner.',
    };
    expect(programmeSchema.safeParse({ ...programme, link: '/en/exchange/new/' }).success).toBe(true);
    expect(programmeSchema.safeParse({ ...programme, link: 'https://damu.kz' }).success).toBe(true);
    expect(programmeSchema.safeParse({ ...programme, link: 'https://qala.example.org/programmes/pilot/apply' }).success).toBe(false);
    expect(programmeSchema.safeParse({ ...programme, link: '//evil.example.net/' }).success).toBe(false);

    const resource = {
      title: 'Indicator toolkit',
      summary: 'Indicators a town authority can collect every year, with definitions.',
      date: '2026-03-16',
      topics: ['indicators-data'],
      type: 'toolkit',
      authors: ['The association'],
    };
    expect(resourceSchema.safeParse({ ...resource, file: { url: '/files/indicator-template.csv', label: 'Template', format: 'CSV' } }).success).toBe(true);
    expect(resourceSchema.safeParse({ ...resource, file: { url: 'https://qala.example.org/files/x.xlsx', label: 'Template', format: 'XLSX' } }).success).toBe(false);
  });

  it('to the portal’s files point to files that exist', () => {
    const missing = all.flatMap((path) =>
      [...readFileSync(path, 'utf8').matchAll(/^\s*url: (\/files\/\S+)$/gm)]
        .map((match) => match[1]!)
        .filter((url) => {
          try {
            return !statSync(join(process.cwd(), 'public', url)).isFile();
          } catch {
            return true;
          }
        }),
    );
    expect(missing).toEqual([]);
  });
});

describe('what a resource says it concerns', () => {
  it('names only funding programmes that exist, and the demo content uses every kind of facet', () => {
    const programmes = new Set(itemsOf('programmes').map((item) => item.slug));
    const named = itemsOf('resources').flatMap((item) => item.languages.flatMap((lang) => ((item.versions[lang]!.data.programmes ?? []) as string[]).map((slug) => `${item.slug} (${lang}): ${slug}`)));
    expect(named.length).toBeGreaterThan(5);
    expect(named.filter((entry) => !programmes.has(entry.split(': ')[1]!))).toEqual([]);
    const data = itemsOf('resources').flatMap((item) => item.languages.map((lang) => item.versions[lang]!.data));
    expect(data.some((entry) => (entry.towns ?? []).length > 1)).toBe(true);
    expect(data.some((entry) => (entry.regions ?? []).length > 0)).toBe(true);
  });

  it('is the same in every language version of a resource', () => {
    const differing = itemsOf('resources').filter((item) => {
      const facets = item.languages.map((lang) => JSON.stringify(['programmes', 'regions', 'towns'].map((name) => item.versions[lang]!.data[name] ?? [])));
      return new Set(facets).size > 1;
    });
    expect(differing.map((item) => item.slug)).toEqual([]);
  });
});
