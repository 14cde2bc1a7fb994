import type { Translate } from '~/i18n/index.ts';
import { INDICATOR_ROWS, indicatorField } from './content.ts';
import { CASE_SECTIONS } from './types.ts';

/** Each case form field's label, so the error summary says which field ("Period: Fill in this field."). */
export function caseFieldLabels(t: Translate): Record<string, string> {
  const labels: Record<string, string> = {
    title: t('cases.form.title'),
    summary: t('cases.form.summary'),
    languages: t('cases.form.languages'),
    topics: t('cases.form.topics'),
    period: t('case.period'),
    funding: t('case.funding'),
    costAmount: t('cases.form.costAmount'),
    costCurrency: t('cases.form.currency'),
    contactName: t('cases.form.contactName'),
    contactRole: t('cases.form.contactRole'),
    contactEmail: t('cases.form.contactEmail'),
  };
  for (const section of CASE_SECTIONS) labels[section] = t(`cases.section.${section}`);
  for (let row = 1; row <= INDICATOR_ROWS; row += 1) {
    const indicator = t('cases.form.indicatorRow', { number: row });
    labels[indicatorField(row, 'Name')] = `${indicator}, ${t('case.indicator')}`;
    labels[indicatorField(row, 'Before')] = `${indicator}, ${t('case.before')}`;
    labels[indicatorField(row, 'After')] = `${indicator}, ${t('case.after')}`;
    labels[indicatorField(row, 'Unit')] = `${indicator}, ${t('cases.form.unit')}`;
    labels[indicatorField(row, 'Year')] = `${indicator}, ${t('case.year')}`;
  }
  return labels;
}
