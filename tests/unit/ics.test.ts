import { describe, expect, it } from 'vitest';
import { calendarFile, escapeText, foldLine, utcStamp } from '~/lib/ics.ts';
import { zonedToUtcSeconds } from '~/server/groups/meetings.ts';

/** A meeting's calendar file follows RFC 5545, so every calendar program reads it the same way. */
const START = Date.UTC(2027, 2, 15, 10, 0) / 1000; // 15:00 in Almaty (UTC+5)
const event = {
  uid: 'group-meeting-7@qala.example.org',
  stamp: Date.UTC(2027, 2, 1, 8, 30, 5) / 1000,
  start: START,
  end: START + 90 * 60,
  summary: 'Heating season; lessons, and the plan — Обновление коммунальных сетей',
  location: 'Temirtau akimat, room 214',
  description: '1. Winter outages by town\n2. Ridder: how the renewal was sequenced; costs, contractors\n\nhttps://qala.example.org/en/groups/utilities-renewal/',
  url: 'https://qala.example.org/en/groups/utilities-renewal/',
};

/** Unfolds content lines (RFC 5545 §3.1): a CRLF followed by one space or tab joins lines. */
function unfold(text: string): string[] {
  return text.replace(/\r\n[ \t]/g, '').split('\r\n');
}

describe('a meeting as an .ics file', () => {
  const file = calendarFile(event);

  it('uses CRLF line endings only, and ends with one', () => {
    expect(file.endsWith('\r\n')).toBe(true);
    expect(file.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
  });

  it('has no line longer than 75 octets, and unfolds back to the full lines', () => {
    for (const line of file.split('\r\n')) expect(Buffer.byteLength(line, 'utf8')).toBeLessThanOrEqual(75);
    const lines = unfold(file);
    expect(lines).toContain('SUMMARY:Heating season\\; lessons\\, and the plan — Обновление коммунальных сетей');
  });

  it('never folds inside a multi-byte character', () => {
    const folded = foldLine(`DESCRIPTION:${'Ж'.repeat(100)}`);
    for (const part of folded.split('\r\n')) {
      expect(Buffer.byteLength(part, 'utf8')).toBeLessThanOrEqual(75);
      expect(part).not.toContain('\uFFFD');
    }
    expect(folded.replace(/\r\n /g, '')).toBe(`DESCRIPTION:${'Ж'.repeat(100)}`);
  });

  it('escapes backslashes, semicolons, commas and line breaks in text', () => {
    expect(escapeText('a\\b;c,d\ne\r\nf')).toBe('a\\\\b\\;c\\,d\\ne\\nf');
    const description = unfold(file).find((line) => line.startsWith('DESCRIPTION:'))!;
    expect(description).toBe('DESCRIPTION:1. Winter outages by town\\n2. Ridder: how the renewal was sequenced\\; costs\\, contractors\\n\\nhttps://qala.example.org/en/groups/utilities-renewal/');
  });

  it('has the required properties: VCALENDAR with VERSION and PRODID, VEVENT with UID, DTSTAMP and DTSTART in UTC', () => {
    const lines = unfold(file);
    expect(lines[0]).toBe('BEGIN:VCALENDAR');
    expect(lines).toContain('VERSION:2.0');
    expect(lines.some((line) => line.startsWith('PRODID:'))).toBe(true);
    expect(lines).toContain('BEGIN:VEVENT');
    expect(lines).toContain('UID:group-meeting-7@qala.example.org');
    expect(lines).toContain('DTSTAMP:20270301T083005Z');
    expect(lines).toContain('DTSTART:20270315T100000Z');
    expect(lines).toContain('DTEND:20270315T113000Z');
    expect(lines).toContain('LOCATION:Temirtau akimat\\, room 214');
    expect(lines.at(-2)).toBe('END:VCALENDAR');
    expect(lines.at(-1)).toBe('');
  });

  it('writes UTC stamps as YYYYMMDDTHHMMSSZ', () => {
    expect(utcStamp(0)).toBe('19700101T000000Z');
  });
});

describe('meeting times in Asia/Almaty', () => {
  it('turns a wall-clock date and time into UTC seconds with the zone’s offset', () => {
    const seconds = zonedToUtcSeconds('2027-03-15', '15:00')!;
    const offsetHours = (Date.UTC(2027, 2, 15, 15, 0) / 1000 - seconds) / 3600;
    // Asia/Almaty is UTC+5 since 2024 (UTC+6 in older time-zone data).
    expect([5, 6]).toContain(offsetHours);
    const shown = new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Almaty', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date(seconds * 1000));
    expect(shown).toBe('15:00');
  });

  it.each([
    ['2027-02-30', '10:00'],
    ['2027-13-01', '10:00'],
    ['2027-03-15', '24:00'],
    ['2027-03-15', '9:00'],
    ['15.03.2027', '10:00'],
    ['', ''],
  ])('refuses %s %s', (date, time) => {
    expect(zonedToUtcSeconds(date, time)).toBeUndefined();
  });
});
