import { isLanguage, type Language } from '~/i18n/index.ts';
import { KNOWN_TOPICS } from '~/schemas/taxonomy.ts';
import { MARKDOWN_MAX_LENGTH } from '~/server/markdown.ts';
import { MAX_SECTIONS, type PositionSection, type PositionText } from './types.ts';

/** Longest title, summary, section heading and change note, in characters. */
export const POSITION_LIMITS = { title: 200, summary: 1500, heading: 200, body: MARKDOWN_MAX_LENGTH, changeNote: 2000 } as const;

/** The form's field names of section `n` (1-based). */
export const sectionFields = (n: number) => ({ heading: `section${n}Heading`, body: `section${n}Body` });

/** What the position form posts, as strings (absent fields undefined). */
export type PositionFormInput = Record<string, string | string[] | undefined>;

const text = (value: string | string[] | undefined) => (typeof value === 'string' ? value.replace(/\r\n?/g, '\n').trim() : '');

/**
 * Reads the position form: language, title, summary, topics and up to MAX_SECTIONS
 * sections (slots left empty are dropped). Errors are message keys by field name.
 */
export function readPositionForm(input: PositionFormInput): { text: PositionText; topics: string[]; errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  const lang = typeof input.lang === 'string' && isLanguage(input.lang) ? input.lang : null;
  if (!lang) errors.lang = 'positions.error.language';
  const title = text(input.title);
  const summary = text(input.summary);
  if (title === '') errors.title = 'form.required';
  else if (/\n/.test(title)) errors.title = 'form.noLineBreaks';
  else if (title.length > POSITION_LIMITS.title) errors.title = 'form.tooLong';
  if (summary === '') errors.summary = 'form.required';
  else if (summary.length > POSITION_LIMITS.summary) errors.summary = 'form.tooLong';
  const sections: PositionSection[] = [];
  for (let n = 1; n <= MAX_SECTIONS; n += 1) {
    const names = sectionFields(n);
    const heading = text(input[names.heading]);
    const body = text(input[names.body]);
    if (heading === '' && body === '') continue;
    if (heading === '') errors[names.heading] = 'positions.error.sectionHeading';
    else if (/\n/.test(heading)) errors[names.heading] = 'form.noLineBreaks';
    else if (heading.length > POSITION_LIMITS.heading) errors[names.heading] = 'form.tooLong';
    if (body === '') errors[names.body] = 'positions.error.sectionBody';
    else if (body.length > POSITION_LIMITS.body) errors[names.body] = 'form.tooLong';
    sections.push({ heading, body });
  }
  if (sections.length === 0 && !errors[sectionFields(1).heading]) errors[sectionFields(1).heading] = 'positions.error.noSections';
  const rawTopics = Array.isArray(input.topics) ? input.topics : typeof input.topics === 'string' ? [input.topics] : [];
  const topics = [...new Set(rawTopics)];
  if (topics.some((topic) => !KNOWN_TOPICS.has(topic))) errors.topics = 'positions.error.topic';
  return { text: { lang: (lang ?? 'ru') as Language, title, summary, sections }, topics: topics.filter((topic) => KNOWN_TOPICS.has(topic)), errors };
}

/** The form's values for a position's text (to fill the edit form). */
export function positionToForm(text: PositionText): Record<string, string> {
  const values: Record<string, string> = { lang: text.lang, title: text.title, summary: text.summary };
  text.sections.forEach((section, index) => {
    const names = sectionFields(index + 1);
    values[names.heading] = section.heading;
    values[names.body] = section.body;
  });
  return values;
}
