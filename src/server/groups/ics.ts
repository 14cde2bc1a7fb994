import type { Language } from '~/i18n/index.ts';
import type { CalendarEvent } from '~/lib/ics.ts';
import type { Meeting } from './meetings.ts';

/**
 * A group meeting as a calendar entry (written by the shared writer in src/lib/ics.ts):
 * one UID per meeting, whichever page or feed it is downloaded from.
 */
export function meetingCalendarEvent(
  meeting: Meeting,
  group: { slug: string; name: Record<Language, string> },
  context: { lang: Language; origin: string; stamp: number },
): CalendarEvent {
  const groupUrl = `${context.origin}/${context.lang}/groups/${group.slug}/`;
  return {
    uid: `group-meeting-${meeting.id}@${new URL(context.origin).hostname}`,
    stamp: context.stamp,
    start: meeting.startsAt,
    end: meeting.startsAt + meeting.durationMinutes * 60,
    summary: `${meeting.title} — ${group.name[context.lang]}`,
    location: [meeting.place, meeting.link].filter(Boolean).join(' · ') || undefined,
    description: `${meeting.agenda}\n\n${groupUrl}`,
    url: groupUrl,
  };
}
