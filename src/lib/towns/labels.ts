import type { Language } from '~/i18n/index.ts';
import { TAXONOMIES, termLabel } from '~/schemas/taxonomy.ts';

/** An industry's name in a language, or its slug when the industry is not a known one. */
export function industryLabel(slug: string, lang: Language): string {
  return termLabel(TAXONOMIES.industries, slug, lang);
}

/** The known industries (slugs, from content/taxonomies/industries.json), for the directory's filter. */
export const INDUSTRY_IDS: ReadonlySet<string> = new Set(TAXONOMIES.industries.map((term) => term.id));
