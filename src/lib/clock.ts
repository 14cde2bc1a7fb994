/** Time is stored as whole seconds since the Unix epoch, UTC, everywhere. */
export type UnixSeconds = number;

let frozen: UnixSeconds | null = null;

/**
 * The current time in whole seconds since the Unix epoch (UTC), the unit Qala stores
 * everywhere. Domain functions that take an injectable `now` default to this, and
 * tests that need a fixed time set it with `setClock` instead of mocking `Date`.
 */
export function now(): UnixSeconds {
  return frozen ?? Math.floor(Date.now() / 1000);
}

/** Fixes the clock at `seconds` (tests only); `null` lets it run again. */
export function setClock(seconds: UnixSeconds | null): void {
  frozen = seconds;
}
