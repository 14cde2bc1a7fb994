import { createTranslator, type Language } from '~/i18n/index.ts';
import { escapeHtml } from '~/lib/html.ts';
import { renderMarkdown } from '~/server/markdown.ts';
import { CASE_SECTIONS, type CaseContent, type CaseSection } from './types.ts';

/** A heading of a case's body, for the table of contents (the shape Astro gives file cases). */
export interface CaseHeading {
  depth: number;
  slug: string;
  text: string;
}

/** The id of a section's heading on the page. */
export const sectionId = (section: CaseSection) => `section-${section.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`)}`;

/**
 * A member case's body as safe HTML: the six sections under their headings in the
 * text's own language, each written part rendered by the one sanitising renderer.
 * Empty sections (in a draft's preview) are left out.
 */
export function renderCaseBody(content: CaseContent, fallbackLanguage: Language): { html: string; headings: CaseHeading[] } {
  const t = createTranslator(caseTextLanguage(content, fallbackLanguage));
  const headings: CaseHeading[] = [];
  let html = '';
  for (const section of CASE_SECTIONS) {
    const text = content.sections[section];
    if (!text.trim()) continue;
    const heading = { depth: 2, slug: sectionId(section), text: t(`cases.section.${section}`) };
    headings.push(heading);
    html += `<h2 id="${heading.slug}">${escapeHtml(heading.text)}</h2>\n${renderMarkdown(text)}\n`;
  }
  return { html, headings };
}

/**
 * The language a case's text is read in by a reader of `reader`: theirs when the case is
 * written in it, else the first it is written in. Pages mark the text with it (`lang`).
 */
export function caseTextLanguage(content: Pick<CaseContent, 'languages'>, reader: Language): Language {
  return content.languages.includes(reader) ? reader : (content.languages[0] ?? reader);
}

/** The whole text of a case as markdown (for search and plain-text excerpts). */
export function caseText(content: CaseContent): string {
  return CASE_SECTIONS.map((section) => content.sections[section]).join('\n\n');
}
