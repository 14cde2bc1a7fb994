import type { APIRoute } from 'astro';
import { now } from '~/lib/clock.ts';
import { calendarFile, calendarHeaders } from '~/lib/ics.ts';
import { parseId } from '~/lib/ids.ts';
import { signInUrl } from '~/lib/return-path.ts';
import { config, publicOrigin } from '~/server/config.ts';
import { db } from '~/server/db/index.ts';
import { groupForViewer } from '~/server/groups/groups.ts';
import { meetingCalendarEvent } from '~/server/groups/ics.ts';
import { findMeeting } from '~/server/groups/meetings.ts';
import { canReadThreads } from '~/server/groups/rules.ts';

export const prerender = false;

const notFound = (t: App.Locals['t']) => new Response(t('notFound.title'), { status: 404, headers: { 'Content-Type': 'text/plain; charset=utf-8' } });

/** A meeting as an iCalendar file, for the group's members (and editors). */
export const GET: APIRoute = async ({ params, locals, url }) => {
  const { lang, t, user } = locals;
  const slug = params.slug ?? '';
  const meetingId = parseId(params.id);
  const access = /^[a-z0-9-]{1,60}$/.test(slug) ? await groupForViewer(db(), { slug }, user) : undefined;
  if (!access || meetingId === null) return notFound(t);
  if (!canReadThreads(access.group, access.viewer)) {
    if (!user) return new Response(null, { status: 303, headers: { Location: signInUrl(lang, url.pathname) } });
    return new Response(t('auth.forbidden'), { status: 403, headers: { 'Content-Type': 'text/plain; charset=utf-8' } });
  }
  const meeting = await findMeeting(db(), access.group.id, meetingId);
  if (!meeting) return notFound(t);
  const body = calendarFile(meetingCalendarEvent(meeting, access.group, { lang, origin: publicOrigin(config()), stamp: now() }));
  return new Response(body, { status: 200, headers: calendarHeaders(`meeting-${meeting.id}.ics`) });
};
