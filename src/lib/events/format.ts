/** How one takes part in an event: on site, online, or either. */
export const EVENT_FORMATS = ['in-person', 'online', 'hybrid'] as const;
export type EventFormat = (typeof EVENT_FORMATS)[number];

/** Whether a string is one of the event formats. */
export function isEventFormat(value: string): value is EventFormat {
  return (EVENT_FORMATS as readonly string[]).includes(value);
}

/**
 * An event's format: as written, else read from where it happens (a place and a link make
 * it hybrid). Group meetings have no format field, so they are always read this way.
 */
export function eventFormat(event: { format?: EventFormat | undefined; place?: string | null | undefined; online?: string | true | null | undefined }): EventFormat {
  if (event.format) return event.format;
  if (event.place && event.online) return 'hybrid';
  return event.online ? 'online' : 'in-person';
}
