import type { UnixSeconds } from '~/lib/clock.ts';
import { ASSOCIATION_TIME_ZONE } from '~/lib/time-zone.ts';
import type { DigestCadence } from './preferences.ts';

/** The local hour digests go out at: early morning, before the working day. */
export const DIGEST_HOUR = 8;

/** The association's time zone (TIME_ZONE), whose clock the digest hour and Monday are read on. */
export const DIGEST_TIME_ZONE = ASSOCIATION_TIME_ZONE;

/** When digests go out: daily at `hour`, weekly on Monday at `hour`, local time in `timeZone`. */
export interface DigestSchedule {
  hour: number;
  timeZone: string;
}

export const DEFAULT_DIGEST_SCHEDULE: DigestSchedule = { hour: DIGEST_HOUR, timeZone: DIGEST_TIME_ZONE };

const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

const partFormats = new Map<string, Intl.DateTimeFormat>();

/** The wall-clock date, time and weekday (0 = Monday) of an instant in a time zone. */
function wallClock(at: UnixSeconds, timeZone: string) {
  let format = partFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      weekday: 'short',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    partFormats.set(timeZone, format);
  }
  const parts = Object.fromEntries(format.formatToParts(new Date(at * 1000)).map((part) => [part.type, part.value]));
  const number = (type: string) => Number(parts[type]);
  return {
    year: number('year'),
    month: number('month'),
    day: number('day'),
    weekday: WEEKDAYS.indexOf(parts.weekday ?? ''),
    /** The wall clock read as if it were UTC: its difference from `at` is the zone's offset. */
    asUtc: Date.UTC(number('year'), number('month') - 1, number('day'), number('hour'), number('minute'), number('second')) / 1000,
  };
}

/**
 * The instant when the wall clock in `timeZone` shows `hour`:00 on the given local date
 * (`day` may run past the month either way, as with Date.UTC). The zone's offset is read
 * at the guess and read again, which settles even across a change of offset.
 */
function localInstant(year: number, month: number, day: number, hour: number, timeZone: string): UnixSeconds {
  const wall = Date.UTC(year, month - 1, day, hour) / 1000;
  let guess = wall;
  for (let round = 0; round < 2; round += 1) guess = wall - (wallClock(guess, timeZone).asUtc - guess);
  return guess;
}

/**
 * The latest scheduled digest time at or before `at`: today's (or yesterday's) digest
 * hour for daily digests, this (or last) Monday's for weekly ones. A run at any time
 * after it, however late, belongs to that slot, so a run missed while the server was
 * down is made up at the next one.
 */
export function latestDigestSlot(cadence: DigestCadence, at: UnixSeconds, schedule: DigestSchedule = DEFAULT_DIGEST_SCHEDULE): UnixSeconds {
  const today = wallClock(at, schedule.timeZone);
  const step = cadence === 'daily' ? 1 : 7;
  const back = cadence === 'daily' ? 0 : today.weekday;
  const slot = localInstant(today.year, today.month, today.day - back, schedule.hour, schedule.timeZone);
  return slot <= at ? slot : localInstant(today.year, today.month, today.day - back - step, schedule.hour, schedule.timeZone);
}
