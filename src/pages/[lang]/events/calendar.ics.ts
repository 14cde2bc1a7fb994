import type { APIRoute } from 'astro';
import { now } from '~/lib/clock.ts';
import { calendar, calendarHeaders } from '~/lib/ics.ts';
import { config, publicOrigin } from '~/server/config.ts';
import { db } from '~/server/db/index.ts';
import { calendarFeed } from '~/server/events/calendar.ts';

export const prerender = false;

/**
 * The subscribable calendar of one language: the association's events and the public
 * meetings of public groups. Calendar programs poll it, so it may be cached a while.
 */
export const GET: APIRoute = async ({ locals }) => {
  const { lang, t } = locals;
  const events = await calendarFeed(db(), { lang, origin: publicOrigin(config()), stamp: now() });
  const body = calendar(events, { name: `${t('site.name')} — ${t('section.events')}` });
  return new Response(body, { status: 200, headers: { ...calendarHeaders(`qala-events-${lang}.ics`, 'inline'), 'Cache-Control': 'public, max-age=900' } });
};
