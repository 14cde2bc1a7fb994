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
import digestsEn from './digests/en.json';
import digestsKk from './digests/kk.json';
import digestsRu from './digests/ru.json';
import publicEn from './public/en.json';
import publicKk from './public/kk.json';
import publicRu from './public/ru.json';
import communityEn from './community/en.json';
import communityKk from './community/kk.json';
import communityRu from './community/ru.json';
import detailsEn from './details/en.json';
import detailsKk from './details/kk.json';
import detailsRu from './details/ru.json';
import filesEn from './files/en.json';
import filesKk from './files/kk.json';
import filesRu from './files/ru.json';
import operationsEn from './operations/en.json';
import operationsKk from './operations/kk.json';
import operationsRu from './operations/ru.json';
import membersEn from './members/en.json';
import membersKk from './members/kk.json';
import membersRu from './members/ru.json';
import languageEn from './language/en.json';
import editorialKk from './editorial/kk.json';
import editorialRu from './editorial/ru.json';
import editorialEn from './editorial/en.json';
import editorialbuildKk from './editorialbuild/kk.json';
import editorialbuildRu from './editorialbuild/ru.json';
import editorialbuildEn from './editorialbuild/en.json';
import languageKk from './language/kk.json';
import languageRu from './language/ru.json';
import positionsEn from './positions/en.json';
import positionsKk from './positions/kk.json';
import positionsRu from './positions/ru.json';
import partnersEn from './partners/en.json';
import partnersKk from './partners/kk.json';
import partnersRu from './partners/ru.json';
import dialogueEn from './dialogue/en.json';
import dialogueKk from './dialogue/kk.json';
import dialogueRu from './dialogue/ru.json';
import searchsourcesEn from './searchsources/en.json';
import searchsourcesKk from './searchsources/kk.json';
import searchsourcesRu from './searchsources/ru.json';
import searchqueryEn from './searchquery/en.json';
import searchqueryKk from './searchquery/kk.json';
import searchqueryRu from './searchquery/ru.json';
import searchindexEn from './searchindex/en.json';
import searchindexKk from './searchindex/kk.json';
import searchindexRu from './searchindex/ru.json';
import searchEn from './search/en.json';
import searchKk from './search/kk.json';
import searchRu from './search/ru.json';
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
  digests: { kk: digestsKk, ru: digestsRu, en: digestsEn },
  public: { kk: publicKk, ru: publicRu, en: publicEn },
  community: { kk: communityKk, ru: communityRu, en: communityEn },
  details: { kk: detailsKk, ru: detailsRu, en: detailsEn },
  files: { kk: filesKk, ru: filesRu, en: filesEn },
  operations: { kk: operationsKk, ru: operationsRu, en: operationsEn },
  members: { kk: membersKk, ru: membersRu, en: membersEn },
  language: { kk: languageKk, ru: languageRu, en: languageEn },
  positions: { kk: positionsKk, ru: positionsRu, en: positionsEn },
  partners: { kk: partnersKk, ru: partnersRu, en: partnersEn },
  dialogue: { kk: dialogueKk, ru: dialogueRu, en: dialogueEn },
  searchsources: { kk: searchsourcesKk, ru: searchsourcesRu, en: searchsourcesEn },
  editorial: { kk: editorialKk, ru: editorialRu, en: editorialEn },
  editorialbuild: { kk: editorialbuildKk, ru: editorialbuildRu, en: editorialbuildEn },
  search: { kk: searchKk, ru: searchRu, en: searchEn },
  searchquery: { kk: searchqueryKk, ru: searchqueryRu, en: searchqueryEn },
  searchindex: { kk: searchindexKk, ru: searchindexRu, en: searchindexEn },
} as const;

type Parts = (typeof dictionaryParts)[keyof typeof dictionaryParts];
// Turns the union of the parts' English dictionaries into one object type holding every key.
type AllOf<U> = (U extends unknown ? (part: U) => void : never) extends (part: infer I) => void ? I : never;
type English = AllOf<Parts['en']>;

/** Every message key; English is the reference dictionary. */
export type MessageKey = keyof English;

function mergeParts(language: Language): Record<MessageKey, string> {
  return Object.assign({}, ...Object.values(dictionaryParts).map((part) => part[language])) as Record<MessageKey, string>;
}

/**
 * The three dictionaries. A key missing in kk or ru is caught by the i18n unit test,
 * which compares every part's three languages.
 */
export const dictionaries: Record<Language, Record<MessageKey, string>> = {
  kk: mergeParts('kk'),
  ru: mergeParts('ru'),
  en: mergeParts('en'),
};

/** The language `/` falls back to when Accept-Language names none of ours. */
export const DEFAULT_LANGUAGE: Language = 'kk';

/** Looks up a message, filling `{name}` placeholders from `params`. */
export type Translate = (key: MessageKey, params?: Record<string, string | number>) => string;

/**
 * Each message with placeholders split at them once (texts at even places, names at odd
 * ones), by its text: a page fills a few hundred messages (a town profile's ten panels
 * alone about a hundred), and a regular expression with a callback per call cost ten
 * times the joining. Bounded by the dictionaries.
 */
const messageParts = new Map<string, readonly string[]>();

function partsOf(message: string): readonly string[] {
  let parts = messageParts.get(message);
  if (!parts) messageParts.set(message, (parts = message.split(/\{(\w+)\}/)));
  return parts;
}

/** A translator bound to one language. */
export function createTranslator(language: Language): Translate {
  const dictionary = dictionaries[language];
  return (key, params) => {
    const message = dictionary[key];
    if (!params) return message;
    const parts = partsOf(message);
    let text = parts[0]!;
    // A placeholder without a parameter stays as written.
    for (let index = 1; index < parts.length; index += 2) {
      const name = parts[index]!;
      text += (name in params ? String(params[name]) : `{${name}}`) + parts[index + 1]!;
    }
    return text;
  };
}

/** Whether a string is a message key (zod issues carry keys as their messages). */
export function isMessageKey(value: string): value is MessageKey {
  return value in dictionaries.en;
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
