import { LANGUAGES, type Language } from '~/i18n/index.ts';

// Which of a town's names were given. Every town row has a name in each language (lists,
// headings and sorting need one), but an approved application carries only the name its
// applicant typed, copied into all three: "Baikonur" would then be the town's Kazakh and
// Russian name too. Until the town's profile is first edited (given_names is null), a
// name counts as given when it is written in its language's script: Cyrillic for Kazakh
// and Russian, no Cyrillic for English. Once edited, the form's answer decides.

const CYRILLIC = /\p{Script=Cyrillic}/u;

/** Whether a name is written in the script its language uses. */
export function fitsScript(name: string, language: Language): boolean {
  return language === 'en' ? !CYRILLIC.test(name) : CYRILLIC.test(name);
}

/** The languages a `given_names` column lists (unknown entries are dropped). */
export function parseGivenLanguages(column: string): Language[] {
  return LANGUAGES.filter((language) => column.split(',').includes(language));
}

/** A town's names as given, by language; null where none was. */
export function givenNames(row: { name_kk: string; name_ru: string; name_en: string; given_names: string | null }): Record<Language, string | null> {
  const names: Record<Language, string> = { kk: row.name_kk, ru: row.name_ru, en: row.name_en };
  const listed = row.given_names === null ? null : parseGivenLanguages(row.given_names);
  const given = (language: Language) => (listed ? listed.includes(language) : fitsScript(names[language], language));
  return { kk: given('kk') ? names.kk : null, ru: given('ru') ? names.ru : null, en: given('en') ? names.en : null };
}

/**
 * The name stored for each language from the names given: a language without one
 * borrows the first given name of its nearest language (Kazakh and Russian share a
 * script), so headings and lists always have a name. Undefined when none is given.
 */
export function storedNames(given: Record<Language, string | null>): Record<Language, string> | undefined {
  const nearest: Record<Language, Language[]> = { kk: ['kk', 'ru', 'en'], ru: ['ru', 'kk', 'en'], en: ['en', 'ru', 'kk'] };
  const pick = (language: Language) => nearest[language].map((other) => given[other]).find((name): name is string => Boolean(name));
  const kk = pick('kk');
  if (kk === undefined) return undefined;
  return { kk, ru: pick('ru')!, en: pick('en')! };
}
