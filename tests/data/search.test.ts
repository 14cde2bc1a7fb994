import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '~/server/db/schema.ts';
import type { SearchReader } from '~/server/search/audiences.ts';
import { removeSearchDocuments, saveSearchDocuments, type SearchDocument } from '~/server/search/documents.ts';
import { rebuildSearchIndex } from '~/server/search/index-writer.ts';
import { MAX_COUNTED, search } from '~/server/search/query.ts';
import { createTestDatabase } from '../helpers/database.ts';

const VISITOR: SearchReader = { audiences: ['public'], everyGroup: false };
const SIGNED_IN: SearchReader = { audiences: ['public', 'signed_in'], everyGroup: false };
const MEMBER_OF_7: SearchReader = { audiences: ['public', 'signed_in', 'members', 'group:7'], everyGroup: false };
const EDITOR: SearchReader = { audiences: ['public', 'signed_in', 'members'], everyGroup: true };

function doc(key: string, fields: Partial<SearchDocument> & Pick<SearchDocument, 'title'>): SearchDocument {
  const [source, id, lang] = key.split(':') as [string, string, SearchDocument['lang']];
  return { key, source, section: source, lang, path: `/${source}/${id}/`, audience: 'public', publishedAt: 1_700_000_000, ...fields };
}

const DOCUMENTS: SearchDocument[] = [
  doc('resources:diversify:en', { section: 'resources', title: 'Economic diversification toolkit', summary: 'How a single-industry town plans diversification.', body: 'Steps, partners and funding for diversification of monotowns.' }),
  doc('resources:utilities:en', { section: 'resources', title: 'Renewing municipal utilities', summary: 'Water and heating networks.', body: 'Utilities renewal with tariffs & <script>alert(1)</script> loans.' }),
  doc('resources:heat:ru', { section: 'resources', title: 'Модернизация теплоснабжения', summary: 'Теплоснабжение малых городов.', body: 'Котельные и сети.' }),
  doc('cases:heat:kk', { section: 'cases', title: 'Қаланың жылу желілері', summary: 'Жылумен жабдықтау жаңартылды.', body: 'Жылудың шығыны азайды.' }),
  doc('news:year:kk', { section: 'news', title: 'Жыл қорытындысы', summary: 'Өткен жылдың басты оқиғалары.', body: 'Биыл жылы қалалар көп жұмыс атқарды.' }),
  doc('towns:temirtau:kk', { section: 'towns', title: 'Теміртау', summary: 'Қарағанды облысы, металлургия.', body: '' }),
  doc('towns:temirtau:ru', { section: 'towns', title: 'Темиртау', summary: 'Карагандинская область, металлургия.', body: '' }),
  doc('towns:temirtau:en', { section: 'towns', title: 'Temirtau', summary: 'Karaganda region, steel.', body: '' }),
  doc('towns:ekibastuz:ru', { section: 'towns', title: 'Экибастуз', summary: 'Павлодарская область, уголь.', body: '' }),
  doc('towns:baikonur:ru', { section: 'towns', title: 'Байконур', summary: 'Кызылординская область, космодром.', body: '' }),
  doc('exchange:1:en', { section: 'exchange', audience: 'members', title: 'Request: heating tariffs advice', summary: 'Members only question about heating.', body: 'Confidential zeppelin budget.' }),
  doc('threads:7:en', { section: 'threads', audience: 'group:7', title: 'Group seven heating thread', summary: 'Heating in group seven.', body: '' }),
  doc('threads:8:en', { section: 'threads', audience: 'group:8', title: 'Private group eight heating thread', summary: 'Heating in group eight.', body: '' }),
  doc('members:1:en', { section: 'members', audience: 'signed_in', title: 'Aigerim, heating engineer', summary: 'Signed-in readers see this heating profile.', body: '' }),
];

let db: Kysely<Database>;
let cleanup: () => Promise<void>;
beforeAll(async () => {
  ({ db, cleanup } = await createTestDatabase());
  await saveSearchDocuments(db, DOCUMENTS);
});
afterAll(() => cleanup());

const find = async (text: string, reader = VISITOR, filters: { section?: string; lang?: 'kk' | 'ru' | 'en'; page?: number } = {}) =>
  search(db, { text, reader, page: filters.page ?? 1, section: filters.section, lang: filters.lang });
const keys = async (text: string, reader = VISITOR) => (await find(text, reader)).results.map((result) => result.key).sort();

describe('words in other forms', () => {
  it('finds Russian and English words in their other forms', async () => {
    expect(await keys('теплоснабжения')).toEqual(['resources:heat:ru']);
    expect(await keys('utility')).toEqual(['resources:utilities:en']);
  });

  it('finds Kazakh heat (жылу) in its forms and never the year (жыл), and the other way round', async () => {
    expect(await keys('жылу')).toEqual(['cases:heat:kk']);
    expect(await keys('жылумен')).toEqual(['cases:heat:kk']);
    expect(await keys('жыл')).toEqual(['news:year:kk']);
    expect(await keys('жылдар')).toEqual(['news:year:kk']);
  });
});

describe('typos and other alphabets', () => {
  it('forgives one wrong, missing, extra or swapped letter in a word of five or more', async () => {
    expect(await keys('diversifcation')).toEqual(['resources:diversify:en']);
    expect(await keys('utilites')).toEqual(['resources:utilities:en']);
    expect(await keys('utilitties')).toEqual(['resources:utilities:en']);
    expect(await keys('teplosnabzhenie')).toEqual(['resources:heat:ru']);
    expect(await keys('теплосанбжение')).toEqual(['resources:heat:ru']);
  });

  it('finds a town however its name is spelt: Kazakh, Russian, Latin, with a typo', async () => {
    const everyVersion = ['towns:temirtau:en', 'towns:temirtau:kk', 'towns:temirtau:ru'];
    expect(await keys('Темиртау')).toEqual(everyVersion);
    expect(await keys('Теміртау')).toEqual(everyVersion);
    expect(await keys('Темиртаудың')).toEqual(['towns:temirtau:kk', 'towns:temirtau:ru']);
    expect(await keys('temirtau')).toEqual(['towns:temirtau:en', 'towns:temirtau:kk', 'towns:temirtau:ru']);
    expect(await keys('Ekibastus')).toEqual(['towns:ekibastuz:ru']);
    expect(await keys('Ekibastuz')).toEqual(['towns:ekibastuz:ru']);
    expect(await keys('Baikonur')).toEqual(['towns:baikonur:ru']);
  });

  it('takes a short word as typed', async () => {
    expect(await keys('hета')).toEqual([]);
  });
});

describe('who finds what', () => {
  it('never shows a visitor members-only, signed-in or group documents', async () => {
    expect(await keys('heating')).toEqual(['resources:utilities:en']);
    expect((await find('zeppelin')).total).toBe(0);
  });

  it('shows a signed-in account what is for signed-in readers, not members', async () => {
    expect(await keys('heating', SIGNED_IN)).toEqual(['members:1:en', 'resources:utilities:en']);
  });

  it("shows a member the members' documents and their own groups only", async () => {
    expect(await keys('heating', MEMBER_OF_7)).toEqual(['exchange:1:en', 'members:1:en', 'resources:utilities:en', 'threads:7:en']);
  });

  it('shows an editor every group', async () => {
    expect(await keys('heating', EDITOR)).toEqual(['exchange:1:en', 'members:1:en', 'resources:utilities:en', 'threads:7:en', 'threads:8:en']);
  });

  it('never suggests a word only others may find', async () => {
    const answer = await find('zepelin');
    expect(answer.total).toBe(0);
    expect(answer.suggestion).toBeNull();
    expect((await find('zepelinn', MEMBER_OF_7)).suggestion).toBe('zeppelin');
  });
});

describe('results', () => {
  it('ranks a title match above a body match', async () => {
    const answer = await find('diversification utilities heating networks', EDITOR);
    expect(answer.total).toBe(0);
    const both = await find('heating', EDITOR);
    expect(both.results.at(-1)!.key).toBe('resources:utilities:en');
  });

  it('counts by section with the language filter, and by language with the section filter', async () => {
    const answer = await find('металлургия');
    expect(answer.total).toBe(2);
    const towns = await find('Темиртау', VISITOR, { lang: 'ru' });
    expect(towns.total).toBe(1);
    expect(towns.sections).toEqual({ towns: 1 });
    expect(towns.languages).toEqual({ en: 1, kk: 1, ru: 1 });
    const filtered = await find('Темиртау', VISITOR, { section: 'cases' });
    expect(filtered.total).toBe(0);
    expect(filtered.sections).toEqual({ towns: 3 });
    expect(filtered.languages).toEqual({});
  });

  it('marks the matched words in the title and snippet, and escapes the text', async () => {
    const [result] = (await find('tariffs')).results;
    expect(result!.snippetHtml).toContain('<mark>tariffs</mark>');
    expect(result!.snippetHtml).toContain('&amp; &lt;script&gt;');
    expect(result!.snippetHtml).not.toContain('<script>');
    const [title] = (await find('utilities')).results;
    expect(title!.titleHtml).toBe('Renewing municipal <mark>utilities</mark>');
    expect(title!.path).toBe('/resources/utilities/');
    expect(title!.lang).toBe('en');
  });

  it('offers the nearest known word when nothing is found', async () => {
    const answer = await find('diversifficcation');
    expect(answer.total).toBe(0);
    expect(answer.suggestion).toBe('diversification');
    expect((await find('watr networks')).suggestion).toBe('water networks');
    // A forgiven typo beside a word too far off: both are corrected in the suggestion.
    expect((await find('diversifcation toollkitt')).suggestion).toBe('diversification toolkit');
    expect((await find('qwertyuiop')).suggestion).toBeNull();
  });

  it('pages ten at a time', async () => {
    const many = Array.from({ length: 23 }, (_, index) => doc(`news:bulk${index}:en`, { section: 'news', title: `Bulletin number ${index}`, publishedAt: 1_700_000_000 + index }));
    await saveSearchDocuments(db, many);
    const first = await find('bulletin');
    expect(first.total).toBe(23);
    expect(first.results).toHaveLength(10);
    expect(first.results[0]!.key).toBe('news:bulk22:en');
    expect((await find('bulletin', VISITOR, { page: 3 })).results).toHaveLength(3);
    await removeSearchDocuments(db, ['news:bulk'], { prefix: true });
    expect((await find('bulletin')).total).toBe(0);
  });

  it('past MAX_COUNTED matches says "500+", keeps every page openable, and still finds only what the reader may see', async () => {
    const bulletin = (key: string, fields: Partial<SearchDocument> = {}) => doc(key, { title: 'Regional bulletin', summary: 'The bulletin of the month.', ...fields });
    await saveSearchDocuments(db, [
      ...Array.from({ length: 300 }, (_, index) => bulletin(`news:old${index}:en`, { section: 'news' })),
      // Five events among the oldest matches: found by the section filter however many others match.
      ...Array.from({ length: 5 }, (_, index) => bulletin(`events:old${index}:en`, { section: 'events' })),
      ...Array.from({ length: 300 }, (_, index) => bulletin(`news:new${index}:en`, { section: 'news' })),
      ...Array.from({ length: 600 }, (_, index) => bulletin(`exchange:b${index}:en`, { section: 'exchange', audience: 'members' })),
    ]);
    try {
      const answer = await find('bulletin');
      expect(answer.total).toBe(MAX_COUNTED);
      expect(answer.totalAtLeast).toBe(true);
      expect(answer.countsAtLeast).toBe(true);
      expect(answer.sections.exchange).toBeUndefined();
      const last = await find('bulletin', VISITOR, { page: MAX_COUNTED / 10 });
      expect(last.results).toHaveLength(10);
      expect(last.results.every((result) => result.section === 'news' || result.section === 'events')).toBe(true);
      const events = await find('bulletin', VISITOR, { section: 'events' });
      expect(events.total).toBe(5);
      expect(events.totalAtLeast).toBe(false);
      expect(events.results.map((result) => result.key).sort()).toEqual(['events:old0:en', 'events:old1:en', 'events:old2:en', 'events:old3:en', 'events:old4:en']);
      expect((await find('bulletin', VISITOR, { section: 'exchange' })).total).toBe(0);
      const member = await find('bulletin', MEMBER_OF_7, { section: 'exchange' });
      expect(member.total).toBe(MAX_COUNTED);
      expect(member.totalAtLeast).toBe(true);
      // Under the cap the counts are exact again.
      const few = await find('bulletin', VISITOR, { section: 'events', lang: 'en' });
      expect(few.total).toBe(5);
    } finally {
      await removeSearchDocuments(db, ['news:old', 'news:new', 'events:old', 'exchange:b'], { prefix: true });
    }
    expect((await find('bulletin', EDITOR)).total).toBe(0);
  });
});

describe('keeping the index current', () => {
  it('follows a changed and a removed document at once', async () => {
    await saveSearchDocuments(db, [doc('groups:9:en', { section: 'groups', title: 'Youth retention committee' })]);
    expect(await keys('retention')).toEqual(['groups:9:en']);
    await saveSearchDocuments(db, [doc('groups:9:en', { section: 'groups', title: 'Youth programme committee' })]);
    expect(await keys('retention')).toEqual([]);
    expect(await keys('programme')).toEqual(['groups:9:en']);
    await saveSearchDocuments(db, [doc('groups:9:en', { section: 'groups', title: 'Youth programme committee', audience: 'group:9' })]);
    expect(await keys('programme')).toEqual([]);
    await removeSearchDocuments(db, ['groups:9:en']);
    expect(await keys('programme', EDITOR)).toEqual([]);
  });

  it('rebuilds the same index from the documents', async () => {
    const before = await keys('heating', EDITOR);
    const { documents } = await rebuildSearchIndex(db);
    expect(documents).toBe(DOCUMENTS.length);
    expect(await keys('heating', EDITOR)).toEqual(before);
    expect(await keys('utilites')).toEqual(['resources:utilities:en']);
  });
});
