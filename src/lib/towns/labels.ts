import { INDUSTRIES } from '../../../db/seed/towns.ts';
import type { Language } from '../../i18n/index.ts';

/** An industry's name in a language, or its slug when the industry is not a known one. */
export function industryLabel(slug: string, lang: Language): string {
  return (INDUSTRIES as Record<string, Record<Language, string>>)[slug]?.[lang] ?? slug;
}

/** The known industries (slugs), for the directory's filter. */
export const INDUSTRY_IDS: ReadonlySet<string> = new Set(Object.keys(INDUSTRIES));
