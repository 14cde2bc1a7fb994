import type { MessageKey } from '~/i18n/index.ts';
import { isLanguage, LANGUAGES } from '~/i18n/index.ts';
import { KNOWN_TOPICS } from '~/schemas/taxonomy.ts';
import { MARKDOWN_MAX_LENGTH } from '~/server/markdown.ts';
import { CASE_CURRENCIES, CASE_SECTIONS, emptyContent, type CaseContent, type CaseIndicator } from './types.ts';

/**
 * The case form as posted (flat names, so it works as a plain HTML form) and the one
 * place it becomes a CaseContent. Saving a draft is lenient (anything may be empty),
 * submitting needs every required field; what is given must always make sense
 * (a known topic, numbers where numbers go).
 */

/** Indicator rows the form offers (empty rows are ignored). */
export const INDICATOR_ROWS = 5;
/** The posted form: every field a string, topics and languages lists. */
export interface CaseForm {
  title?: string | undefined;
  summary?: string | undefined;
  languages?: string[] | undefined;
  topics?: string[] | undefined;
  period?: string | undefined;
  funding?: string | undefined;
  costAmount?: string | undefined;
  costCurrency?: string | undefined;
  contactName?: string | undefined;
  contactRole?: string | undefined;
  contactEmail?: string | undefined;
  [field: string]: string | string[] | number | undefined;
}

/** The name of an indicator field in the form, row counted from 1. */
export const indicatorField = (row: number, part: 'Name' | 'Before' | 'After' | 'Unit' | 'Year') => `ind${row}${part}`;

/** Every single-value field name of the form (for the action's input schema). */
export const CASE_TEXT_FIELDS: readonly string[] = [
  'title', 'summary', 'period', 'funding', 'costAmount', 'costCurrency', 'contactName', 'contactRole', 'contactEmail',
  ...CASE_SECTIONS,
  ...Array.from({ length: INDICATOR_ROWS }, (_, index) => (['Name', 'Before', 'After', 'Unit', 'Year'] as const).map((part) => indicatorField(index + 1, part))).flat(),
];

/** Longest text per field, in characters. */
export function maxLength(field: string): number {
  if ((CASE_SECTIONS as readonly string[]).includes(field)) return MARKDOWN_MAX_LENGTH;
  if (field === 'summary') return 400;
  if (field === 'funding') return 500;
  return 200;
}

/** What the form holds, read into a case, and what is wrong with it (field → message key). */
export interface CaseFormResult {
  content: CaseContent;
  errors: Record<string, MessageKey>;
}

const text = (value: string | string[] | number | undefined) => (typeof value === 'string' ? value.replace(/\r\n?/g, '\n').trim() : '');
const NUMBER = /^-?\d+(?:[.,]\d+)?$/;
const parseNumber = (value: string) => Number(value.replace(/\s/g, '').replace(',', '.'));
const ONE_LINE_FIELDS = ['title', 'period', 'contactName', 'contactRole', 'contactEmail'];

/** Reads a posted case form. `complete` asks for everything a submission needs. */
export function readCaseForm(form: CaseForm, complete: boolean): CaseFormResult {
  const errors: Record<string, MessageKey> = {};
  const content = emptyContent('kk');
  const need = (field: string, value: string) => {
    if (complete && value === '') errors[field] = 'form.required';
  };

  for (const field of CASE_TEXT_FIELDS) {
    const value = text(form[field]);
    if (value.length > maxLength(field)) errors[field] = 'form.tooLong';
    else if (ONE_LINE_FIELDS.includes(field) && /\n/.test(value)) errors[field] = 'form.noLineBreaks';
  }

  content.title = text(form.title);
  need('title', content.title);
  if (!errors.title && content.title !== '' && content.title.length < 3) errors.title = 'form.tooShort';
  content.summary = text(form.summary);
  need('summary', content.summary);
  if (!errors.summary && content.summary !== '' && content.summary.length < 20) errors.summary = 'form.tooShort';

  const languages = (form.languages ?? []).filter((value) => value !== '');
  if (languages.some((value) => !isLanguage(value))) errors.languages = 'cases.error.unknownLanguage';
  content.languages = LANGUAGES.filter((language) => languages.includes(language));
  if (content.languages.length === 0) {
    if (complete && !errors.languages) errors.languages = 'cases.error.chooseLanguage';
    content.languages = [];
  }

  const topics = [...new Set((form.topics ?? []).filter((value) => value !== ''))];
  if (topics.some((topic) => !KNOWN_TOPICS.has(topic))) errors.topics = 'cases.error.unknownTopic';
  content.topics = topics.filter((topic) => KNOWN_TOPICS.has(topic));
  if (complete && topics.length === 0) errors.topics = 'cases.error.chooseTopic';

  content.period = text(form.period);
  need('period', content.period);
  content.funding = text(form.funding);
  need('funding', content.funding);

  const amount = text(form.costAmount);
  const currency = text(form.costCurrency) || 'KZT';
  if (!(CASE_CURRENCIES as readonly string[]).includes(currency)) errors.costCurrency = 'cases.error.currency';
  if (amount !== '') {
    const value = parseNumber(amount);
    if (!NUMBER.test(amount.replace(/\s/g, '')) || !Number.isFinite(value) || value < 0) errors.costAmount = 'cases.error.amount';
    else content.cost = { amount: value, currency: currency as (typeof CASE_CURRENCIES)[number] };
  }

  content.contact = { name: text(form.contactName), role: text(form.contactRole), email: text(form.contactEmail) || null };
  need('contactName', content.contact.name);
  need('contactRole', content.contact.role);
  if (content.contact.email && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(content.contact.email)) errors.contactEmail = 'cases.error.email';

  for (const section of CASE_SECTIONS) {
    content.sections[section] = text(form[section]);
    if (!errors[section]) need(section, content.sections[section]);
  }

  for (let row = 1; row <= INDICATOR_ROWS; row += 1) {
    const indicator = readIndicator(form, row, errors);
    if (indicator) content.indicators.push(indicator);
  }
  return { content, errors };
}

function readIndicator(form: CaseForm, row: number, errors: Record<string, MessageKey>): CaseIndicator | null {
  const field = (part: Parameters<typeof indicatorField>[1]) => indicatorField(row, part);
  const values = { name: text(form[field('Name')]), before: text(form[field('Before')]), after: text(form[field('After')]), unit: text(form[field('Unit')]), year: text(form[field('Year')]) };
  if (Object.values(values).every((value) => value === '')) return null;
  let ok = true;
  for (const part of ['Name', 'Unit'] as const) {
    if (values[part.toLowerCase() as 'name' | 'unit'] === '') {
      errors[field(part)] ??= 'cases.error.indicatorIncomplete';
      ok = false;
    }
  }
  for (const part of ['Before', 'After'] as const) {
    const value = values[part.toLowerCase() as 'before' | 'after'].replace(/\s/g, '');
    if (!NUMBER.test(value)) {
      errors[field(part)] ??= value === '' ? 'cases.error.indicatorIncomplete' : 'cases.error.number';
      ok = false;
    }
  }
  const year = Number(values.year);
  if (!/^\d{4}$/.test(values.year) || year < 1990 || year > 2100) {
    errors[field('Year')] ??= 'cases.error.year';
    ok = false;
  }
  if (!ok) return null;
  return { name: values.name, before: parseNumber(values.before), after: parseNumber(values.after), unit: values.unit, year };
}

/** The form's fields for a stored case (to fill the form when it opens). */
export function caseToForm(content: CaseContent): CaseForm {
  const form: CaseForm = {
    title: content.title,
    summary: content.summary,
    languages: content.languages,
    topics: content.topics,
    period: content.period,
    funding: content.funding,
    costAmount: content.cost ? String(content.cost.amount) : '',
    costCurrency: content.cost?.currency ?? 'KZT',
    contactName: content.contact.name,
    contactRole: content.contact.role,
    contactEmail: content.contact.email ?? '',
  };
  for (const section of CASE_SECTIONS) form[section] = content.sections[section];
  content.indicators.slice(0, INDICATOR_ROWS).forEach((indicator, index) => {
    form[indicatorField(index + 1, 'Name')] = indicator.name;
    form[indicatorField(index + 1, 'Before')] = String(indicator.before);
    form[indicatorField(index + 1, 'After')] = String(indicator.after);
    form[indicatorField(index + 1, 'Unit')] = indicator.unit;
    form[indicatorField(index + 1, 'Year')] = String(indicator.year);
  });
  return form;
}

/** The form as posted, from the request's body (so a refused save keeps every word). */
export function formFromData(data: FormData): CaseForm {
  const form: CaseForm = {};
  for (const field of CASE_TEXT_FIELDS) {
    const value = data.get(field);
    if (typeof value === 'string') form[field] = value;
  }
  form.languages = data.getAll('languages').filter((value): value is string => typeof value === 'string');
  form.topics = data.getAll('topics').filter((value): value is string => typeof value === 'string');
  return form;
}

/** What a stored working copy still lacks before it can be submitted (field names). */
export function missingForSubmission(content: CaseContent): string[] {
  return Object.keys(readCaseForm(caseToForm(content), true).errors);
}

/** Parses stored JSON content, filling anything an older shape lacks. */
export function parseContent(json: string): CaseContent {
  const parsed = JSON.parse(json) as Partial<CaseContent>;
  const base = emptyContent('kk');
  return {
    ...base,
    ...parsed,
    sections: { ...base.sections, ...(parsed.sections ?? {}) },
    contact: { ...base.contact, ...(parsed.contact ?? {}) },
    languages: parsed.languages ?? [],
    topics: parsed.topics ?? [],
    indicators: parsed.indicators ?? [],
  };
}
