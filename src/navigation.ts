import type { Language, MessageKey } from './i18n/index.ts';

/** An entry in the site's navigation. `path` is relative to the language root. */
export interface Section {
  label: MessageKey;
  path: string;
}

/**
 * The public sections in the header, in order. Each capability adds its entry here
 * when its pages exist (Resources, Cases, Towns, Working groups, Funding, News …);
 * nothing links to a page that does not exist yet.
 */
export const PUBLIC_SECTIONS: readonly Section[] = [
  { label: 'nav.home', path: '' },
  { label: 'nav.about', path: 'about/' },
];

/** Links for signed-in members, shown in the user menu. */
export const MEMBER_SECTIONS: readonly Section[] = [{ label: 'nav.account', path: 'account/' }];

/** The URL of a section in a language. */
export function sectionHref(language: Language, section: Section): string {
  return `/${language}/${section.path}`;
}

/** Whether `pathname` is inside a section (home matches only itself). */
export function isCurrentSection(pathname: string, language: Language, section: Section): boolean {
  const href = sectionHref(language, section);
  const normalized = pathname.endsWith('/') ? pathname : `${pathname}/`;
  return section.path === '' ? normalized === href : normalized.startsWith(href);
}
