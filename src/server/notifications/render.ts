import { createTranslator, languageFromPath, LANGUAGES, pathInLanguage, type Language } from '~/i18n/index.ts';
import { NOTIFICATION_KINDS, type NotificationKind } from './kinds.ts';

/** A name with its translations (a town's, a group's…): the viewer's is shown. */
export type LocalizedText = Record<Language, string>;

/** A value a notification's text is filled with: plain, or chosen in the viewer's language when shown. */
export type NotificationParam = string | number | LocalizedText;

/** Whether a stored value carries translations. */
function isLocalized(value: unknown): value is LocalizedText {
  return typeof value === 'object' && value !== null && LANGUAGES.every((lang) => typeof (value as Record<string, unknown>)[lang] === 'string');
}

/** The parameters as one language reads them; anything that is neither text, number nor translations is dropped. */
export function resolveParams(params: Readonly<Record<string, unknown>>, lang: Language): Record<string, string | number> {
  const resolved: Record<string, string | number> = {};
  for (const [name, value] of Object.entries(params)) {
    if (typeof value === 'string' || typeof value === 'number') resolved[name] = value;
    else if (isLocalized(value)) resolved[name] = value[lang];
  }
  return resolved;
}

/**
 * Folds parameters made once per language (a date written in each, a group's name in
 * each) into the one set that is stored: a value the languages share stays plain,
 * a value that differs keeps its translations, so the text is rendered when shown.
 */
export function localizedParams(byLanguage: (lang: Language) => Record<string, string | number>): Record<string, NotificationParam> {
  const versions = LANGUAGES.map((lang) => [lang, byLanguage(lang)] as const);
  const folded: Record<string, NotificationParam> = {};
  for (const name of Object.keys(versions[0]![1])) {
    const values = versions.map(([, params]) => params[name]!);
    folded[name] = values.every((value) => value === values[0])
      ? values[0]!
      : (Object.fromEntries(versions.map(([lang, params]) => [lang, String(params[name])])) as LocalizedText);
  }
  return folded;
}

/** A notification's text in the viewer's language, from its kind and stored parameters (JSON). */
export function notificationText(kind: NotificationKind, paramsJson: string, lang: Language): string {
  let params: Record<string, unknown> = {};
  try {
    params = JSON.parse(paramsJson) as Record<string, unknown>;
  } catch {
    // A damaged row still shows its kind's text, without the names.
  }
  return createTranslator(lang)(NOTIFICATION_KINDS[kind].title, resolveParams(params, lang));
}

/**
 * Where a notification's link opens for a viewer: the stored path (with whatever language
 * it was stored under, or none) moved into the viewer's interface language.
 */
export function notificationHref(link: string, lang: Language): string {
  return languageFromPath(link) ? pathInLanguage(link, lang) : `/${lang}/${link.replace(/^\/+/, '')}`;
}
