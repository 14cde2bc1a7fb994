import type { Kysely } from 'kysely';
import type { Language } from '~/i18n/index.ts';
import { daysCovered, monthKey, type Month } from '~/lib/events/calendar.ts';
import { eventFormat, type EventFormat } from '~/lib/events/format.ts';
import type { CalendarEvent } from '~/lib/ics.ts';
import type { ListQuery } from '~/lib/knowledge/list-query.ts';
import { eventIsPast } from '~/lib/knowledge/status.ts';
import type { Database } from '~/server/db/schema.ts';
import { meetingCalendarEvent } from '~/server/groups/ics.ts';
import { publicMeetings, type PublicMeeting } from '~/server/groups/meetings.ts';
import { itemHref, loadItems, toCard, versionFor, type KnowledgeItem } from '~/server/knowledge/items.ts';
import { matchesQuery } from '~/server/knowledge/list.ts';
import { SECTIONS } from '~/lib/knowledge/sections.ts';

/** One entry of the public calendar: an association event, or a group's public meeting. */
export interface CalendarEntry {
  kind: 'event' | 'meeting';
  /** Unique on the page: `event-<slug>` or `meeting-<id>`. */
  key: string;
  title: string;
  href: string;
  /** The language of the title shown (the reader's when the event is written in it). */
  lang: Language;
  start: Date;
  end: Date;
  format: EventFormat;
  topics: string[];
  /** The group that meets (meetings only), in the reader's language. */
  groupName?: string;
  past: boolean;
}

/** The days of a month (`YYYY-MM-DD`) with what happens on each, and how many entries in all. */
export interface CalendarMonth {
  days: Map<string, CalendarEntry[]>;
  total: number;
}

const DAY = 86_400;

function eventEntry(item: KnowledgeItem, lang: Language, now: Date): CalendarEntry {
  const card = toCard(item, lang);
  const end = card.end ?? card.start!;
  return { kind: 'event', key: `event-${item.slug}`, title: card.title, href: card.href, lang: card.lang, start: card.start!, end, format: card.format!, topics: card.topics, past: eventIsPast(card.start!, card.end, now) };
}

function meetingEntry(meeting: PublicMeeting, lang: Language, now: Date): CalendarEntry {
  const start = new Date(meeting.startsAt * 1000);
  const end = new Date((meeting.startsAt + meeting.durationMinutes * 60) * 1000);
  return {
    kind: 'meeting',
    key: `meeting-${meeting.id}`,
    title: meeting.title,
    href: `/${lang}/groups/${meeting.group.slug}/`,
    lang,
    start,
    end,
    format: eventFormat({ place: meeting.place, online: meeting.link }),
    topics: meeting.group.topics,
    groupName: meeting.group.name[lang],
    past: end < now,
  };
}

/** Whether a group meeting passes the filters: it has topics (its group's) and a format, but no region or language. */
function meetingMatches(entry: CalendarEntry, query: ListQuery): boolean {
  if (query.region || query.language) return false;
  if (query.topic && !entry.topics.includes(query.topic)) return false;
  if (query.format && entry.format !== query.format) return false;
  if (query.when && entry.past !== (query.when === 'past')) return false;
  if (query.q && !`${entry.title} ${entry.groupName ?? ''}`.toLocaleLowerCase().includes(query.q.toLocaleLowerCase())) return false;
  return true;
}

/**
 * One month of the public calendar for a reader, filtered like the list: the association's
 * events and the public meetings of public groups, by day (an event of several days is on
 * each of them), soonest first within a day.
 */
export async function calendarMonth(db: Kysely<Database>, month: Month, query: ListQuery, lang: Language, now: Date): Promise<CalendarMonth> {
  const prefix = `${monthKey(month)}-`;
  const from = Date.UTC(month.year, month.month - 1, 1) / 1000 - DAY;
  const to = Date.UTC(month.year, month.month, 1) / 1000 + DAY;
  const events = (await loadItems('events', db))
    .filter((item) => {
      const shown = query.language ? toCard(item, query.language) : toCard(item, lang);
      return matchesQuery(shown, query, SECTIONS.events, now);
    })
    .map((item) => eventEntry(item, query.language ?? lang, now));
  const meetings = (await publicMeetings(db, { from, to })).map((meeting) => meetingEntry(meeting, lang, now)).filter((entry) => meetingMatches(entry, query));
  const days = new Map<string, CalendarEntry[]>();
  let total = 0;
  for (const entry of [...events, ...meetings].sort((a, b) => a.start.getTime() - b.start.getTime())) {
    const inMonth = daysCovered(entry.start, entry.end).filter((day) => day.startsWith(prefix));
    if (inMonth.length > 0) total += 1;
    for (const day of inMonth) days.set(day, [...(days.get(day) ?? []), entry]);
  }
  return { days, total };
}

/** The next few upcoming entries (events and public meetings), soonest first: for the home page. */
export async function upcomingEntries(db: Kysely<Database>, lang: Language, now: Date, limit = 3): Promise<CalendarEntry[]> {
  const seconds = Math.floor(now.getTime() / 1000);
  const events = (await loadItems('events', db)).map((item) => eventEntry(item, lang, now));
  const meetings = (await publicMeetings(db, { from: seconds, to: seconds + 400 * DAY }, limit)).map((meeting) => meetingEntry(meeting, lang, now));
  return [...events, ...meetings]
    .filter((entry) => !entry.past)
    .sort((a, b) => a.start.getTime() - b.start.getTime() || Number(a.kind === 'meeting') - Number(b.kind === 'meeting'))
    .slice(0, limit);
}

/** An association event as a calendar entry, in the reader's language where it is written in it. */
export function eventCalendarEvent(item: KnowledgeItem, context: { lang: Language; origin: string; stamp: number }): CalendarEvent {
  const { entry, lang } = versionFor(item, context.lang);
  const data = entry.data as { title: string; summary: string; start: Date; end?: Date; place?: string; online?: string };
  const url = `${context.origin}${itemHref('events', item.slug, context.lang)}`;
  return {
    uid: `event-${item.slug}@${new URL(context.origin).hostname}`,
    stamp: context.stamp,
    start: Math.floor(data.start.getTime() / 1000),
    end: Math.floor((data.end ?? data.start).getTime() / 1000),
    summary: data.title,
    location: [data.place, data.online].filter(Boolean).join(' · ') || undefined,
    description: `${data.summary}\n\n${url}`,
    url,
  };
}

/** How far back the subscribable feed reaches: calendars keep what they already have. */
const FEED_PAST_DAYS = 366;

/** Everything the language's subscribable feed holds: the association's events written in it, and public meetings. */
export async function calendarFeed(db: Kysely<Database>, context: { lang: Language; origin: string; stamp: number }): Promise<CalendarEvent[]> {
  const since = context.stamp - FEED_PAST_DAYS * DAY;
  // A feed per language holds the events written in it; the month view links the others.
  const events = (await loadItems('events', db)).filter((item) => {
    const entry = item.versions[context.lang];
    const data = entry?.data as { start: Date; end?: Date } | undefined;
    return data !== undefined && (data.end ?? data.start).getTime() / 1000 >= since;
  });
  const meetings = await publicMeetings(db, { from: since, to: context.stamp + 3 * 366 * DAY }, 500);
  return [
    ...events.map((item) => eventCalendarEvent(item, context)),
    ...meetings.map((meeting) => meetingCalendarEvent(meeting, meeting.group, context)),
  ].sort((a, b) => a.start - b.start);
}
