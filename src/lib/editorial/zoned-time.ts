import { ASSOCIATION_TIME_ZONE } from '~/lib/time-zone.ts';

/** The offset of `timeZone` from UTC at an instant, in minutes (Asia/Almaty: +300). */
function offsetMinutes(instant: Date, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(instant);
  const value = (type: string) => Number(parts.find((part) => part.type === type)?.value);
  const asUtc = Date.UTC(value('year'), value('month') - 1, value('day'), value('hour'), value('minute'), value('second'));
  return Math.round((asUtc - Math.floor(instant.getTime() / 1000) * 1000) / 60_000);
}

function twoDigits(value: number): string {
  return String(Math.abs(value)).padStart(2, '0');
}

/**
 * A wall-clock time typed in a form (`2026-11-12T10:00`, the association's time zone) as an
 * ISO instant with that zone's offset (`2026-11-12T10:00:00+05:00`), as content files write
 * it; undefined when it is not a date and time.
 */
export function zonedLocalToIso(local: string, timeZone = ASSOCIATION_TIME_ZONE): string | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(local.trim());
  if (!match) return undefined;
  const [, year, month, day, hour, minute] = match.map(Number) as [number, number, number, number, number, number];
  const guess = Date.UTC(year, month - 1, day, hour, minute);
  if (Number.isNaN(guess)) return undefined;
  const offset = offsetMinutes(new Date(guess - offsetMinutes(new Date(guess), timeZone) * 60_000), timeZone);
  const sign = offset < 0 ? '-' : '+';
  return `${local.trim()}:00${sign}${twoDigits(Math.trunc(offset / 60))}:${twoDigits(offset % 60)}`;
}

/** An instant as the wall-clock value of a `datetime-local` field in the association's time zone. */
export function isoToZonedLocal(instant: Date, timeZone = ASSOCIATION_TIME_ZONE): string {
  const shifted = new Date(instant.getTime() + offsetMinutes(instant, timeZone) * 60_000);
  return shifted.toISOString().slice(0, 16);
}

/** A form's wall-clock value as UTC seconds, or undefined. */
export function zonedLocalToSeconds(local: string, timeZone = ASSOCIATION_TIME_ZONE): number | undefined {
  const iso = zonedLocalToIso(local, timeZone);
  return iso ? Math.floor(new Date(iso).getTime() / 1000) : undefined;
}
