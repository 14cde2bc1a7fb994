/**
 * iCalendar (RFC 5545) files: one event to add to a calendar, or a feed to subscribe to.
 * CRLF line endings, content lines folded at 75 octets (never inside a UTF-8 character),
 * TEXT values escaped, every time in UTC (so no VTIMEZONE is needed). Pure: the caller
 * passes the stamp, so the same input always gives the same file.
 */

/** One calendar entry. Times are UTC seconds. */
export interface CalendarEvent {
  /** Globally unique and stable across downloads (e.g. `event-utilities-forum-2027@qala.example.org`). */
  uid: string;
  /** When this copy of the entry was made, UTC seconds. */
  stamp: number;
  start: number;
  end: number;
  summary: string;
  description?: string | undefined;
  location?: string | undefined;
  url?: string | undefined;
}

/** What describes the calendar as a whole. */
export interface CalendarOptions {
  /** PRODID: who made the file. */
  productId?: string;
  /** The name calendar programs show for a subscribed feed (NAME and X-WR-CALNAME). */
  name?: string | undefined;
}

const DEFAULT_PRODUCT_ID = '-//Qala//Calendar//EN';

/** Escapes a TEXT value: backslash, semicolon, comma and line breaks (RFC 5545 §3.3.11). */
export function escapeText(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/;/g, '\\;').replace(/,/g, '\\,').replace(/\r\n?|\n/g, '\\n');
}

/** UTC date-time form `YYYYMMDDTHHMMSSZ`. */
export function utcStamp(seconds: number): string {
  return new Date(seconds * 1000).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

const encoder = new TextEncoder();

/** Folds a content line: at most 75 octets a line, continuation lines start with a space. */
export function foldLine(line: string): string {
  const parts: string[] = [];
  let current = '';
  let octets = 0;
  for (const char of line) {
    const size = encoder.encode(char).length;
    // The first line may hold 75 octets; continuation lines 74 after their leading space.
    const limit = parts.length === 0 ? 75 : 74;
    if (octets + size > limit) {
      parts.push(current);
      current = '';
      octets = 0;
    }
    current += char;
    octets += size;
  }
  parts.push(current);
  return parts.join('\r\n ');
}

/** A URI value is not TEXT (no escaping), but it may not break the line. */
function uri(value: string): string {
  return value.replace(/[\r\n]/g, '');
}

function eventLines(event: CalendarEvent): string[] {
  return [
    'BEGIN:VEVENT',
    `UID:${escapeText(event.uid)}`,
    `DTSTAMP:${utcStamp(event.stamp)}`,
    `DTSTART:${utcStamp(event.start)}`,
    `DTEND:${utcStamp(Math.max(event.end, event.start))}`,
    `SUMMARY:${escapeText(event.summary)}`,
    ...(event.location ? [`LOCATION:${escapeText(event.location)}`] : []),
    ...(event.description ? [`DESCRIPTION:${escapeText(event.description)}`] : []),
    ...(event.url ? [`URL:${uri(event.url)}`] : []),
    'END:VEVENT',
  ];
}

/** A whole .ics file holding these events (none is a valid, empty calendar). */
export function calendar(events: readonly CalendarEvent[], options: CalendarOptions = {}): string {
  const name = options.name ? escapeText(options.name) : undefined;
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    `PRODID:${options.productId ?? DEFAULT_PRODUCT_ID}`,
    'CALSCALE:GREGORIAN',
    'METHOD:PUBLISH',
    ...(name ? [`NAME:${name}`, `X-WR-CALNAME:${name}`] : []),
    ...events.flatMap(eventLines),
    'END:VCALENDAR',
  ];
  return `${lines.map(foldLine).join('\r\n')}\r\n`;
}

/** The .ics file for one event. */
export function calendarFile(event: CalendarEvent, productId = DEFAULT_PRODUCT_ID): string {
  return calendar([event], { productId });
}

/** The response headers of an .ics download (`attachment`) or feed (`inline`). */
export function calendarHeaders(filename: string, disposition: 'attachment' | 'inline' = 'attachment'): Record<string, string> {
  return { 'Content-Type': 'text/calendar; charset=utf-8', 'Content-Disposition': `${disposition}; filename="${filename.replace(/[^A-Za-z0-9._-]/g, '-')}"` };
}
