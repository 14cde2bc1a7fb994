import { DEFAULT_LANGUAGE, LANGUAGES, pathInLanguage, type Language } from '~/i18n/index.ts';

/** One alternate of a page: a language (or x-default) and the address there. */
export interface Alternate {
  hreflang: Language | 'x-default';
  href: string;
}

/**
 * The hreflang alternates of a page that exists in `languages`: every language version,
 * the page's own included (search engines ignore a set that does not name the page
 * itself), then an x-default. The home page's x-default is `/`, which picks the
 * reader's language from Accept-Language; any other page's is its version in the
 * default language, else the first it exists in. `search` (a query string) is kept in
 * every version. A page in one language has no alternates.
 */
export function alternatesOf(pathname: string, languages: readonly Language[] = LANGUAGES, search = ''): Alternate[] {
  const present = LANGUAGES.filter((language) => languages.includes(language));
  if (present.length < 2) return [];
  const links: Alternate[] = present.map((language) => ({ hreflang: language, href: `${pathInLanguage(pathname, language)}${search}` }));
  const isHome = /^\/(kk|ru|en)\/?$/.test(pathname);
  const fallback = present.includes(DEFAULT_LANGUAGE) ? DEFAULT_LANGUAGE : present[0]!;
  links.push({ hreflang: 'x-default', href: isHome && !search ? '/' : `${pathInLanguage(pathname, fallback)}${search}` });
  return links;
}
