import { describe, expect, it } from 'vitest';
import { createTranslator, dictionaries as merged, dictionaryParts, languageFromPath, pathInLanguage, preferredLanguage } from '~/i18n/index.ts';

const dictionaries = merged as Record<string, Record<string, string>>;
const { kk, ru, en } = dictionaries as { kk: Record<string, string>; ru: Record<string, string>; en: Record<string, string> };
const placeholders = (message: string) => [...message.matchAll(/\{(\w+)\}/g)].map((match) => match[1]).sort();

describe('the dictionaries', () => {
  const allKeys = [...new Set(Object.values(dictionaries).flatMap((dictionary) => Object.keys(dictionary)))].sort();

  it.each(Object.keys(dictionaries))('%s has every key any language has', (language) => {
    expect(Object.keys(dictionaries[language]!).sort()).toEqual(allKeys);
  });

  it.each(Object.keys(dictionaries))('%s has no empty message', (language) => {
    const empty = Object.entries(dictionaries[language]!).filter(([, message]) => !message.trim());
    expect(empty).toEqual([]);
  });

  it('define each key in one part only', () => {
    const owners = new Map<string, string[]>();
    for (const [part, languages] of Object.entries(dictionaryParts)) {
      for (const key of Object.keys(languages.en)) owners.set(key, [...(owners.get(key) ?? []), part]);
    }
    expect([...owners].filter(([, parts]) => parts.length > 1)).toEqual([]);
  });

  it.each(Object.keys(dictionaryParts))('part %s has the same keys in kk, ru and en', (part) => {
    const languages = dictionaryParts[part as keyof typeof dictionaryParts] as Record<string, Record<string, string>>;
    const english = Object.keys(languages.en!).sort();
    expect(Object.keys(languages.kk!).sort()).toEqual(english);
    expect(Object.keys(languages.ru!).sort()).toEqual(english);
  });

  it('use the same placeholders in every language', () => {
    const mismatched = allKeys.filter((key) => {
      const expected = placeholders(en[key]!);
      return [kk, ru].some((dictionary) => JSON.stringify(placeholders(dictionary[key] ?? '')) !== JSON.stringify(expected));
    });
    expect(mismatched).toEqual([]);
  });

  it('are really translated: Kazakh and Russian differ from English', () => {
    const sameAsEnglish = allKeys.filter((key) => /[a-z]{4}/i.test(en[key]!) && kk[key] === en[key]!);
    // Figures like "27" may coincide; words may not.
    expect(sameAsEnglish).toEqual([]);
  });
});

describe('translation helpers', () => {
  it('fill placeholders', () => {
    expect(createTranslator('en')('account.greeting', { name: 'Aigerim' })).toBe('Hello, Aigerim');
    expect(createTranslator('kk')('account.greeting', { name: 'Айгерім' })).toContain('Айгерім');
  });

  it('fill every message of every dictionary as replacing each placeholder would, leaving one without a parameter as written', () => {
    const replaced = (message: string, params: Record<string, string | number>) =>
      message.replace(/\{(\w+)\}/g, (placeholder, name: string) => (name in params ? String(params[name]) : placeholder));
    let filled = 0;
    for (const language of ['kk', 'ru', 'en'] as const) {
      const t = createTranslator(language);
      for (const [key, message] of Object.entries(merged[language])) {
        const names = [...message.matchAll(/\{(\w+)\}/g)].map((match) => match[1]!);
        // Values that look like placeholders or replacement patterns stay as they are.
        const params = Object.fromEntries(names.slice(1).map((name, index) => [name, index % 2 ? `{${name}} $& $1` : index]));
        const result = t(key as keyof typeof merged.en, params);
        expect(result).toBe(replaced(message, params));
        if (names.length > 0) expect(result).toContain(`{${names[0]}}`);
        filled += names.length > 1 ? 1 : 0;
      }
    }
    expect(filled).toBeGreaterThan(30);
    expect(createTranslator('en')('account.greeting', {})).toBe('Hello, {name}');
  });

  it('read the language from the path and move a path to another language', () => {
    expect(languageFromPath('/ru/about/')).toBe('ru');
    expect(languageFromPath('/de/about/')).toBeUndefined();
    expect(pathInLanguage('/ru/about/', 'en')).toBe('/en/about/');
    expect(pathInLanguage('/kk/', 'ru')).toBe('/ru/');
    expect(pathInLanguage('/kk', 'ru')).toBe('/ru/');
    expect(pathInLanguage('/404', 'en')).toBe('/en/');
  });
});

describe('the preferred language from Accept-Language', () => {
  it.each([
    [undefined, 'kk'],
    ['', 'kk'],
    ['fr, de;q=0.8', 'kk'],
    ['en', 'en'],
    ['en-GB', 'en'],
    ['ru-RU,ru;q=0.9,en-US;q=0.8', 'ru'],
    ['de, ru;q=0.5, en;q=0.7', 'en'],
    ['kk-KZ, ru;q=0.9', 'kk'],
    ['en;q=0, ru', 'ru'],
    ['*', 'kk'],
    ['ru;q=abc, en;q=0.1', 'en'],
  ])('%s → %s', (header, expected) => {
    expect(preferredLanguage(header)).toBe(expected);
  });
});
