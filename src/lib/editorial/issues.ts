import type { MessageKey } from '~/i18n/index.ts';
import { fieldOfIssue, type FrontmatterIssue } from './frontmatter.ts';

/**
 * What the build's schema said about a field, in the reader's language: the schema's
 * messages are the build's (English, for people editing files); the form says the same
 * thing through these keys. Custom messages are recognised by their fixed wording in
 * src/schemas/items.ts; zod's own by their code.
 */
export function issueMessage(issue: FrontmatterIssue): { key: MessageKey; params?: Record<string, number> } {
  const { message, code } = issue;
  if (message.startsWith('unknown ')) return { key: 'editorial.issue.unknown' };
  if (message.startsWith('related items are written')) return { key: 'editorial.issue.related' };
  if (message.startsWith('name a programme')) return { key: 'editorial.issue.programme' };
  if (message.startsWith('give a page of the portal')) return { key: 'editorial.issue.link' };
  if (message.startsWith('give a real http')) return { key: 'editorial.issue.webAddress' };
  if (message.startsWith('an in-person event needs')) return { key: 'editorial.issue.place' };
  if (message.startsWith('an online or hybrid event')) return { key: 'editorial.issue.online' };
  if (message.startsWith('give a place, an online link')) return { key: 'editorial.issue.placeOrOnline' };
  if (message.startsWith('the end is before')) return { key: 'editorial.issue.endBeforeStart' };
  if (message.startsWith('the minimum amount')) return { key: 'editorial.issue.amountOrder' };
  if (message.startsWith('give at least one') || message.startsWith('name at least one')) return { key: 'editorial.issue.atLeastOne' };
  if (code === 'invalid_date') return { key: 'editorial.issue.date' };
  if (code === 'too_small' && issue.minimum !== undefined && issue.minimum > 1) return { key: 'editorial.issue.tooShort', params: { min: issue.minimum } };
  if (code === 'too_small') return { key: 'editorial.issue.required' };
  if (code === 'too_big' && issue.maximum !== undefined) return { key: 'editorial.issue.tooLong', params: { max: issue.maximum } };
  if (code === 'invalid_type' && /number/.test(message)) return { key: 'editorial.issue.number' };
  if (code === 'invalid_type') return { key: 'editorial.issue.required' };
  if (code === 'invalid_enum_value') return { key: 'editorial.issue.unknown' };
  return { key: 'editorial.issue.invalid' };
}

/** The form's field errors: one translated message per field, the first the schema gave. */
export function fieldErrorsOf(issues: readonly FrontmatterIssue[], t: (key: MessageKey, params?: Record<string, number>) => string): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const issue of issues) {
    const field = fieldOfIssue(issue.path) || 'body';
    if (errors[field]) continue;
    const { key, params } = issueMessage(issue);
    errors[field] = t(key, params);
  }
  return errors;
}
