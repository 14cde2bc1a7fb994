import type { APIRoute } from 'astro';
import { now } from '~/lib/clock.ts';
import { parseId } from '~/lib/ids.ts';
import { signInUrl } from '~/lib/return-path.ts';
import { config, publicOrigin } from '~/server/config.ts';
import { db } from '~/server/db/index.ts';
import { groupForViewer } from '~/server/groups/groups.ts';
import { calendarFile } from '~/server/groups/ics.ts';
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
  const origin = publicOrigin(config());
  const groupUrl = `${origin}/${lang}/groups/${access.group.slug}/`;
  const body = calendarFile({
    uid: `group-meeting-${meeting.id}@${new URL(origin).hostname}`,
    stamp: now(),
    start: meeting.startsAt,
    end: meeting.startsAt + meeting.durationMinutes * 60,
    summary: `${meeting.title} — ${access.group.name[lang]}`,
    location: [meeting.place, meeting.link].filter(Boolean).join(' · ') || undefined,
    description: `${meeting.agenda}\n\n${groupUrl}`,
    url: groupUrl,
  });
  return new Response(body, {
    status: 200,
    headers: {
      'Content-Type': 'text/calendar; charset=utf-8',
      'Content-Disposition': `attachment; filename="meeting-${meeting.id}.ics"`,
    },
  });
};
