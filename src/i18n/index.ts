import en from './en.json';
import kk from './kk.json';
import ru from './ru.json';
import exchangeEn from './exchange/en.json';
import exchangeKk from './exchange/kk.json';
import exchangeRu from './exchange/ru.json';
import townsEn from './towns/en.json';
import townsKk from './towns/kk.json';
import townsRu from './towns/ru.json';
import groupsEn from './groups/en.json';
import groupsKk from './groups/kk.json';
import groupsRu from './groups/ru.json';
import casesEn from './cases/en.json';
import casesKk from './cases/kk.json';
import casesRu from './cases/ru.json';
import membersEn from './members/en.json';
import membersKk from './members/kk.json';
import membersRu from './members/ru.json';
import { isLanguage, LANGUAGES, type Language } from './languages.ts';

export { isLanguage, LANGUAGES, type Language };

/**
 * The dictionaries come in parts: the core, plus one part per member capability, so
 * each capability keeps its messages beside the others without one huge file. A test
 * checks that no key is defined in two parts and that every part has all three languages.
 */
export const dictionaryParts = {
  core: { kk, ru, en },
  exchange: { kk: exchangeKk, ru: exchangeRu, en: exchangeEn },
  towns: { kk: townsKk, ru: townsRu, en: townsEn },
  groups: { kk: groupsKk, ru: groupsRu, en: groupsEn },
  cases: { kk: casesKk, ru: casesRu, en: casesEn },
  members: { kk: membersKk, ru: membersRu, en: membersEn },
} as const;

const english = { ...en, ...exchangeEn, ...townsEn, ...groupsEn, ...casesEn, ...membersEn };

/** Every message key; English is the reference dictionary. */
export type MessageKey = keyof typeof english;

/** The three dictionaries, typed so a missing key in kk or ru is a type error too. */
export const dictionaries: Record<Language, Record<MessageKey, string>> = {
  kk: { ...kk, ...exchangeKk, ...townsKk, ...groupsKk, ...casesKk, ...membersKk },
  ru: { ...ru, ...exchangeRu, ...townsRu, ...groupsRu, ...casesRu, ...membersRu },
  en: english,
};

/** The language `/` falls back to when Accept-Language names none of ours. */
export const DEFAULT_LANGUAGE: Language = 'kk';

/** Looks up a message, filling `{name}` placeholders from `params`. */
export type Translate = (key: MessageKey, params?: Record<string, string | number>) => string;

/** A translator bound to one language. */
export function createTranslator(language: Language): Translate {
  const dictionary = dictionaries[language];
  return (key, params) => {
    const message = dictionary[key];
    if (!params) return message;
    return message.replace(/\{(\w+)\}/g, (placeholder, name: string) =>
      name in params ? String(params[name]) : placeholder,
    );
  };
}

/** Whether a string is a message key (zod issues carry keys as their messages). */
export function isMessageKey(value: string): value is MessageKey {
  return value in english;
}

/** The language named first in the path (`/ru/…` → ru), if any. */
export function languageFromPath(pathname: string): Language | undefined {
  const first = pathname.split('/')[1];
  return isLanguage(first) ? first : undefined;
}

/** The same path in another language: `/ru/about/` → `/en/about/`. */
export function pathInLanguage(pathname: string, language: Language): string {
  const current = languageFromPath(pathname);
  if (!current) return `/${language}/`;
  return `/${language}${pathname.slice(current.length + 1) || '/'}`;
}

/**
 * The reader's language from an Accept-Language header: the highest-weighted tag
 * whose primary language we speak, so `en-GB` means English. Kazakh when none.
 */
export function preferredLanguage(acceptLanguage: string | null | undefined): Language {
  const ranked = (acceptLanguage ?? '')
    .split(',')
    .map((part, index) => {
      const [tag = '', ...parameters] = part.trim().split(';');
      const quality = parameters.map((p) => p.trim()).find((p) => p.startsWith('q='));
      const weight = quality ? Number.parseFloat(quality.slice(2)) : 1;
      return { language: tag.split('-')[0]!.toLowerCase(), weight: Number.isFinite(weight) ? weight : 0, index };
    })
    .filter((entry) => entry.weight > 0 && isLanguage(entry.language))
    .sort((a, b) => b.weight - a.weight || a.index - b.index);
  return (ranked[0]?.language as Language | undefined) ?? DEFAULT_LANGUAGE;
}

/** BCP 47 locale for formatting dates and numbers in each language. */
export const LOCALES: Record<Language, string> = { kk: 'kk-KZ', ru: 'ru-RU', en: 'en-GB' };
