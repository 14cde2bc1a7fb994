import { describe, expect, it } from 'vitest';
import { formatDate, formatDateTime, isoDate, zonedYear } from '~/lib/format.ts';
import { almatyDate, programmeStatus } from '~/lib/knowledge/status.ts';
import { ASSOCIATION_TIME_ZONE, DEFAULT_TIME_ZONE, resolveTimeZone } from '~/lib/time-zone.ts';
import { ConfigError, loadConfig } from '~/server/config.ts';

/**
 * Dates are shown in the association's time zone (Asia/Almaty, UTC+5, unless TIME_ZONE
 * says otherwise), so an instant just after midnight there is that day everywhere on the
 * site, though UTC is still on the day before.
 */
describe('the association’s time zone', () => {
  // 00:30 on 7 December 2026 in Almaty is 19:30 on 6 December in UTC.
  const justAfterMidnight = new Date('2026-12-06T19:30:00Z');
  const justBeforeMidnight = new Date('2026-12-06T18:59:00Z');

  it('is Asia/Almaty unless TIME_ZONE is set', () => {
    expect(DEFAULT_TIME_ZONE).toBe('Asia/Almaty');
    expect(ASSOCIATION_TIME_ZONE).toBe(process.env.TIME_ZONE || 'Asia/Almaty');
    expect(resolveTimeZone(undefined)).toBe('Asia/Almaty');
    expect(resolveTimeZone('')).toBe('Asia/Almaty');
    expect(resolveTimeZone('Europe/Paris')).toBe('Europe/Paris');
    expect(() => resolveTimeZone('Mars/Olympus')).toThrow(/TIME_ZONE/);
  });

  it('puts a date on the day it is in Almaty at the day boundary, in every language', () => {
    expect(formatDate(justAfterMidnight, 'en')).toBe('7 December 2026');
    expect(formatDate(justBeforeMidnight, 'en')).toBe('6 December 2026');
    expect(formatDate(justAfterMidnight, 'ru')).toMatch(/^7 декабря 2026/);
    expect(formatDate(justAfterMidnight, 'kk')).toMatch(/7/);
    expect(formatDate(justAfterMidnight, 'kk')).not.toMatch(/\b6\b/);
    // The same instant in UTC is still the 6th: the zone, not the server's clock, decides.
    expect(formatDate(justAfterMidnight, 'en', 'UTC')).toBe('6 December 2026');
  });

  it('shows times in Almaty, and the machine-readable date agrees with the shown one', () => {
    expect(formatDateTime(justAfterMidnight, 'en')).toMatch(/7 December 2026.*00:30/);
    expect(isoDate(justAfterMidnight)).toBe('2026-12-07');
    expect(almatyDate(justAfterMidnight)).toBe('2026-12-07');
    expect(almatyDate(justBeforeMidnight)).toBe('2026-12-06');
  });

  it('counts the year of an instant in Almaty (a list’s year filter), and a deadline day lasts until midnight there', () => {
    expect(zonedYear(new Date('2026-12-31T19:30:00Z'))).toBe(2027);
    expect(zonedYear(new Date('2026-12-31T18:30:00Z'))).toBe(2026);
    const deadline = new Date('2026-12-06T00:00:00Z');
    expect(programmeStatus(deadline, justBeforeMidnight)).toBe('open');
    expect(programmeStatus(deadline, justAfterMidnight)).toBe('closed');
  });

  it('refuses a TIME_ZONE that is not a time zone, naming the variable', () => {
    expect(() => loadConfig({ TIME_ZONE: 'Almaty' }, '/srv/qala')).toThrow(ConfigError);
    expect(() => loadConfig({ TIME_ZONE: 'Almaty' }, '/srv/qala')).toThrow(/TIME_ZONE/);
    expect(() => loadConfig({ TIME_ZONE: 'Asia/Almaty' }, '/srv/qala')).not.toThrow();
  });
});
