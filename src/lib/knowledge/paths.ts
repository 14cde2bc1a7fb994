import { LANGUAGES } from '../../i18n/index.ts';
import { loadItems } from './items.ts';
import type { SectionCollection } from './sections.ts';

/**
 * Every item in every UI language: a reader of a language the item lacks still gets
 * a page, which says so and links the languages it exists in.
 */
export async function itemStaticPaths(collection: SectionCollection) {
  const items = await loadItems(collection);
  return items.flatMap((item) => LANGUAGES.map((lang) => ({ params: { lang, slug: item.slug } })));
}

/** One path per UI language, for pages and feeds that exist in all three. */
export function languageStaticPaths() {
  return LANGUAGES.map((lang) => ({ params: { lang } }));
}
