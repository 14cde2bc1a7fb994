import { readFileSync } from 'node:fs';
import ICAL from 'ical.js';
import { describe, expect, it } from 'vitest';
import { COMMUNITY_RULES, isCommunityRule, ruleNumber, rulesHref } from '~/lib/community-rules.ts';
import { calendarSearch, daysCovered, monthGrid, parseCalendarQuery, parseMonth, shiftMonth } from '~/lib/events/calendar.ts';
import { eventFormat } from '~/lib/events/format.ts';
import { calendar } from '~/lib/ics.ts';
import { eventSchema } from '~/schemas/items.ts';

/** The pure parts of the events calendar and the community rules: months, grids, formats, iCalendar feeds. */

describe('months in the address', () => {
  it.each([
    ['2026-12', { year: 2026, month: 12 }],
    ['2027-01', { year: 2027, month: 1 }],
  ])('reads %s', (raw, month) => expect(parseMonth(raw)).toEqual(month));

  it.each(['2026-13', '2026-00', '2026-1', '26-12', '1989-12', '2101-01', '2026-12-01', 'december', ''])('refuses %j', (raw) => {
    expect(parseMonth(raw)).toBeUndefined();
  });

  it('reports a bad month or view, and keeps a good one', () => {
    expect(parseCalendarQuery(new URLSearchParams('view=month&month=2027-04'))).toEqual({ query: { view: 'month', month: { year: 2027, month: 4 } }, problems: [] });
    expect(parseCalendarQuery(new URLSearchParams('view=month&month=2027-4')).problems).toEqual(['events.problem.month']);
    expect(parseCalendarQuery(new URLSearchParams('view=year')).problems).toEqual(['events.problem.view']);
    expect(parseCalendarQuery(new URLSearchParams('')).query).toEqual({ view: 'list' });
  });

  it('steps across years', () => {
    expect(shiftMonth({ year: 2026, month: 12 }, 1)).toEqual({ year: 2027, month: 1 });
    expect(shiftMonth({ year: 2027, month: 1 }, -1)).toEqual({ year: 2026, month: 12 });
  });

  it('keeps the filters in month links, drops the page', () => {
    expect(calendarSearch({ topic: 'utilities-housing', page: 3, format: undefined }, { view: 'month', month: { year: 2027, month: 4 } })).toBe('?topic=utilities-housing&view=month&month=2027-04');
    expect(calendarSearch({}, { view: 'list' })).toBe('');
  });
});

describe('the month grid', () => {
  it('has whole weeks from Monday, and each day of the month once', () => {
    const weeks = monthGrid({ year: 2026, month: 12 });
    expect(weeks.every((week) => week.length === 7)).toBe(true);
    // 1 December 2026 is a Tuesday: Monday 30 November fills the first cell.
    expect(weeks[0]![0]).toEqual({ date: '2026-11-30', day: 30, inMonth: false });
    expect(weeks[0]![1]).toEqual({ date: '2026-12-01', day: 1, inMonth: true });
    const inMonth = weeks.flat().filter((day) => day.inMonth).map((day) => day.date);
    expect(inMonth).toHaveLength(31);
    expect(new Set(inMonth).size).toBe(31);
    expect(weeks.at(-1)!.at(-1)!.date).toBe('2027-01-03');
  });

  it('handles February of a leap year starting on a Monday', () => {
    const weeks = monthGrid({ year: 2027, month: 2 });
    expect(weeks[0]![0]!.date).toBe('2027-02-01');
    expect(weeks).toHaveLength(4);
    expect(monthGrid({ year: 2028, month: 2 }).flat().filter((day) => day.inMonth)).toHaveLength(29);
  });

  it('puts an event on each Almaty day it covers', () => {
    // 14 April 09:30 to 15 April 17:00, UTC+5.
    expect(daysCovered(new Date('2027-04-14T04:30:00Z'), new Date('2027-04-15T12:00:00Z'))).toEqual(['2027-04-14', '2027-04-15']);
    // 23:30 UTC is already the next day in Almaty.
    expect(daysCovered(new Date('2026-12-16T23:30:00Z'), undefined)).toEqual(['2026-12-17']);
  });
});

describe('event formats', () => {
  it('reads the format as written, else from place and link', () => {
    expect(eventFormat({ format: 'online', place: 'Ridder', online: 'https://x.example' })).toBe('online');
    expect(eventFormat({ place: 'Ridder', online: 'https://x.example' })).toBe('hybrid');
    expect(eventFormat({ online: 'https://x.example' })).toBe('online');
    expect(eventFormat({ place: 'Ridder', online: null })).toBe('in-person');
  });

  const event = { title: 'A forum', summary: 'A forum for town staff, in two days.', date: '2026-11-01', topics: ['utilities-housing'], start: '2027-04-14T09:30:00+05:00', registration: 'Free for members.' };
  it('refuses a format the event cannot have, and an unknown region', () => {
    expect(eventSchema.safeParse({ ...event, place: 'Ridder', format: 'in-person', region: 'east-kazakhstan' }).success).toBe(true);
    expect(eventSchema.safeParse({ ...event, online: 'https://x.example', format: 'in-person' }).success).toBe(false);
    expect(eventSchema.safeParse({ ...event, place: 'Ridder', format: 'hybrid' }).success).toBe(false);
    expect(eventSchema.safeParse({ ...event, place: 'Ridder', format: 'zoom' }).success).toBe(false);
    expect(eventSchema.safeParse({ ...event, place: 'Ridder', region: 'atlantis' }).success).toBe(false);
  });
});

describe('a calendar feed with several events', () => {
  const events = [
    { uid: 'event-utilities-forum-2027@qala.example.org', stamp: 1_796_000_000, start: 1_807_500_000, end: 1_807_600_000, summary: 'Коммунальный форум 2027: обновление тепловых и водопроводных сетей в моногородах', location: 'Риддер; online, https://meet.example.org', description: 'Line one\nLine two, with a comma; and a semicolon \\ backslash', url: 'https://qala.example.org/ru/events/utilities-forum-2027/' },
    { uid: 'group-meeting-3@qala.example.org', stamp: 1_796_000_000, start: 1_797_000_000, end: 1_797_005_400, summary: 'Heating season — Utilities renewal' },
  ];
  const file = calendar(events, { name: 'Association — Events' });

  it('is CRLF throughout, folded at 75 octets', () => {
    expect(file.endsWith('\r\n')).toBe(true);
    expect(file.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    for (const line of file.split('\r\n')) expect(Buffer.byteLength(line, 'utf8')).toBeLessThanOrEqual(75);
    expect(file).toMatch(/\r\n /);
  });

  it('is read back by ical.js with every event, its text unescaped and its times in UTC', () => {
    const root = new ICAL.Component(ICAL.parse(file));
    expect(root.getFirstPropertyValue('x-wr-calname')).toBe('Association — Events');
    const parsed = root.getAllSubcomponents('vevent').map((component) => new ICAL.Event(component));
    expect(parsed.map((event) => event.uid)).toEqual(events.map((event) => event.uid));
    expect(parsed[0]!.summary).toBe(events[0]!.summary);
    expect(parsed[0]!.description).toBe(events[0]!.description);
    expect(parsed[0]!.location).toBe(events[0]!.location);
    expect(parsed[0]!.startDate.toJSDate().getTime()).toBe(events[0]!.start * 1000);
    expect(parsed[0]!.startDate.zone?.tzid).toBe('UTC');
    expect(parsed[1]!.endDate.toJSDate().getTime()).toBe(events[1]!.end * 1000);
    for (const component of root.getAllSubcomponents('vevent')) expect(component.getFirstPropertyValue('dtstamp')).toBeTruthy();
  });

  it('with no events is still a valid calendar', () => {
    const root = new ICAL.Component(ICAL.parse(calendar([])));
    expect(root.name).toBe('vcalendar');
    expect(root.getAllSubcomponents('vevent')).toHaveLength(0);
  });
});

describe('the community rules', () => {
  it('are numbered in order, each with a stable anchor in every language', () => {
    for (const lang of ['kk', 'ru', 'en'] as const) {
      const page = readFileSync(`content/pages/${lang}/rules.md`, 'utf8');
      const anchors = [...page.matchAll(/<h2 id="rule-([a-z-]+)">(\d+)\. /g)].map((match) => ({ id: match[1], number: Number(match[2]) }));
      expect(anchors).toEqual(COMMUNITY_RULES.map((rule) => ({ id: rule, number: ruleNumber(rule) })));
    }
  });

  it('link to the rules page in the reader’s language', () => {
    expect(rulesHref('kk')).toBe('/kk/rules/');
    expect(rulesHref('ru', 'personal-data')).toBe('/ru/rules/#rule-personal-data');
    expect(isCommunityRule('respect')).toBe(true);
    expect(isCommunityRule('be-nice')).toBe(false);
    expect(isCommunityRule(undefined)).toBe(false);
  });
});
