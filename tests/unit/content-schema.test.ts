import { describe, expect, it } from 'vitest';
import type { ZodError, ZodTypeAny } from 'astro/zod';
import { caseSchema, eventSchema, newsSchema, pageSchema, programmeSchema, resourceSchema } from '~/schemas/items.ts';
import { COLLECTIONS, contentFiles, knowledgeItems, LANGS, type Collection } from '../helpers/content.ts';

/**
 * The content schemas refuse what would publish a wrong page, with a message that
 * names the bad value or field; and the content the association ships obeys them.
 */

const validCase = {
  title: 'Ridder: renewing a district-heating network in phases',
  summary: 'Ridder renewed the worst sections of its heating network first, over five summers.',
  date: '2025-03-12',
  topics: ['utilities-housing', 'municipal-finance'],
  related: ['cases/saran-water-metering', 'resources/utility-network-renewal-guide'],
  town: 'ridder',
  region: 'east-kazakhstan',
  period: '2019–2024',
  cost: { amount: 2_900_000_000, currency: 'KZT' },
  funding: 'Regional budget co-financing',
  contact: { name: 'Serik Abenov', role: 'Deputy akim', email: 's.abenov@example.org' },
  indicators: [{ name: 'Heat losses', before: 31, after: 22, unit: '%', year: 2024 }],
  illustrative: true,
};

const validEvent = {
  title: 'Utilities forum 2027',
  summary: 'Two days on renewing heating, water and sewer networks in member towns.',
  date: '2026-10-01',
  topics: ['utilities-housing'],
  start: '2027-04-14T09:30:00+05:00',
  end: '2027-04-15T17:00:00+05:00',
  place: 'Ridder',
  online: true,
  registration: 'Register by 1 April',
};

const validProgramme = {
  title: 'Indicator pilot grants',
  summary: 'Grants for towns that pilot the indicator toolkit and publish the results.',
  date: '2026-09-01',
  topics: ['indicators-data'],
  funder: 'The association',
  eligibility: 'Member towns with a named indicator officer',
  amount: { min: 2_000_000, max: 5_000_000, currency: 'KZT' },
  deadline: '2027-02-15',
  link: '/en/contact/',
};

/** The issues of a parse that must fail. */
function issuesOf(schema: ZodTypeAny, input: unknown): ZodError['issues'] {
  const result = schema.safeParse(input);
  expect(result.success, 'the schema accepted what it should refuse').toBe(false);
  return result.success ? [] : result.error.issues;
}

/** Asserts one issue sits at `path` and its message matches. */
function expectIssue(issues: ZodError['issues'], path: (string | number)[], message: RegExp | string): void {
  const atPath = issues.filter((issue) => issue.path.join('.') === path.join('.'));
  expect(atPath.map((issue) => issue.message), `issues: ${JSON.stringify(issues)}`).toContainEqual(
    typeof message === 'string' ? message : expect.stringMatching(message),
  );
}

describe('a case', () => {
  it('with every field right is accepted', () => {
    const result = caseSchema.safeParse(validCase);
    expect(result.success, JSON.stringify(!result.success && result.error.issues)).toBe(true);
  });

  it('with an unknown topic is refused, naming the topic and where topics are listed', () => {
    const issues = issuesOf(caseSchema, { ...validCase, topics: ['utilities-housing', 'x'] });
    expectIssue(issues, ['topics', 1], /^unknown topic "x": use one listed in content\/taxonomies\/topics\.json$/);
  });

  it('with an unknown town is refused, naming the town', () => {
    expectIssue(issuesOf(caseSchema, { ...validCase, town: 'almaty' }), ['town'], /unknown town "almaty"/);
  });

  it('with a town in the wrong region is refused, naming both regions', () => {
    const issues = issuesOf(caseSchema, { ...validCase, region: 'karaganda' });
    expectIssue(issues, ['region'], 'ridder is in region "east-kazakhstan", not "karaganda"');
  });

  it('with an unknown region is refused, naming the region', () => {
    expectIssue(issuesOf(caseSchema, { ...validCase, region: 'atlantis' }), ['region'], /unknown region "atlantis"/);
  });

  it('without `illustrative` is refused at that field', () => {
    const { illustrative: _, ...withoutIllustrative } = validCase;
    const issues = issuesOf(caseSchema, withoutIllustrative);
    expect(issues.map((issue) => issue.path.join('.'))).toEqual(['illustrative']);
    expect(issues[0]!.message).toMatch(/required/i);
  });

  it('with a related item written wrongly is refused with how to write it', () => {
    const issues = issuesOf(caseSchema, { ...validCase, related: ['cases/saran-water-metering', 'Saran water metering'] });
    expectIssue(issues, ['related', 1], /related items are written collection\/slug/);
  });

  it.each([['case/ridder'], ['cases:ridder'], ['cases/Ridder'], ['cases/ridder/extra'], ['pages/about']])(
    'a related item written as %s is refused',
    (reference) => {
      expectIssue(issuesOf(caseSchema, { ...validCase, related: [reference] }), ['related', 0], /collection\/slug/);
    },
  );

  it('without a topic is refused', () => {
    expectIssue(issuesOf(caseSchema, { ...validCase, topics: [] }), ['topics'], 'give at least one topic');
  });
});

describe('an event', () => {
  it('with a place and an online link is accepted, and with only one of them too', () => {
    expect(eventSchema.safeParse(validEvent).success).toBe(true);
    expect(eventSchema.safeParse({ ...validEvent, online: undefined }).success).toBe(true);
    expect(eventSchema.safeParse({ ...validEvent, place: undefined }).success).toBe(true);
  });

  it('with neither a place nor an online link is refused', () => {
    const issues = issuesOf(eventSchema, { ...validEvent, place: undefined, online: undefined });
    expectIssue(issues, ['place'], 'give a place, an online link, or both');
  });

  it('ending before it starts is refused at `end`', () => {
    const issues = issuesOf(eventSchema, { ...validEvent, end: '2027-04-13T17:00:00+05:00' });
    expectIssue(issues, ['end'], 'the end is before the start');
  });
});

describe('a funding programme', () => {
  it('with min below max is accepted, and without an amount or deadline too', () => {
    expect(programmeSchema.safeParse(validProgramme).success).toBe(true);
    expect(programmeSchema.safeParse({ ...validProgramme, amount: undefined, deadline: undefined }).success).toBe(true);
  });

  it('whose minimum amount is above its maximum is refused at `amount`', () => {
    const issues = issuesOf(programmeSchema, { ...validProgramme, amount: { min: 6_000_000, max: 5_000_000, currency: 'KZT' } });
    expectIssue(issues, ['amount'], 'the minimum amount is above the maximum');
  });
});

describe('a resource', () => {
  it('with an unknown type is refused, naming the type', () => {
    const resource = { ...validProgramme, type: 'podcast', authors: ['The association'] };
    expectIssue(issuesOf(resourceSchema, resource), ['type'], /unknown resource type "podcast"/);
  });
});

describe('the content the association publishes', () => {
  const files = contentFiles();
  const schemas: Record<Collection | 'pages', ZodTypeAny> = {
    resources: resourceSchema,
    cases: caseSchema,
    news: newsSchema,
    events: eventSchema,
    programmes: programmeSchema,
    pages: pageSchema,
  };

  it('has files', () => {
    expect(files.length).toBeGreaterThan(40);
  });

  it('keeps every file in a language folder of a known collection', () => {
    const misplaced = files.filter((file) => !(file.collection in schemas) || !(LANGS as readonly string[]).includes(file.folder));
    expect(misplaced.map((file) => file.file)).toEqual([]);
  });

  it('has frontmatter that every schema accepts', () => {
    const refused = files.flatMap((file) => {
      const result = schemas[file.collection as Collection | 'pages']?.safeParse(file.data);
      return result && !result.success ? [`${file.file}: ${result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')}`] : [];
    });
    expect(refused).toEqual([]);
  });

  it('names only related items that exist in some language', () => {
    const existing = new Set(knowledgeItems().map((item) => `${item.collection}/${item.slug}`));
    const broken = files.flatMap((file) =>
      ((file.data.related ?? []) as string[]).filter((reference) => !existing.has(reference)).map((reference) => `${file.file} → ${reference}`),
    );
    expect(broken).toEqual([]);
  });

  const SECTIONS_BY_LANGUAGE = {
    en: ['Context', 'Challenge', 'Approach', 'Obstacles', 'Results', 'Next steps'],
    ru: ['Контекст', 'Проблема', 'Решение', 'Трудности', 'Результаты', 'Дальнейшие шаги'],
    kk: ['Контекст', 'Мәселе', 'Шешім', 'Қиындықтар', 'Нәтижелер', 'Келесі қадамдар'],
  } as const;

  it('writes every case in the six sections of the case template, in order, in its language', () => {
    const cases = files.filter((file) => file.collection === 'cases');
    expect(cases.length).toBeGreaterThanOrEqual(10);
    const wrong = cases.flatMap((file) => {
      const headings = [...file.body.matchAll(/^## (.+?)\s*$/gm)].map((match) => match[1]);
      const expected = SECTIONS_BY_LANGUAGE[file.folder as keyof typeof SECTIONS_BY_LANGUAGE];
      return JSON.stringify(headings) === JSON.stringify(expected) ? [] : [`${file.file}: ${JSON.stringify(headings)}`];
    });
    expect(wrong).toEqual([]);
  });

  it.each([
    ['resources', 12],
    ['cases', 10],
    ['news', 6],
    ['events', 4],
    ['programmes', 8],
  ] as const)('has at least the promised number of %s (%i)', (collection, minimum) => {
    expect(knowledgeItems().filter((item) => item.collection === collection).length).toBeGreaterThanOrEqual(minimum);
  });

  it('has about a third of its items in all three languages', () => {
    const all = knowledgeItems();
    expect(new Set(all.map((item) => item.collection))).toEqual(new Set(COLLECTIONS));
    expect(all.length).toBeGreaterThanOrEqual(40);
    expect(all.filter((item) => item.languages.length === 3).length).toBeGreaterThanOrEqual(13);
  });

  it('has every association page in all three languages', () => {
    for (const lang of LANGS) {
      const pages = files.filter((file) => file.collection === 'pages' && file.folder === lang).map((file) => file.slug);
      expect(pages.sort()).toEqual(['about', 'accessibility', 'contact', 'membership', 'priorities', 'privacy', 'rules']);
    }
  });
});
