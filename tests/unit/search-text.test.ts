import { describe, expect, it } from 'vitest';
import { stemKazakh } from '~/lib/search/kazakh-stemmer.ts';
import { snippetHtml } from '~/lib/search/snippet.ts';
import { deletionVariants, editDistance } from '~/lib/search/spelling.ts';
import { indexTerm, queryTerms } from '~/lib/search/terms.ts';
import { alphabetOf, normaliseText, words } from '~/lib/search/text.ts';
import { cyrillicToLatin, latinToCyrillic } from '~/lib/search/transliterate.ts';

describe('reading text', () => {
  it('lower-cases, applies NFKC, reads ё as е and splits at punctuation', () => {
    expect(normaliseText('ＡＢＣ Ёлка')).toBe('abc елка');
    expect(words('Теплоснабжение, «Қала-2027»: e-mail!')).toEqual(['теплоснабжение', 'қала', '2027', 'e', 'mail']);
  });

  it('keeps Kazakh letters whole and tells the alphabets apart', () => {
    expect(words('Өскемен Үржар ұлттық')).toEqual(['өскемен', 'үржар', 'ұлттық']);
    expect(alphabetOf('қала')).toBe('kazakh');
    expect(alphabetOf('жылу')).toBe('cyrillic');
    expect(alphabetOf('heat')).toBe('latin');
    expect(alphabetOf('2027')).toBe('other');
  });
});

describe('the Kazakh stemmer', () => {
  it('keeps heat (жылу) and year (жыл) apart in all their forms', () => {
    for (const form of ['жылу', 'жылумен', 'жылудың', 'жылуы', 'жылуға', 'жылуда']) expect(stemKazakh(form), form).toBe('жылу');
    for (const form of ['жыл', 'жылы', 'жылдар', 'жылдың', 'жылға', 'жылда', 'жылдары']) expect(stemKazakh(form), form).toBe('жыл');
  });

  it('finds the town (қала) under its plural, possessive and case endings', () => {
    for (const form of ['қала', 'қаласы', 'қалалар', 'қаланың', 'қалада', 'қаласының', 'қаласында', 'қалалары', 'қаласына']) expect(stemKazakh(form), form).toBe('қала');
  });

  it('strips only suffixes that agree in vowel harmony, never below three letters', () => {
    expect(stemKazakh('мектептер')).toBe('мектеп');
    expect(stemKazakh('мектептар')).toBe('мектептар');
    expect(stemKazakh('аудан')).toBe('аудан');
    expect(stemKazakh('ауданнан')).toBe('аудан');
    expect(stemKazakh('астана')).toBe('астана');
    expect(stemKazakh('су')).toBe('су');
  });
});

describe('index terms', () => {
  it('stems Russian and English forms to one term', () => {
    expect(indexTerm('теплоснабжения', 'ru')).toBe(indexTerm('теплоснабжение', 'ru'));
    expect(indexTerm('utilities', 'en')).toBe(indexTerm('utility', 'en'));
    expect(indexTerm('heating', 'en')).toBe(indexTerm('heated', 'en'));
  });

  it('tags each term with its stemmer, so the Russian reading of "жылу" never meets the Kazakh year', () => {
    expect(queryTerms('жылу')).toContain('kжылу');
    expect(queryTerms('жылу')).not.toContain('kжыл');
    expect(indexTerm('жыл', 'kk')).toBe('kжыл');
    expect(indexTerm('жылу', 'kk')).toBe('kжылу');
  });
});

describe('spelling', () => {
  it('measures one wrong, missing, extra or swapped letter as one edit', () => {
    expect(editDistance('utilites', 'utilities')).toBe(1);
    expect(editDistance('diversifcation', 'diversification')).toBe(1);
    expect(editDistance('темиртау', 'теміртау')).toBe(1);
    expect(editDistance('ekibastus', 'ekibastuz')).toBe(1);
    expect(editDistance('hetaing', 'heating')).toBe(1);
    expect(editDistance('жылу', 'жыл')).toBe(1);
    expect(editDistance('water', 'winter')).toBe(2);
  });

  it('gives a word and its one-letter-shorter forms, which one-edit neighbours share', () => {
    expect(deletionVariants('heat')).toEqual(['heat', 'eat', 'hat', 'het', 'hea']);
    const shared = (a: string, b: string) => deletionVariants(a).some((variant) => deletionVariants(b).includes(variant));
    expect(shared('utilites', 'utilities')).toBe(true);
    expect(shared('hetaing', 'heating')).toBe(true);
    expect(shared('темиртау', 'теміртау')).toBe(true);
  });
});

describe('transliteration', () => {
  it('writes town names in the other alphabet, close enough for the typo lookup', () => {
    expect(latinToCyrillic('temirtau')).toBe('темиртау');
    expect(latinToCyrillic('zhezkazgan')).toBe('жезказган');
    expect(editDistance(latinToCyrillic('baikonur'), 'байконур')).toBe(1);
    expect(latinToCyrillic('ekibastuz')).toBe('экибастуз');
    expect(cyrillicToLatin('теміртау')).toBe('temirtau');
    expect(cyrillicToLatin('экибастуз')).toBe('ekibastuz');
  });
});

describe('snippets', () => {
  it('escapes the text and marks the matched words', () => {
    const html = snippetHtml('Heating <b>tariffs</b> & utilities in Temirtau', (word) => word === 'utilities' || word === 'b');
    expect(html).toBe('Heating &lt;<mark>b</mark>&gt;tariffs&lt;/<mark>b</mark>&gt; &amp; <mark>utilities</mark> in Temirtau');
  });

  it('starts near the first match in a long text', () => {
    const text = `${'word '.repeat(100)}the utilities renewal ${'tail '.repeat(100)}`;
    const html = snippetHtml(text, (word) => word === 'utilities');
    expect(html.startsWith('… ')).toBe(true);
    expect(html).toContain('<mark>utilities</mark>');
    expect(html.length).toBeLessThan(300);
  });
});
