import { describe, expect, it } from 'vitest';
import { dictionaries } from '~/i18n/index.ts';
import { AUDIT_ACTIONS } from '~/server/audit/audit.ts';
import { formatDateTimeWithZone } from '~/lib/format.ts';

describe('the audit log page', () => {
  it.each(Object.keys(dictionaries))('has a %s label for every action it records', (language) => {
    const dictionary = dictionaries[language as keyof typeof dictionaries] as Record<string, string>;
    expect(AUDIT_ACTIONS.filter((action) => !dictionary[`audit.action.${action}`])).toEqual([]);
  });

  it('shows times in Asia/Almaty with their offset from UTC', () => {
    const at = new Date(Date.UTC(2026, 11, 7, 9, 5));
    expect(formatDateTimeWithZone(at, 'en')).toBe('7 Dec 2026, 14:05 (UTC+5)');
    expect(formatDateTimeWithZone(at, 'ru')).toMatch(/14:05 \(UTC\+5\)$/);
    expect(formatDateTimeWithZone(at, 'kk')).toMatch(/14:05 \(UTC\+5\)$/);
  });
});
