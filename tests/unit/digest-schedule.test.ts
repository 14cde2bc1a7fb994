import { describe, expect, it } from 'vitest';
import { latestDigestSlot } from '~/server/notifications/digest-schedule.ts';

const utc = (iso: string) => Date.parse(iso) / 1000;
const iso = (seconds: number) => new Date(seconds * 1000).toISOString();

describe('the digest schedule (08:00 Asia/Almaty, UTC+5)', () => {
  it('puts the daily slot at 08:00 Almaty today once it has passed, else yesterday', () => {
    expect(iso(latestDigestSlot('daily', utc('2026-12-08T03:00:00Z')))).toBe('2026-12-08T03:00:00.000Z');
    expect(iso(latestDigestSlot('daily', utc('2026-12-08T02:59:59Z')))).toBe('2026-12-07T03:00:00.000Z');
    expect(iso(latestDigestSlot('daily', utc('2026-12-08T18:30:00Z')))).toBe('2026-12-08T03:00:00.000Z');
    // 23:30 UTC on the 8th is already 04:30 on the 9th in Almaty: the slot is the 8th's.
    expect(iso(latestDigestSlot('daily', utc('2026-12-08T23:30:00Z')))).toBe('2026-12-08T03:00:00.000Z');
  });

  it('puts the weekly slot on Monday at 08:00 Almaty, across month and year ends', () => {
    // Monday 7 December 2026.
    expect(iso(latestDigestSlot('weekly', utc('2026-12-07T03:00:00Z')))).toBe('2026-12-07T03:00:00.000Z');
    expect(iso(latestDigestSlot('weekly', utc('2026-12-07T02:00:00Z')))).toBe('2026-11-30T03:00:00.000Z');
    expect(iso(latestDigestSlot('weekly', utc('2026-12-13T18:59:00Z')))).toBe('2026-12-07T03:00:00.000Z');
    // Sunday 3 January 2027, late evening in Almaty: last Monday was 28 December 2026.
    expect(iso(latestDigestSlot('weekly', utc('2027-01-03T18:00:00Z')))).toBe('2026-12-28T03:00:00.000Z');
  });

  it('follows another hour and time zone, including a change of offset', () => {
    const berlin = { hour: 7, timeZone: 'Europe/Berlin' };
    // Summer time began on Sunday 29 March 2026: 07:00 is 05:00 UTC after, 06:00 UTC before.
    expect(iso(latestDigestSlot('daily', utc('2026-03-29T12:00:00Z'), berlin))).toBe('2026-03-29T05:00:00.000Z');
    expect(iso(latestDigestSlot('daily', utc('2026-03-28T12:00:00Z'), berlin))).toBe('2026-03-28T06:00:00.000Z');
    expect(iso(latestDigestSlot('weekly', utc('2026-04-01T12:00:00Z'), berlin))).toBe('2026-03-30T05:00:00.000Z');
  });
});
