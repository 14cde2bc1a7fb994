import type { MessageKey } from '~/i18n/index.ts';
import { almatyDate } from '~/lib/knowledge/status.ts';

/** A calendar month. */
export interface Month {
  year: number;
  /** 1–12. */
  month: number;
}

/** How the events section is shown. */
export type EventsView = 'list' | 'month';

/** The calendar's own query parameters (the filters are the list's). */
export interface CalendarQuery {
  view: EventsView;
  /** The month shown in the month view; the current one when absent. */
  month?: Month;
}

/** `YYYY-MM`, for URLs and `<time datetime>`. */
export function monthKey({ year, month }: Month): string {
  return `${year}-${String(month).padStart(2, '0')}`;
}

/** Reads `YYYY-MM` (years 1990–2100), or undefined when it is not a month. */
export function parseMonth(raw: string): Month | undefined {
  const match = /^(\d{4})-(\d{2})$/.exec(raw);
  if (!match) return undefined;
  const year = Number(match[1]);
  const month = Number(match[2]);
  if (year < 1990 || year > 2100 || month < 1 || month > 12) return undefined;
  return { year, month };
}

/**
 * Reads `view` and `month` from the query string. A value that cannot be right is
 * reported (an i18n key), so the page answers 400 with the form instead of guessing.
 */
export function parseCalendarQuery(params: URLSearchParams): { query: CalendarQuery; problems: MessageKey[] } {
  const problems: MessageKey[] = [];
  const query: CalendarQuery = { view: 'list' };
  const view = params.get('view')?.trim();
  if (view === 'month' || view === 'list') query.view = view;
  else if (view) problems.push('events.problem.view');
  const month = params.get('month')?.trim();
  if (month) {
    const parsed = parseMonth(month);
    if (parsed) query.month = parsed;
    else problems.push('events.problem.month');
  }
  return { query, problems };
}

/** The month an instant falls in, in the association's time zone. */
export function monthOf(instant: Date): Month {
  const [year, month] = almatyDate(instant).split('-').map(Number) as [number, number];
  return { year, month };
}

/** The month before or after. */
export function shiftMonth({ year, month }: Month, by: number): Month {
  const index = year * 12 + (month - 1) + by;
  return { year: Math.floor(index / 12), month: (index % 12) + 1 };
}

/** One day cell of the month grid. */
export interface GridDay {
  /** `YYYY-MM-DD`. */
  date: string;
  day: number;
  /** False for the days of the neighbouring months that fill the first and last weeks. */
  inMonth: boolean;
}

const dayKey = (utc: Date) => utc.toISOString().slice(0, 10);

/** The weeks of a month, Monday first, each seven days (filled from the months around). */
export function monthGrid({ year, month }: Month): GridDay[][] {
  const first = new Date(Date.UTC(year, month - 1, 1));
  const offset = (first.getUTCDay() + 6) % 7; // Monday = 0
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  const cells = Math.ceil((offset + daysInMonth) / 7) * 7;
  const weeks: GridDay[][] = [];
  for (let index = 0; index < cells; index += 1) {
    const date = new Date(Date.UTC(year, month - 1, 1 - offset + index));
    if (index % 7 === 0) weeks.push([]);
    weeks.at(-1)!.push({ date: dayKey(date), day: date.getUTCDate(), inMonth: date.getUTCMonth() === month - 1 });
  }
  return weeks;
}

/** The calendar days (`YYYY-MM-DD`, in the association's time zone) an event covers. */
export function daysCovered(start: Date, end: Date | undefined): string[] {
  const first = almatyDate(start);
  const last = end && end > start ? almatyDate(new Date(end.getTime() - 1)) : first;
  const days: string[] = [];
  for (let day = new Date(`${first}T00:00:00Z`); dayKey(day) <= last && days.length < 62; day = new Date(day.getTime() + 86_400_000)) days.push(dayKey(day));
  return days;
}

/** The events page's query string: the list's filters (first page), then the view and month. */
export function calendarSearch(filters: object, calendar: { view: EventsView; month?: Month | undefined }): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(filters) as Array<[string, unknown]>) {
    if (value === undefined || value === '' || name === 'page') continue;
    params.set(name, String(value));
  }
  if (calendar.view === 'month') params.set('view', 'month');
  if (calendar.month) params.set('month', monthKey(calendar.month));
  const search = params.toString();
  return search ? `?${search}` : '';
}
