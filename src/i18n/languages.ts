/**
 * The portal's languages, in the order they are offered. Their one home: the database
 * schema, the dictionaries, content validation and the server all import them from here.
 * This file imports nothing, so the schema can use it without pulling in the dictionaries.
 */
export const LANGUAGES = ['kk', 'ru', 'en'] as const;
/** One of the portal's languages. */
export type Language = (typeof LANGUAGES)[number];

/** Narrows a string to one of the portal's languages. */
export function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);
}
