import type { Language, MessageKey } from '~/i18n/index.ts';

/**
 * The rules of the member spaces (requests, responses, group threads and replies, member
 * cases), in the order of the rules page (content/pages/<lang>/rules.md). Ids are stable:
 * a hidden post stores one, and each is the anchor `#rule-<id>` on the page.
 */
export const COMMUNITY_RULES = ['respect', 'personal-data', 'no-advertising', 'on-topic', 'confidential-drafts', 'accuracy', 'lawful'] as const;
export type CommunityRule = (typeof COMMUNITY_RULES)[number];

/** Whether a string is a rule id. */
export function isCommunityRule(value: unknown): value is CommunityRule {
  return typeof value === 'string' && (COMMUNITY_RULES as readonly string[]).includes(value);
}

/** The rule's number on the page (1-based). */
export function ruleNumber(rule: CommunityRule): number {
  return COMMUNITY_RULES.indexOf(rule) + 1;
}

/** The rules page, or one rule on it, in the reader's language. */
export function rulesHref(lang: Language, rule?: CommunityRule): string {
  return `/${lang}/rules/${rule ? `#rule-${rule}` : ''}`;
}

/** The short title of a rule (the dictionary's key). */
export function ruleTitleKey(rule: CommunityRule): MessageKey {
  return `rules.${rule}` as MessageKey;
}
