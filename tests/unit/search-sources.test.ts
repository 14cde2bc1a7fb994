import { describe, expect, it } from 'vitest';
import { dictionaries, LANGUAGES } from '~/i18n/index.ts';
import { SECTION_COLLECTIONS } from '~/lib/knowledge/sections.ts';
import { SEARCH_SECTION_LABELS, sectionLabel } from '~/lib/search/section-labels.ts';

const SEARCH_SECTIONS = Object.keys(SEARCH_SECTION_LABELS);
import { contentDocument, contentPath } from '~/server/search/sources/content.ts';
import { groupDocuments } from '~/server/search/sources/groups.ts';
import { indicatorCatalogueDocuments } from '~/server/search/sources/indicators.ts';
import { guessLanguage, plainText } from '~/server/search/sources/text.ts';

/** The pure parts of the search sources: what a document says, in which language, under which section. */

describe('guessLanguage', () => {
  it('tells Kazakh from Russian by Kazakh’s own letters, and English by Latin letters', () => {
    expect(guessLanguage('Жылу беру маусымына дайындық қалай өтті?', 'ru')).toBe('kk');
    expect(guessLanguage('Подготовка к отопительному сезону в Темиртау', 'kk')).toBe('ru');
    expect(guessLanguage('Winter readiness of the heating network', 'ru')).toBe('en');
    // A Russian text naming a Kazakh town stays Russian.
    expect(guessLanguage('Опыт города Теміртау по замене труб в четырёх микрорайонах и котельных', 'en')).toBe('ru');
    expect(guessLanguage('2024 — 1 000', 'kk')).toBe('kk');
  });
});

describe('plainText', () => {
  it('keeps the words of markdown and drops its markup and HTML', () => {
    expect(plainText('## Heading\n\nSome **bold** [link](https://example.org) <script>alert(1)</script>')).toBe('Heading Some bold link');
  });
});

describe('content documents', () => {
  it('live at the page the reader opens, under the knowledge centre’s section, with the town names of a case', () => {
    expect(contentPath({ collection: 'programmes', slug: 'monotowns' })).toBe('/funding/monotowns/');
    expect(contentPath({ collection: 'pages', slug: 'about' })).toBe('/about/');
    const document = contentDocument({ collection: 'cases', slug: 'temirtau-heat', lang: 'ru', title: 'Тепло', summary: 'Сети', body: '# Контекст\n\nТрубы *заменили*.', date: new Date('2024-05-01T00:00:00Z'), topics: ['utilities-housing'], towns: ['temirtau'] });
    expect(document).toMatchObject({ key: 'content:cases/temirtau-heat:ru', source: 'content', section: 'cases', lang: 'ru', path: '/cases/temirtau-heat/', audience: 'public', publishedAt: 1714521600 });
    expect(document.body).toContain('Контекст Трубы заменили.');
    expect(document.body).toContain('Temirtau');
    expect(document.body).toContain('Теміртау');
  });
});

describe('groups', () => {
  const row = { id: 7, slug: 'heating', name_kk: 'Жылу', name_ru: 'Тепло', name_en: 'Heating', purpose_kk: 'Мақсат', purpose_ru: 'Цель', purpose_en: 'Goal', topics: '["utilities-housing"]', created_at: 1, archived_at: null };
  it('a private group is known to its members only, with its purpose; an open group is public, its purpose only when made public', () => {
    expect(groupDocuments({ ...row, visibility: 'private', description_public: 1 }).map((document) => document.audience)).toEqual(['group:7', 'group:7', 'group:7']);
    const closedPurpose = groupDocuments({ ...row, visibility: 'approval', description_public: 0 });
    expect(closedPurpose.map((document) => document.audience)).toEqual(['public', 'public', 'public']);
    expect(closedPurpose.map((document) => document.summary)).toEqual(['', '', '']);
    expect(groupDocuments({ ...row, visibility: 'open', description_public: 1 }).find((document) => document.lang === 'en')!.summary).toBe('Goal');
  });
});

describe('sections', () => {
  it('name every section a source writes, each with a label in kk, ru and en', () => {
    for (const collection of SECTION_COLLECTIONS) expect(SEARCH_SECTIONS).toContain(collection);
    for (const section of ['pages', 'towns', 'dialogue', 'positions', 'groups', 'threads', 'indicators', 'events', 'exchange', 'members']) expect(SEARCH_SECTIONS).toContain(section);
    for (const document of indicatorCatalogueDocuments()) expect(SEARCH_SECTIONS).toContain(document.section);
    for (const section of SEARCH_SECTIONS) {
      for (const lang of LANGUAGES) expect(dictionaries[lang][sectionLabel(section)], `${section} ${lang}`).toMatch(/^\S/);
    }
  });
});
