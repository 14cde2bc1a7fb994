/** Where the association works when TIME_ZONE is not set. */
export const DEFAULT_TIME_ZONE = 'Asia/Almaty';

/** Whether `value` is an IANA time zone this runtime knows (e.g. Asia/Almaty, Europe/Paris). */
export function isTimeZone(value: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

/**
 * The association's time zone, from TIME_ZONE or Asia/Almaty. Every date and time a
 * page shows is computed in it, so an instant just after midnight in Almaty is that
 * day, not the day before in UTC. It is read from the environment (not from
 * src/server/config.ts, which src/lib may not import) because prerendered pages
 * format dates while `astro build` runs: set the same TIME_ZONE for the build and the
 * server. src/server/config.ts validates it at start and stops on a bad value.
 */
export function resolveTimeZone(value: string | undefined): string {
  if (value === undefined || value === '') return DEFAULT_TIME_ZONE;
  if (!isTimeZone(value)) throw new Error(`TIME_ZONE: "${value}" is not a time zone name such as Asia/Almaty`);
  return value;
}

export const ASSOCIATION_TIME_ZONE = resolveTimeZone(typeof process === 'undefined' ? undefined : process.env.TIME_ZONE);
