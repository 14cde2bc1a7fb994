import { LANGUAGES } from '~/i18n/index.ts';

/** One path per UI language, for pages and feeds that exist in all three. */
export function languageStaticPaths() {
  return LANGUAGES.map((lang) => ({ params: { lang } }));
}
