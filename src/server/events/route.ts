import type { AstroGlobal } from 'astro';
import { monthOf, parseCalendarQuery, type CalendarQuery, type Month } from '~/lib/events/calendar.ts';
import { db } from '~/server/db/index.ts';
import { loadListRoute, type ListRoute } from '~/server/knowledge/list-route.ts';
import { calendarMonth, type CalendarMonth } from './calendar.ts';

/** Everything the events page renders: the list (as every section has) and the month view. */
export interface EventsRoute extends ListRoute {
  calendar: CalendarQuery & { month: Month };
  /** The month's entries by day, when the month view is asked for and the query is good. */
  monthEntries?: CalendarMonth;
}

/**
 * Reads the filters, the view and the month from the URL. A bad month or filter value
 * answers 400 with the form and a message; the rest of the query is kept for the form.
 */
export async function loadEventsRoute(page: Pick<AstroGlobal, 'url' | 'response' | 'locals'>): Promise<EventsRoute> {
  const route = await loadListRoute(page, 'events');
  const { query, problems } = parseCalendarQuery(page.url.searchParams);
  const now = new Date();
  if (problems.length > 0) {
    page.response.status = 400;
    route.problems.push(...problems.map((key) => page.locals.t(key)));
    route.list.cards = [];
  }
  const calendar = { ...query, month: query.month ?? monthOf(now) };
  const good = route.problems.length === 0;
  return { ...route, calendar, ...(good && calendar.view === 'month' ? { monthEntries: await calendarMonth(db(), calendar.month, route.query, page.locals.lang, now) } : {}) };
}
