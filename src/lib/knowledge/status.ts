import { zonedIsoDate } from '~/lib/format.ts';

/** Where a funding programme stands on a given day. */
export type ProgrammeStatus = 'open' | 'closed' | 'rolling';

/** Calendar date (YYYY-MM-DD) of an instant in the association's time zone (Asia/Almaty by default). */
export function almatyDate(instant: Date): string {
  return zonedIsoDate(instant);
}

/** A programme is open through its deadline day; with no deadline it is rolling. */
export function programmeStatus(deadline: Date | undefined, now: Date): ProgrammeStatus {
  if (!deadline) return 'rolling';
  return almatyDate(now) <= deadline.toISOString().slice(0, 10) ? 'open' : 'closed';
}

/** An event is past once its end (or its start, when it has no end) has gone by. */
export function eventIsPast(start: Date, end: Date | undefined, now: Date): boolean {
  return (end ?? start).getTime() < now.getTime();
}
